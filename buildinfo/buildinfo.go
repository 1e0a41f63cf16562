// Package buildinfo tells which build of the portal is running: its version,
// the commit it was built from and the Go release that built it, as "portal
// version", the start-up log and /healthz say them.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// version is set by the release build (scripts/release.sh) with
// -ldflags "-X portal/buildinfo.version=v1.2.3". Without it the module's own
// version stands in: a tag for "go install portal@v1.2.3", a pseudo-version
// or "(devel)" for a build from a work tree.
var version = ""

// commit and modified are set by the release build too, from git, for builds
// that carry no VCS stamp of their own (-buildvcs=false, a work tree that Go
// does not recognise as a repository). A VCS stamp, when there is one, wins.
var commit, modified = "", ""

// Info is what a binary knows of its own build.
type Info struct {
	Version string `json:"version"`
	// Commit is the VCS revision the binary was built from ("unknown" when
	// it was built outside a repository, or with -buildvcs=false).
	Commit string `json:"commit"`
	// CommitTime is when that commit was made (RFC 3339), if known.
	CommitTime string `json:"commit_time,omitempty"`
	// Modified says that the work tree held uncommitted changes: the binary
	// is not exactly Commit.
	Modified  bool   `json:"modified"`
	GoVersion string `json:"go"`
}

// Read answers this binary's build information.
func Read() Info {
	info := Info{Version: version, Commit: "unknown", Modified: modified == "true", GoVersion: runtime.Version()}
	if commit != "" {
		info.Commit = commit
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		if info.Version == "" {
			info.Version = "unknown"
		}
		return info
	}
	return fromBuildInfo(info, bi)
}

func fromBuildInfo(info Info, bi *debug.BuildInfo) Info {
	if info.Version == "" {
		info.Version = bi.Main.Version
	}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.Commit = s.Value
		case "vcs.time":
			info.CommitTime = s.Value
		case "vcs.modified":
			info.Modified = s.Value == "true"
		}
	}
	return info
}

// String is the one line "portal version" prints.
func (i Info) String() string {
	s := "portal " + i.Version + " (commit " + i.Commit
	if i.Modified {
		s += ", modified"
	}
	return s + ", " + i.GoVersion + ")"
}
