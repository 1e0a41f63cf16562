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

// labelOf says v, a value of one of the domain's closed sets, by its message
// in keys, in the reader's language; a value the table lacks as it is.
func labelOf[T ~string](ctx context.Context, keys map[T]string, v T) string {
	if key, ok := keys[v]; ok {
		return t(ctx, key)
	}
	return string(v)
}

// The messages of the domain's closed sets, for labelOf.
var (
	// kindKeys name what happened to a license.
	kindKeys = map[domain.ChangeKind]string{
		domain.ChangeActivation: "history.activation", domain.ChangeRefresh: "history.refresh",
		domain.ChangeRehost: "history.rehost", domain.ChangeKeyReissue: "history.key_reissue",
		domain.ChangeUpgrade: "history.upgrade", domain.ChangeRenewal: "history.renewal",
		domain.ChangeImport: "history.import", domain.ChangeEmail: "history.email",
		domain.ChangePairing: "history.pairing",
	}
	// actorKeys name who made a change.
	actorKeys = map[domain.Actor]string{
		domain.ActorCustomer: "history.by_customer", domain.ActorSoftware: "history.by_software",
		domain.ActorStaff: "history.by_staff", domain.ActorPayment: "history.by_payment",
		domain.ActorImport: "history.by_import",
	}
	// matchKeys say what a staff search matched.
	matchKeys = map[domain.SearchMatch]string{
		domain.MatchOrderNumber: "search.by_order", domain.MatchEmail: "search.by_email",
		domain.MatchEmailDomain: "search.by_domain", domain.MatchSerial: "search.by_serial",
		domain.MatchActivationKey: "search.by_key",
	}
	// sourceKeys say where an order came from.
	sourceKeys = map[domain.Source]string{
		domain.SourceImport: "staff_order.from_import", domain.SourceUpgrade: "staff_order.from_upgrade",
		domain.SourceRenewal: "staff_order.from_renewal",
	}
	// roleKeys name a staff role.
	roleKeys = map[domain.Role]string{
		domain.RoleSupport: "staff_admin.role_support_short", domain.RoleAdmin: "staff_admin.role_admin_short",
	}
	// deliveryKeys name where a webhook delivery stands.
	deliveryKeys = map[domain.DeliveryStatus]string{
		domain.DeliveryPending: "webhooks.pending", domain.DeliveryDelivered: "webhooks.delivered",
		domain.DeliveryFailed: "webhooks.failed",
	}
)
