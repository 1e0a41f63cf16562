package storage

import (
	"reflect"
	"slices"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// orderSnapshot is an order with its licenses and their history as one read saw them.
type orderSnapshot struct {
	found    bool
	order    domain.Order
	licenses []domain.License
	history  map[string][]domain.HistoryEntry
}

func loadOrderSnapshot(txn *badger.Txn, ref string) (orderSnapshot, error) {
	snap := orderSnapshot{history: map[string][]domain.HistoryEntry{}}
	var err error
	if snap.found, err = getJSON(txn, orderKey(ref), &snap.order); err != nil || !snap.found {
		return snap, err
	}
	for _, id := range snap.order.LicenseIDs {
		var l domain.License
		if _, err := getJSON(txn, licenseKey(id), &l); err != nil {
			return snap, err
		}
		if snap.history[id], err = licenseHistory(txn, id); err != nil {
			return snap, err
		}
		snap.licenses = append(snap.licenses, l)
	}
	return snap, nil
}

// update is a copy of the snapshot for one operation to change: what the
// operation alters or appends to is its own.
func (snap orderSnapshot) update() *domain.OrderUpdate {
	u := &domain.OrderUpdate{Order: snap.order, Licenses: slices.Clone(snap.licenses),
		History: make(map[string][]domain.HistoryEntry, len(snap.history))}
	for id, h := range snap.history {
		u.History[id] = slices.Clip(h)
	}
	return u
}

// unchanged reports whether the operation left everything as the snapshot has it.
func (snap orderSnapshot) unchanged(u *domain.OrderUpdate) bool {
	return len(u.Recorded) == 0 && reflect.DeepEqual(snap.order, u.Order) && slices.EqualFunc(snap.licenses, u.Licenses,
		func(a, b domain.License) bool { return reflect.DeepEqual(a, b) })
}
