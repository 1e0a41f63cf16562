package views

import (
	"time"

	"github.com/a-h/templ"

	"portal/domain"
)

// LicenseRowData is one license as the Licenses page shows it.
type LicenseRowData struct {
	ID       string
	Software string
	Edition  string
	Users    int
	// Workstations: the license counts workstations (Remote Work products),
	// not users, as the vendor's own pages say.
	Workstations bool
	Serial       string
	OrderRef     string
	PurchasedAt  time.Time
	// SpanCount and SpanUnit are the support period: 1 year, 6 months.
	SpanCount  int
	SpanUnit   domain.SpanUnit
	SupportEnd time.Time
	State      domain.SupportState
	DaysLeft   int
	Version    int
	// CSRF is the token of the row's forms.
	CSRF string
	// Synced is set on the answer to "Refresh your License".
	Synced      bool
	SyncedAt    time.Time
	SyncChanges []domain.Change
	// OOB marks the row for an out-of-band htmx swap (after a rehost).
	OOB bool
	// Upgradable: users can be added from the portal. Renewable: the product is in
	// the catalog, so support can be renewed here.
	Upgradable bool
	Renewable  bool
}

// WithProduct marks what the license's catalog entry allows; found is false for a
// product no longer in the catalog.
func (r LicenseRowData) WithProduct(p domain.Product, found bool) LicenseRowData {
	r.Upgradable = found && p.Upgradable
	r.Renewable = found
	return r
}

func (r LicenseRowData) oobAttrs() templ.Attributes {
	if r.OOB {
		return templ.Attributes{"hx-swap-oob": "true"}
	}
	return templ.Attributes{}
}

// NewLicenseRowData shapes a license for display at now.
func NewLicenseRowData(l domain.License, now time.Time) LicenseRowData {
	n, unit := l.SupportSpan()
	return LicenseRowData{
		ID:           l.ID,
		Software:     l.Software,
		Edition:      l.Edition,
		Users:        l.Users,
		Workstations: countsWorkstations(l),
		Serial:       l.Serial,
		OrderRef:     l.OrderRef,
		PurchasedAt:  l.PurchasedAt,
		SpanCount:    n,
		SpanUnit:     unit,
		SupportEnd:   l.SupportEnd,
		State:        l.Support(now),
		DaysLeft:     l.DaysLeft(now),
		Version:      l.Version,
	}
}

// NewLicenseRowDataList shapes licenses for display at now, their forms carrying csrf.
func NewLicenseRowDataList(licenses []domain.License, now time.Time, csrf string) []LicenseRowData {
	rows := make([]LicenseRowData, len(licenses))
	for i, l := range licenses {
		rows[i] = NewLicenseRowData(l, now)
		rows[i].CSRF = csrf
	}
	return rows
}

// ActivationKeyData is an order's key as the customer is shown it.
type ActivationKeyData struct {
	OrderRef string
	Key      string
	CSRF     string
	// Reissued is set right after a reissue.
	Reissued bool
}

// NewActivationKeyData shapes an order's key for display.
func NewActivationKeyData(o domain.Order, csrf string) ActivationKeyData {
	return ActivationKeyData{OrderRef: o.Reference, Key: domain.FormatActivationKey(o.ActivationKey), CSRF: csrf}
}

// LicenseDetailsData is a license's files, rehost state and history.
type LicenseDetailsData struct {
	License     LicenseRowData
	Serial      string
	RehostsLeft int
	RehostLimit int
	WindowDays  int
	NextRehost  time.Time
	History     []HistoryRowData
	CSRF        string
	Flash       FlashData
	// ReadOnly hides the customer's forms, for staff.
	ReadOnly bool
}

// HistoryRowData is one history entry as the customer reads it.
type HistoryRowData struct {
	At   time.Time
	Kind domain.ChangeKind
	// Changes are what the entry changed; Note what the fields do not show
	// (stored with the entry, in English).
	Changes []domain.Change
	Note    string
	By      domain.Actor
	// Workstations: the license counts workstations, as its user changes say.
	Workstations bool
}

// NewLicenseDetailsData shapes a license and its history (oldest first) for display,
// newest entry first.
func NewLicenseDetailsData(l domain.License, history []domain.HistoryEntry, policy domain.RehostPolicy, now time.Time, csrf string) LicenseDetailsData {
	left, next := policy.RehostsLeft(history, now)
	d := LicenseDetailsData{
		License: NewLicenseRowData(l, now), Serial: l.Serial, RehostsLeft: left, RehostLimit: policy.Limit,
		WindowDays: int(policy.Window.Hours() / 24), NextRehost: next, CSRF: csrf,
	}
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		d.History = append(d.History, HistoryRowData{At: e.At, Kind: e.Kind, Changes: domain.ChangeList(e.Before, e.After),
			Note: e.Note, By: e.Actor, Workstations: l.CountsWorkstations()})
	}
	return d
}

// countsWorkstations: what the license counts (domain.License.CountsWorkstations).
func countsWorkstations(l domain.License) bool { return l.CountsWorkstations() }
