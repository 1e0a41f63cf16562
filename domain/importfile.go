package domain

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// OrderWithLicenses is an order together with the licenses it creates.
type OrderWithLicenses struct {
	Order    Order
	Licenses []License
}

// ErrAlreadyImported is what an ImportStore answers for an order whose reference
// is already stored: the line is skipped, nothing changes.
var ErrAlreadyImported = errors.New("an order with this reference already exists")

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
			report.Rejected = append(report.Rejected, RejectedLine{lineNo, perr.Error()})
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

type importKind struct {
	Kind string `json:"kind"`
}

// ProductLine is a product line of the import format (and of exports).
type ProductLine struct {
	Kind                    string `json:"kind"`
	Software                string `json:"software"`
	Edition                 string `json:"edition"`
	Upgradable              bool   `json:"upgradable"`
	Currency                string `json:"currency"`
	SeatPrice               *int64 `json:"seat_price"`
	SupportPricePerSeatYear *int64 `json:"support_price_per_seat_year"`
	Retired                 bool   `json:"retired,omitempty"`
}

// OrderLine is an order line of the import format (and of exports). Total,
// ActivationKey, Source and the licenses' Version are optional.
type OrderLine struct {
	Kind          string        `json:"kind"`
	Reference     string        `json:"reference"`
	Date          string        `json:"date"`
	Name          string        `json:"name"`
	Country       string        `json:"country"`
	City          string        `json:"city"`
	ContactName   string        `json:"contact_name"`
	Email         string        `json:"email"`
	Currency      string        `json:"currency"`
	Items         []Item        `json:"items"`
	Total         *int64        `json:"total,omitempty"`
	ActivationKey string        `json:"activation_key,omitempty"`
	Source        Source        `json:"source,omitempty"`
	Licenses      []LicenseLine `json:"licenses"`
}

// LicenseLine is a license inside an order line.
type LicenseLine struct {
	Software     string `json:"software"`
	Edition      string `json:"edition"`
	Users        int    `json:"users"`
	Serial       string `json:"serial"`
	SupportStart string `json:"support_start"`
	SupportEnd   string `json:"support_end"`
	Version      int    `json:"version,omitempty"`
}

// NewProductLine is p as an import line.
func NewProductLine(p Product) ProductLine {
	return ProductLine{Kind: "product", Software: p.Software, Edition: p.Edition, Upgradable: p.Upgradable,
		Currency: p.Currency, SeatPrice: &p.SeatPrice, SupportPricePerSeatYear: &p.SupportPricePerSeatYear, Retired: p.Retired}
}

// NewOrderLine is o with its licenses as an import line that brings back all of
// it: activation key, source, serials and versions.
func NewOrderLine(o Order, licenses []License) OrderLine {
	line := OrderLine{Kind: "order", Reference: o.Reference, Date: o.Date.UTC().Format(time.RFC3339Nano),
		Name: o.Name, Country: o.Country, City: o.City, ContactName: o.ContactName, Email: o.Email,
		Currency: o.Currency, Items: o.Items, Total: &o.Total, ActivationKey: o.ActivationKey, Source: o.Source,
		Licenses: []LicenseLine{}}
	for _, l := range licenses {
		line.Licenses = append(line.Licenses, LicenseLine{Software: l.Software, Edition: l.Edition, Users: l.Users,
			Serial: l.Serial, SupportStart: l.SupportStart.UTC().Format(DateLayout),
			SupportEnd: l.SupportEnd.UTC().Format(DateLayout), Version: l.Version})
	}
	return line
}

// ParseImportLine parses and validates one line: a product, or an order with its
// licenses (with an activation key from newKey unless the line gives one).
func ParseImportLine(line []byte, newKey func() string) (*Product, *OrderWithLicenses, error) {
	var k importKind
	if err := json.Unmarshal(line, &k); err != nil {
		return nil, nil, fmt.Errorf("not a JSON object: %s", jsonProblem(err))
	}
	switch k.Kind {
	case "product":
		var in ProductLine
		if err := strictUnmarshal(line, &in); err != nil {
			return nil, nil, err
		}
		if in.SeatPrice == nil || in.SupportPricePerSeatYear == nil {
			return nil, nil, errors.New("a product needs seat_price and support_price_per_seat_year (0 if free)")
		}
		p := Product{Software: in.Software, Edition: in.Edition, Upgradable: in.Upgradable,
			Currency: in.Currency, SeatPrice: *in.SeatPrice, SupportPricePerSeatYear: *in.SupportPricePerSeatYear,
			Retired: in.Retired}
		if err := p.Validate(); err != nil {
			return nil, nil, err
		}
		return &p, nil, nil
	case "order":
		var in OrderLine
		if err := strictUnmarshal(line, &in); err != nil {
			return nil, nil, err
		}
		o, err := in.toOrder(newKey)
		if err != nil {
			return nil, nil, err
		}
		return nil, o, nil
	case "":
		return nil, nil, errors.New(`"kind" is missing (want "product" or "order")`)
	default:
		return nil, nil, fmt.Errorf(`unknown kind %q (want "product" or "order")`, k.Kind)
	}
}

func (in OrderLine) toOrder(newKey func() string) (*OrderWithLicenses, error) {
	ref, ok := NormalizeReference(in.Reference)
	if !ok {
		return nil, fmt.Errorf("reference %q is not an order number (letters, then digits)", in.Reference)
	}
	date, err := time.Parse(time.RFC3339, in.Date)
	if err != nil {
		return nil, fmt.Errorf("date %q is not an RFC 3339 time such as 2026-03-14T10:22:00Z", in.Date)
	}
	o := Order{Reference: ref, Date: date, Name: in.Name, Country: in.Country, City: in.City,
		ContactName: in.ContactName, Email: in.Email, Currency: in.Currency, Items: in.Items,
		ActivationKey: in.ActivationKey, Source: SourceImport}
	switch in.Source {
	case "", SourceImport, SourceUpgrade, SourceRenewal:
		if in.Source != "" {
			o.Source = in.Source
		}
	default:
		return nil, fmt.Errorf("source %q must be import, upgrade or renewal", in.Source)
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if in.Total != nil && *in.Total != o.Total {
		return nil, fmt.Errorf("total %d does not equal the sum of the items (%d)", *in.Total, o.Total)
	}
	if o.ActivationKey == "" {
		o.ActivationKey = newKey()
	}
	if len(in.Licenses) == 0 && o.Source == SourceImport {
		// Orders of upgrades and renewals (from an export) carry no license of their own.
		return nil, errors.New("an order needs at least one license")
	}
	if len(in.Licenses) > maxLicenses {
		return nil, fmt.Errorf("an order has at most %d licenses", maxLicenses)
	}
	licenses := make([]License, len(in.Licenses))
	for i, il := range in.Licenses {
		start, err1 := time.Parse(DateLayout, il.SupportStart)
		end, err2 := time.Parse(DateLayout, il.SupportEnd)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("license %d: support_start and support_end must be dates such as 2026-03-14", i+1)
		}
		l := License{ID: LicenseID(ref, i+1), OrderRef: ref, Software: il.Software, Edition: il.Edition,
			Users: il.Users, Serial: il.Serial, PurchasedAt: o.Date, SupportStart: start, SupportEnd: end, Version: max(il.Version, 1)}
		if err := l.Validate(); err != nil {
			return nil, fmt.Errorf("license %d: %s", i+1, MessageOf(err))
		}
		licenses[i] = l
		o.LicenseIDs = append(o.LicenseIDs, l.ID)
	}
	return &OrderWithLicenses{Order: o, Licenses: licenses}, nil
}

func strictUnmarshal(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(jsonProblem(err))
	}
	if dec.More() {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}

// jsonProblem words a decoding error for the person who wrote the file.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Sprintf("field %q should be %s, not a JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Sprintf("invalid JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	default:
		return err.Error()
	}
}
