package storage

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// errHeldElsewhere is lockExclusive's answer when another process holds the lock.
var errHeldElsewhere = errors.New("locked by another process")

// lockExclusive locks f's first byte for this process, without waiting: the
// release build runs on Windows too, where flock does not exist.
func lockExclusive(f *os.File) error {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errHeldElsewhere
	}
	return err
}
