//go:build !windows

package storage

import (
	"errors"
	"os"
	"syscall"
)

// errHeldElsewhere is lockExclusive's answer when another process holds the lock.
var errHeldElsewhere = errors.New("locked by another process")

// lockExclusive takes f's advisory lock for this process, without waiting.
func lockExclusive(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errHeldElsewhere
	}
	return err
}
