package domain

import (
	"fmt"
	"strings"
)

// ImportReport is what an import did, line by line.
type ImportReport struct {
	Read     int
	Imported int
	Skipped  int
	Rejected []RejectedLine
}

// RejectedLine names a line that was not imported and why.
type RejectedLine struct {
	Line   int
	Reason string
}

// Failed reports whether the import achieved nothing: lines were read and every one was refused.
func (r ImportReport) Failed() bool { return r.Read > 0 && len(r.Rejected) == r.Read }

// String is the report as the import command prints it.
func (r ImportReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "lines read: %d\nimported: %d\nskipped (already there): %d\nrejected: %d\n",
		r.Read, r.Imported, r.Skipped, len(r.Rejected))
	for _, rl := range r.Rejected {
		fmt.Fprintf(&b, "  line %d: %s\n", rl.Line, rl.Reason)
	}
	return b.String()
}

// AuditDetail is the report in one line for the audit log, for file name.
func (r ImportReport) AuditDetail(name string) string {
	return fmt.Sprintf("%s: %d lines, %d imported, %d skipped, %d rejected", name, r.Read, r.Imported, r.Skipped, len(r.Rejected))
}
