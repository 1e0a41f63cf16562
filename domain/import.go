package domain

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
)

// OrderWithLicenses is an order together with the licenses it creates.
type OrderWithLicenses struct {
	Order    Order
	Licenses []License
	// InvoiceSeries, when the order's invoice has no number yet, is the series
	// (domain.InvoiceSeries) the store numbers it from, in the transaction that
	// stores the order.
	InvoiceSeries string
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

// MaxImportLine is the longest line an import accepts.
const MaxImportLine = 1 << 20

// ImportBatch is how many lines go to the store at once; the store may split a
// batch further, but never an order. Large batches share one synced commit.
const ImportBatch = 1000

// importLine is one line as the reader made of it: a product, an order, or the
// reason it was refused.
type importLine struct {
	no      int
	raw     []byte
	product *Product
	order   *OrderWithLicenses
	refused error
}

// Import reads JSON Lines (section 9 of the product contract) from r into store.
// Each line is all or nothing; bad lines are reported and never stop the good ones.
// The error is only for a reader or store failure; the report then covers the
// lines handled so far. Lines are read and parsed beside the store's writes, so
// that the next batch is ready when the disk has synced the last one.
func Import(ctx context.Context, r io.Reader, store ImportStore, newKey func() string) (ImportReport, error) {
	return ImportWith(ctx, r, store, ImportOptions{NewKey: newKey})
}

// ImportOptions are what an import gives the orders that lack it.
type ImportOptions struct {
	// NewKey makes an activation key (default NewActivationKey).
	NewKey func() string
	// InvoicePrefix begins the invoice numbers of orders imported without one
	// (default DefaultInvoicePrefix): the seller's.
	InvoicePrefix string
}

// ImportWith is Import with options.
func ImportWith(ctx context.Context, r io.Reader, store ImportStore, opts ImportOptions) (ImportReport, error) {
	if opts.NewKey == nil {
		opts.NewKey = NewActivationKey
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []importLine, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- readImportLines(ctx, r, opts, batches)
	}()
	var report ImportReport
	var err error
	for batch := range batches {
		if err = report.store(ctx, store, batch); err != nil {
			cancel()
			for range batches { // let the reader stop
			}
			break
		}
	}
	if rerr := <-readErr; err == nil && !errors.Is(rerr, context.Canceled) {
		err = rerr
	}
	// Orders are refused when their batch reaches the store: put the report back in line order.
	slices.SortStableFunc(report.Rejected, func(a, b RejectedLine) int { return a.Line - b.Line })
	return report, err
}

// readImportLines reads and parses lines into batches until the end of r.
func readImportLines(ctx context.Context, r io.Reader, opts ImportOptions, batches chan<- []importLine) error {
	var batch []importLine
	send := func() error {
		if len(batch) == 0 {
			return nil
		}
		parseLines(batch, opts)
		select {
		case batches <- batch:
			batch = make([]importLine, 0, ImportBatch)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	br := bufio.NewReaderSize(r, 64<<10)
	for lineNo := 1; ; lineNo++ {
		line, tooLong, err := readLine(br)
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if err != nil && err != io.EOF {
			if serr := send(); serr != nil {
				return serr
			}
			return fmt.Errorf("import: reading line %d: %w", lineNo, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 && !tooLong {
			continue
		}
		parsed := importLine{no: lineNo, raw: line}
		if tooLong {
			parsed.refused = Invalidf("line is longer than %d bytes", MaxImportLine)
		}
		batch = append(batch, parsed)
		if len(batch) >= ImportBatch {
			if err := send(); err != nil {
				return err
			}
		}
		if err == io.EOF {
			break
		}
	}
	return send()
}

// parseLines parses a batch's lines on every core, then gives the orders that
// came without an activation key a fresh one, in line order (NewKey need not be
// safe for concurrent use), and those without an invoice number their series.
func parseLines(batch []importLine, opts ImportOptions) {
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(batch); i += workers {
				l := &batch[i]
				if l.refused == nil {
					l.product, l.order, l.refused = ParseImportLine(l.raw, noKey)
				}
				l.raw = nil
			}
		}()
	}
	wg.Wait()
	for i := range batch {
		o := batch[i].order
		if o == nil {
			continue
		}
		if o.Order.ActivationKey == "" {
			o.Order.ActivationKey = opts.NewKey()
		}
		if o.Order.InvoiceNumber() == "" {
			o.InvoiceSeries = InvoiceSeries(opts.InvoicePrefix, o.Order.Date)
		}
	}
}

// noKey leaves an order's activation key to be made after parsing.
func noKey() string { return "" }

// store writes a batch of lines in line order: consecutive orders together,
// products one by one between them.
func (report *ImportReport) store(ctx context.Context, store ImportStore, batch []importLine) error {
	var orders []OrderWithLicenses
	var orderLines []int
	flush := func() error {
		if len(orders) == 0 {
			return nil
		}
		results, err := store.ImportOrders(ctx, orders)
		if err != nil {
			return err
		}
		for i, res := range results {
			report.count(orderLines[i], res)
		}
		orders, orderLines = orders[:0], orderLines[:0]
		return nil
	}
	for _, l := range batch {
		report.Read++
		switch {
		case l.refused != nil:
			report.count(l.no, l.refused)
		case l.product != nil:
			if err := flush(); err != nil {
				return err
			}
			changed, err := store.SaveProduct(ctx, *l.product)
			if err != nil {
				return err
			}
			if !changed {
				report.count(l.no, ErrAlreadyImported)
			} else {
				report.count(l.no, nil)
			}
		default:
			orders = append(orders, *l.order)
			orderLines = append(orderLines, l.no)
		}
	}
	return flush()
}

// count adds the outcome of line no to the report.
func (report *ImportReport) count(no int, outcome error) {
	switch {
	case outcome == nil:
		report.Imported++
	case errors.Is(outcome, ErrAlreadyImported):
		report.Skipped++
	default:
		report.Rejected = append(report.Rejected, RejectedLine{Line: no, Reason: MessageOf(outcome)})
	}
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
