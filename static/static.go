// Package static embeds the portal's stylesheets, scripts and icons, so that the
// binary serves them itself: no CDN, nothing fetched at run time.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
)

// FS holds the files served under /static/.
//
//go:embed app.css app.js favicon.svg vendor/htmx.min.js vendor/pico.min.css
var FS embed.FS

var versions = func() map[string]string {
	m := make(map[string]string)
	fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := FS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[p] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return m
}()

// URL returns the address of an embedded file with its content hash, so that
// browsers may cache it for a year and still get a new one after an upgrade.
func URL(name string) string {
	return path.Join("/static", name) + "?v=" + versions[name]
}
