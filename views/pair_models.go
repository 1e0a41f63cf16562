package views

import (
	"context"
	"time"

	"portal/domain"
)

// PairPageData is the /pair page: the code field, then the software that
// asks and the licenses the customer may give it.
type PairPageData struct {
	// Code is the user code as typed, or as the link filled it.
	Code  string
	Flash FlashData
	// Request is set once the code names a pending pairing.
	Request *PairRequestData
	CSRF    string
}

// PairRequestData is a pending pairing in plain words, with the customer's
// licenses of its software that are free or already on its computer, by order
// (each order has its own activation key: one order per approval).
type PairRequestData struct {
	Code      string // WDJB-MJHT
	Software  string
	Hostname  string
	Serial    string
	Requested time.Time
	Orders    []PairOrderData
	// Elsewhere counts the customer's licenses of the software on other computers.
	Elsewhere int
}

// PairOrderData is one order's licenses that the approval may bind.
type PairOrderData struct {
	Reference string
	Licenses  []LicenseRowData
}

// NewPairRequestData shapes a pairing and the customer's licenses for the page.
func NewPairRequestData(p domain.Pairing, code string, licenses []domain.License, now time.Time) *PairRequestData {
	d := &PairRequestData{Code: domain.FormatUserCode(code), Software: p.Software, Hostname: p.Hostname, Serial: p.Serial, Requested: p.Requested}
	index := map[string]int{}
	for _, l := range licenses {
		switch {
		case l.Software != p.Software:
			continue
		case l.Serial != "" && l.Serial != p.Serial:
			d.Elsewhere++
			continue
		}
		i, ok := index[l.OrderRef]
		if !ok {
			i = len(d.Orders)
			index[l.OrderRef] = i
			d.Orders = append(d.Orders, PairOrderData{Reference: l.OrderRef})
		}
		d.Orders[i].Licenses = append(d.Orders[i].Licenses, NewLicenseRowData(l, now))
	}
	return d
}

// pairLicenseNote names a license beside its checkbox, and says when it is on
// the asking computer already.
func pairLicenseNote(ctx context.Context, l LicenseRowData) string {
	if l.Serial != "" {
		return t(ctx, "pair.license_here", "License", l.ID)
	}
	return l.ID
}
