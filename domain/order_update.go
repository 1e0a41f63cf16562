package domain

import "time"

// OrderUpdate is an order with its licenses and their history, as one change sees
// them inside a storage transaction. Each operation below is one change a
// customer, the software or staff can make; it alters Order and Licenses in
// place and appends what it did to Recorded. Storage loads the update, runs one
// operation and writes the order, its licenses and the recorded history
// together, or nothing when the operation fails.
type OrderUpdate struct {
	Order    Order
	Licenses []License
	// History holds each license's history, oldest first, by license id.
	History map[string][]HistoryEntry
	// Recorded is the history the operations add.
	Recorded []HistoryEntry
}

// ErrUnknownKey is the one answer for an activation key that belongs to no order,
// or no longer: the caller cannot tell a reissued key from a made-up one.
var ErrUnknownKey = NotFoundf("no order has this activation key")

// license returns the license with id among the update's licenses.
func (u *OrderUpdate) license(id string) (*License, error) {
	for i := range u.Licenses {
		if u.Licenses[i].ID == id {
			return &u.Licenses[i], nil
		}
	}
	return nil, ErrNotFound
}

func (u *OrderUpdate) record(entries ...HistoryEntry) {
	u.Recorded = append(u.Recorded, entries...)
	if u.History == nil {
		u.History = map[string][]HistoryEntry{}
	}
	for _, e := range entries {
		u.History[e.LicenseID] = append(u.History[e.LicenseID], e)
	}
}

// CheckKey refuses a key other than the order's own. The software's requests
// find the order by its key before the transaction; the key may have been
// reissued in between, so the operations compare it again here.
func (u *OrderUpdate) CheckKey(key string) error {
	if !SameKey(u.Order.ActivationKey, key) {
		return ErrUnknownKey
	}
	return nil
}

// Activate binds the order's unbound licenses to serial for the software holding
// key, and answers the licenses now on serial (see Activate).
func (u *OrderUpdate) Activate(key, serial string, now time.Time) ([]License, error) {
	if err := u.CheckKey(key); err != nil {
		return nil, err
	}
	onSerial, entries, err := Activate(u.Licenses, serial, now)
	if err != nil {
		return nil, err
	}
	u.record(entries...)
	return onSerial, nil
}

// RefreshFromSoftware answers the licenses on serial to the software holding
// key, recording the first refresh of each version.
func (u *OrderUpdate) RefreshFromSoftware(key, serial string, now time.Time) ([]License, error) {
	if err := u.CheckKey(key); err != nil {
		return nil, err
	}
	onSerial, entries, err := RefreshFromSoftware(u.Licenses, u.History, serial, now)
	if err != nil {
		return nil, err
	}
	u.record(entries...)
	return onSerial, nil
}

// RefreshInPortal answers a license as it stands now, recording the customer's
// first refresh of each version.
func (u *OrderUpdate) RefreshInPortal(licenseID string, now time.Time) (License, error) {
	l, err := u.license(licenseID)
	if err != nil {
		return License{}, err
	}
	u.record(RefreshInPortal(*l, u.History[l.ID], now)...)
	return *l, nil
}

// Rehost frees a license's serial within the policy's limit (see Rehost).
func (u *OrderUpdate) Rehost(licenseID string, policy RehostPolicy, now time.Time) (License, error) {
	l, err := u.license(licenseID)
	if err != nil {
		return License{}, err
	}
	freed, entry, err := Rehost(*l, u.History[l.ID], policy, now)
	if err != nil {
		return License{}, err
	}
	*l = freed
	u.record(entry)
	return freed, nil
}

// ReissueKey gives the order the new key newKey (see ReissueKey).
func (u *OrderUpdate) ReissueKey(newKey string, actor Actor, now time.Time) {
	order, entries := ReissueKey(u.Order, u.Licenses, newKey, actor, now)
	u.Order = order
	u.record(entries...)
}

// ActivateOffline binds one license to the computer whose serial the customer
// typed in the portal, for a release that reads license files: the signed file
// names that computer. A license already on that computer stays; one on another
// computer needs a rehost first.
func (u *OrderUpdate) ActivateOffline(licenseID, serial string, now time.Time) (License, error) {
	l, err := u.license(licenseID)
	if err != nil {
		return License{}, err
	}
	switch l.Serial {
	case serial:
		return *l, nil
	case "":
	default:
		return License{}, Conflict("rehost.first", "This license is activated on another computer ({{.Serial}}): rehost it first.", "Serial", l.Serial)
	}
	before := *l
	l.Serial = serial
	l.Version++
	u.record(HistoryEntry{LicenseID: l.ID, At: now.UTC(), Kind: ChangeActivation, Actor: ActorCustomer,
		Note: historyNote("history.note_offline"), Before: before, After: *l})
	return *l, nil
}
