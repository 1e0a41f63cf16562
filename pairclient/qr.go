package pairclient

import (
	"fmt"
	"io"
	"strings"

	qr "github.com/piglig/go-qr"
)

// QuietZone is the light margin around the code, in modules: the four that
// ISO/IEC 18004 asks for, without which phone cameras often miss the code.
const QuietZone = 4

// The code is drawn dark on light whatever the terminal's theme: a foreground
// of true black on a background of true white (256-colour indices 16 and 231,
// which themes do not remap), so that it reads the same in a dark or a light
// terminal. Each character holds two modules, one above the other.
const (
	qrColours = "\x1b[38;5;16;48;5;231m"
	qrReset   = "\x1b[0m"
)

// halfBlocks draws a character's upper and lower modules, indexed by
// upper*2 + lower where 1 is dark.
var halfBlocks = [4]string{" ", "▄", "▀", "█"}

// WriteQR draws a QR code of text with Unicode half blocks, with its quiet zone.
func WriteQR(w io.Writer, text string) error {
	code, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return fmt.Errorf("cannot draw a QR code of %q: %w", text, err)
	}
	side := code.Size() + 2*QuietZone
	// Module answers false outside the symbol, so the quiet zone is light.
	dark := func(x, y int) int {
		if code.Module(x-QuietZone, y-QuietZone) {
			return 1
		}
		return 0
	}
	var b strings.Builder
	for y := 0; y < side; y += 2 {
		b.WriteString(qrColours)
		for x := 0; x < side; x++ {
			lower := 0
			if y+1 < side {
				lower = dark(x, y+1)
			}
			b.WriteString(halfBlocks[dark(x, y)*2+lower])
		}
		b.WriteString(qrReset + "\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
}
