package domain

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// OrderWithLicenses is an order together with the licenses it creates.
type OrderWithLicenses struct {
	Order    Order
	Licenses []License
}

// ErrAlreadyImported is what an ImportStore answers for an order whose reference
// is already stored: the line is skipped, nothing changes.
var ErrAlreadyImported = Conflictf("an order with this reference already exists")

// ImportStore is what an import needs from storage.
type ImportStore interface {
	// SaveProduct creates or replaces a catalog entry; changed is false when it was already so.
	SaveProduct(ctx context.Context, p Product) (changed bool, err error)
	// ImportOrders stores each order with its licenses and index entries, all or
	// nothing per order. It answers one error per order: nil when stored,
	// ErrAlreadyImported, or a domain error saying why that order was refused. The
	// returned error is for a failure of the store itself, which stops the import.
	ImportOrders(ctx context.Context, orders []OrderWithLicenses) ([]error, error)
}

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

// MaxImportLine is the longest line an import accepts.
const MaxImportLine = 1 << 20

// importBatch is how many orders go to the store at once; the store may split a
// batch further, but never an order.
const importBatch = 500

// Import reads JSON Lines (section 9 of the product contract) from r into store.
// Each line is all or nothing; bad lines are reported and never stop the good ones.
// The error is only for a reader or store failure; the report then covers the
// lines handled so far.
func Import(ctx context.Context, r io.Reader, store ImportStore, newKey func() string) (ImportReport, error) {
	var report ImportReport
	var batch []OrderWithLicenses
	var batchLines []int

	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		results, err := store.ImportOrders(ctx, batch)
		if err != nil {
			return err
		}
		for i, res := range results {
			switch {
			case res == nil:
				report.Imported++
			case errors.Is(res, ErrAlreadyImported):
				report.Skipped++
			default:
				report.Rejected = append(report.Rejected, RejectedLine{Line: batchLines[i], Reason: MessageOf(res)})
			}
		}
		batch, batchLines = batch[:0], batchLines[:0]
		return nil
	}

	br := bufio.NewReaderSize(r, 64<<10)
	for lineNo := 1; ; lineNo++ {
		line, tooLong, err := readLine(br)
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if err != nil && err != io.EOF {
			return report, fmt.Errorf("import: reading line %d: %w", lineNo, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !tooLong {
			continue
		}
		report.Read++
		if tooLong {
			report.Rejected = append(report.Rejected, RejectedLine{lineNo, fmt.Sprintf("line is longer than %d bytes", MaxImportLine)})
			continue
		}
		product, order, perr := ParseImportLine(line, newKey)
		switch {
		case perr != nil:
			report.Rejected = append(report.Rejected, RejectedLine{lineNo, MessageOf(perr)})
		case product != nil:
			changed, err := store.SaveProduct(ctx, *product)
			if err != nil {
				return report, err
			}
			if changed {
				report.Imported++
			} else {
				report.Skipped++
			}
		default:
			batch = append(batch, *order)
			batchLines = append(batchLines, lineNo)
			if len(batch) >= importBatch {
				if err := flush(); err != nil {
					return report, err
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	err := flush()
	// Orders are refused when their batch reaches the store: put the report back in line order.
	slices.SortStableFunc(report.Rejected, func(a, b RejectedLine) int { return a.Line - b.Line })
	return report, err
}

// readLine reads one line without its line ending. A line longer than
// MaxImportLine is read to its end and dropped, with tooLong set.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		// Keep at most the limit plus a CRLF; past that the line is too long anyway.
		if !tooLong && len(line)+len(chunk) > MaxImportLine+2 {
			tooLong, line = true, nil
		}
		if !tooLong {
			line = append(line, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if len(line) > MaxImportLine {
			tooLong, line = true, nil
		}
		return line, tooLong, err
	}
}
