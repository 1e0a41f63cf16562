package storage

import (
	"strconv"

	"github.com/dgraph-io/badger/v4"

	"portal/domain"
)

// noteOrderNumber keeps the highest order number counted, so that new
// references follow the imported ones; numbers the portal does not count from
// are ignored (see domain.OrderNumber).
func noteOrderNumber(txn *badger.Txn, ref string) error {
	n, ok := domain.OrderNumber(ref)
	if !ok {
		return nil
	}
	last, err := lastOrderNumber(txn)
	if err != nil || n <= last {
		return err
	}
	return txn.Set([]byte(keyOrderNumber), []byte(strconv.FormatUint(n, 10)))
}

func lastOrderNumber(txn *badger.Txn) (uint64, error) {
	v, found, err := getString(txn, keyOrderNumber)
	if err != nil || !found {
		return 0, err
	}
	return strconv.ParseUint(v, 10, 64)
}

// newOrderReference takes the next free reference with prefix.
func newOrderReference(txn *badger.Txn, prefix string) (string, error) {
	last, err := lastOrderNumber(txn)
	if err != nil {
		return "", err
	}
	for {
		ref, n, err := domain.NextOrderReference(prefix, last)
		if err != nil {
			return "", err
		}
		taken, err := exists(txn, orderKey(ref))
		if err != nil {
			return "", err
		}
		if !taken {
			return ref, noteOrderNumber(txn, ref)
		}
		last = n
	}
}
