package views

import (
	"context"
	"strings"
	"time"

	"portal/domain"
	"portal/i18n"
)

// The words of the portal's domain values in the request's language. Keys
// are written out whole (never built from a value), so that the test of the
// message files sees every key in use.

// usersWord names what a license counts, for n of them: "workstations",
// "user".
func usersWord(ctx context.Context, n int, workstations bool) string {
	if workstations {
		return t(ctx, "unit.workstations", "Count", n)
	}
	return t(ctx, "unit.users", "Count", n)
}

// spanText is a support period: "1 year", "6 months", "45 days".
func spanText(ctx context.Context, n int, unit domain.SpanUnit) string {
	switch unit {
	case domain.SpanYear:
		return t(ctx, "unit.years", "Count", n)
	case domain.SpanMonth:
		return t(ctx, "unit.months", "Count", n)
	default:
		return t(ctx, "unit.days", "Count", n)
	}
}

// changeText is one change of a license: "users 5 → 8".
func changeText(ctx context.Context, c domain.Change, workstations bool) string {
	switch c.Field {
	case domain.FieldUsers:
		if workstations {
			return t(ctx, "change.workstations", "Before", c.Before, "After", c.After)
		}
		return t(ctx, "change.users", "Before", c.Before, "After", c.After)
	case domain.FieldSerial:
		return t(ctx, "change.serial", "Before", orNone(ctx, c.Before), "After", orNone(ctx, c.After))
	case domain.FieldSupportEnd:
		return t(ctx, "change.support_end", "Before", isoDateText(ctx, c.Before), "After", isoDateText(ctx, c.After))
	case domain.FieldEdition:
		return t(ctx, "change.edition", "Before", c.Before, "After", c.After)
	}
	return c.String()
}

func orNone(ctx context.Context, s string) string {
	if s == "" {
		return t(ctx, "change.none")
	}
	return s
}

// isoDateText is a date written 2026-03-14 as the request's language writes it.
func isoDateText(ctx context.Context, iso string) string {
	d, err := time.Parse(domain.DateLayout, iso)
	if err != nil {
		return iso
	}
	return dateText(ctx, d)
}

// changesText is a list of changes of a license in one line; workstations
// says whether it counts workstations.
func changesText(ctx context.Context, changes []domain.Change, sep string, workstations bool) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = changeText(ctx, c, workstations)
	}
	return strings.Join(parts, sep)
}

// historySummary is a history entry's changes and note in one line.
func historySummary(ctx context.Context, h HistoryRowData) string {
	s := changesText(ctx, h.Changes, ", ", h.Workstations)
	note := historyNoteText(ctx, h.Note)
	switch {
	case s != "" && note != "":
		return s + ", " + note
	case note != "":
		return note
	case s == "":
		return t(ctx, "history.no_change")
	}
	return s
}

// historyNoteText is a stored history note in the reader's language when the
// portal wrote it, as stored otherwise (an import's own note).
func historyNoteText(ctx context.Context, stored string) string {
	if note, ok := domain.NoteText(stored); ok {
		return i18n.FromContext(ctx).Format(note)
	}
	return stored
}

// kindLabel names what happened to a license.
func kindLabel(ctx context.Context, k domain.ChangeKind) string {
	switch k {
	case domain.ChangeActivation:
		return t(ctx, "history.activation")
	case domain.ChangeRefresh:
		return t(ctx, "history.refresh")
	case domain.ChangeRehost:
		return t(ctx, "history.rehost")
	case domain.ChangeKeyReissue:
		return t(ctx, "history.key_reissue")
	case domain.ChangeUpgrade:
		return t(ctx, "history.upgrade")
	case domain.ChangeRenewal:
		return t(ctx, "history.renewal")
	case domain.ChangeImport:
		return t(ctx, "history.import")
	case domain.ChangeEmail:
		return t(ctx, "history.email")
	case domain.ChangePairing:
		return t(ctx, "history.pairing")
	}
	return string(k)
}

// actorLabel names who made a change.
func actorLabel(ctx context.Context, a domain.Actor) string {
	switch a {
	case domain.ActorCustomer:
		return t(ctx, "history.by_customer")
	case domain.ActorSoftware:
		return t(ctx, "history.by_software")
	case domain.ActorStaff:
		return t(ctx, "history.by_staff")
	case domain.ActorPayment:
		return t(ctx, "history.by_payment")
	case domain.ActorImport:
		return t(ctx, "history.by_import")
	}
	return string(a)
}

// matchedText says what a staff search matched.
func matchedText(ctx context.Context, matched domain.SearchMatch) string {
	switch matched {
	case domain.MatchOrderNumber:
		return t(ctx, "search.by_order")
	case domain.MatchEmail:
		return t(ctx, "search.by_email")
	case domain.MatchEmailDomain:
		return t(ctx, "search.by_domain")
	case domain.MatchSerial:
		return t(ctx, "search.by_serial")
	case domain.MatchActivationKey:
		return t(ctx, "search.by_key")
	}
	return string(matched)
}

// taxLabel names an order's tax with its rate: "VAT 20%".
func taxLabel(ctx context.Context, rateBP int) string {
	return t(ctx, "order.vat", "Rate", i18n.FromContext(ctx).Rate(rateBP))
}

// taxNote is an order's tax mention in the reader's language.
func taxNote(ctx context.Context, note string) string {
	return langTaxNote(i18n.FromContext(ctx), note)
}

// langTaxNote is an order's tax mention: the law's "Reverse charge" in
// language l, any other note as it was given.
func langTaxNote(l *i18n.Lang, note string) string {
	if note == domain.ReverseCharge {
		return l.T("order.reverse_charge")
	}
	return note
}

// sourceLabel says where an order came from.
func sourceLabel(ctx context.Context, source string) string {
	switch domain.Source(source) {
	case domain.SourceImport:
		return t(ctx, "staff_order.from_import")
	case domain.SourceUpgrade:
		return t(ctx, "staff_order.from_upgrade")
	case domain.SourceRenewal:
		return t(ctx, "staff_order.from_renewal")
	}
	return source
}

// roleLabel names a staff role with what it may do.
func roleLabel(ctx context.Context, role string) string {
	switch domain.Role(role) {
	case domain.RoleSupport:
		return t(ctx, "staff_admin.role_support_short")
	case domain.RoleAdmin:
		return t(ctx, "staff_admin.role_admin_short")
	}
	return role
}

// deliveryStatus names where a webhook delivery stands.
func deliveryStatus(ctx context.Context, status string) string {
	switch domain.DeliveryStatus(status) {
	case domain.DeliveryPending:
		return t(ctx, "webhooks.pending")
	case domain.DeliveryDelivered:
		return t(ctx, "webhooks.delivered")
	case domain.DeliveryFailed:
		return t(ctx, "webhooks.failed")
	}
	return status
}
