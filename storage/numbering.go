package storage

import (
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"
)

// orderNumber is the digits of a reference ("JWT100234" → 100234).
func orderNumber(ref string) uint64 {
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0
	}
	n, _ := strconv.ParseUint(ref[i:], 10, 64)
	return n
}

// noteOrderNumber keeps the highest order number seen, so that new references
// follow the imported ones.
func noteOrderNumber(txn *badger.Txn, n uint64) error {
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
	n, err := lastOrderNumber(txn)
	if err != nil {
		return "", err
	}
	if n < 100000 {
		n = 100000
	}
	for {
		n++
		ref := prefix + strconv.FormatUint(n, 10)
		taken, err := exists(txn, orderKey(ref))
		if err != nil {
			return "", err
		}
		if !taken {
			return ref, noteOrderNumber(txn, n)
		}
	}
}
