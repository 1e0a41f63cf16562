package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Backup writes the whole database in Badger's own backup format, online.
func (s *Store) Backup(w io.Writer) error {
	if _, err := s.db.Backup(w, 0); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	return nil
}

// ErrNotEmpty means a restore was aimed at a data folder that already holds data.
var ErrNotEmpty = errors.New("the data folder is not empty: restore into a new folder, then point the portal at it")

// maxBackupRecord bounds one record of a backup stream; a larger size means the
// file is not a backup (Badger would try to allocate it and crash).
const maxBackupRecord = 1 << 30

// checkBackup walks a backup stream's records (a little-endian length, then that
// many bytes) without loading them.
func checkBackup(r io.Reader) error {
	br := bufio.NewReader(r)
	records := 0
	for {
		var size uint64
		err := binary.Read(br, binary.LittleEndian, &size)
		if errors.Is(err, io.EOF) && records > 0 {
			return nil
		}
		if err != nil || size == 0 || size > maxBackupRecord {
			return errNotBackup
		}
		if _, err := io.CopyN(io.Discard, br, int64(size)); err != nil {
			return errNotBackup
		}
		records++
	}
}

var errNotBackup = errors.New("the file is not a portal backup, or is damaged")

// Restore loads a backup into dir, which must be empty or not exist, and writes
// the signing key that the backup carries.
func Restore(dir string, r io.ReadSeeker, log *slog.Logger) error {
	if err := checkBackup(r); err != nil {
		return err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("storage: restore: %w", err)
	}
	if len(entries) > 0 {
		return ErrNotEmpty
	}
	s, err := Open(dir, log)
	if err != nil {
		return err
	}
	// The folder was empty: on failure, leave it empty again for the next try.
	fail := func(err error) error {
		s.Close()
		if entries, rerr := os.ReadDir(dir); rerr == nil {
			for _, e := range entries {
				os.RemoveAll(filepath.Join(dir, e.Name()))
			}
		}
		return err
	}
	if err := s.db.Load(r, 256); err != nil {
		return fail(fmt.Errorf("storage: restore: %w: %w", errNotBackup, err))
	}
	if err := s.restoreSigningKey(dir); err != nil {
		return fail(err)
	}
	return s.Close()
}
