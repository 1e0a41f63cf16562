package pairclient_test

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"portal/pairclient"
)

// Every line of the code is drawn in true black on true white, so that it
// reads the same in a dark or a light terminal.
const (
	qrLineStart = "\x1b[38;5;16;48;5;231m"
	qrLineEnd   = "\x1b[0m"
)

// TestWriteQR draws codes and reads them back, and checks the quiet zone.
func TestWriteQR(t *testing.T) {
	for _, text := range []string{
		"https://licenses.example.com/pair?code=WDJB-MJHT",
		"http://127.0.0.1:8080/pair?code=BCDF-GHJK",
		"https://a-rather-long-portal-name.customers.example.org/some/prefix/pair?code=ZXWV-TSRQ&lang=de",
	} {
		var out bytes.Buffer
		if err := pairclient.WriteQR(&out, text); err != nil {
			t.Fatal(err)
		}
		if got := decodeQR(t, out.String()); got != text {
			t.Errorf("the code of %q reads %q", text, got)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		light := strings.Repeat(" ", pairclient.QuietZone)
		for i, line := range lines {
			line = strings.TrimSuffix(strings.TrimPrefix(line, qrLineStart), qrLineEnd)
			whole := i < pairclient.QuietZone/2 // each line holds two rows of modules
			if !strings.HasPrefix(line, light) || !strings.HasSuffix(line, light) || (whole && strings.TrimSpace(line) != "") {
				t.Errorf("line %d of the code of %q breaks the quiet zone: %q", i, text, line)
			}
		}
	}
}

// decodeQR finds the QR code in a terminal's text (its lines start with the
// colours above; each character is two modules, one above the other), makes a
// picture of it and reads it with gozxing, a port of ZXing that shares no code
// with the encoder.
func decodeQR(t *testing.T, text string) string {
	t.Helper()
	halves := map[rune][2]bool{' ': {false, false}, '▀': {true, false}, '▄': {false, true}, '█': {true, true}}
	var rows [][]bool
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, qrLineStart) || !strings.HasSuffix(line, qrLineEnd) {
			continue
		}
		var upper, lower []bool
		for _, r := range strings.TrimSuffix(strings.TrimPrefix(line, qrLineStart), qrLineEnd) {
			half, ok := halves[r]
			if !ok {
				t.Fatalf("unexpected %q in the QR code's line %q", r, line)
			}
			upper, lower = append(upper, half[0]), append(lower, half[1])
		}
		rows = append(rows, upper, lower)
	}
	if len(rows) == 0 {
		t.Fatalf("no QR code in:\n%s", text)
	}
	const scale = 4 // pixels per module
	img := image.NewGray(image.Rect(0, 0, len(rows[0])*scale, len(rows)*scale))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			shade := color.Gray{Y: 255}
			if rows[y/scale][x/scale] {
				shade = color.Gray{Y: 0}
			}
			img.SetGray(x, y, shade)
		}
	}
	bitmap, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	result, err := qrcode.NewQRCodeReader().Decode(bitmap, nil)
	if err != nil {
		t.Fatalf("the QR code does not read: %v\n%s", err, text)
	}
	return result.GetText()
}
