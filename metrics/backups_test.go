package metrics_test

import (
	"bytes"
	"strings"
	"testing"

	"portal/metrics"
)

// The scheduled backups' counts are read from the schedule at each scrape.
func TestBackupsAreCountedFromTheSchedule(t *testing.T) {
	m := metrics.New()
	written, failed := uint64(3), uint64(0)
	m.Backups(func() uint64 { return written }, func() uint64 { return failed })
	failed = 2
	var out bytes.Buffer
	if err := m.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`portal_backups_total{outcome="written"} 3`, `portal_backups_total{outcome="failed"} 2`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the scrape lacks %s", want)
		}
	}
	var off *metrics.Metrics
	off.Backups(func() uint64 { return 1 }, func() uint64 { return 1 }) // metrics off: nothing, no panic
}
