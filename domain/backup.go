package domain

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"time"
)

// A backup is every record of a portal (see Record) as gzip-compressed JSON
// Lines: a first line that says what the file is, then one record a line. It
// is the same for every storage backend, so that a backup of a Badger folder
// restores into PostgreSQL and the other way round. It holds no signing key:
// the key file is kept, and backed up, on its own.
const backupFormat = "portal-backup"

// backupVersion is the version of the format this portal writes and reads.
const backupVersion = 1

type backupHeader struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
}

// WriteBackup writes the records that dump gives to w, as a backup made at now.
func WriteBackup(w io.Writer, now time.Time, dump func(emit func(Record) error) error) error {
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 64<<10)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(backupHeader{Format: backupFormat, Version: backupVersion, Created: now.UTC()}); err != nil {
		return err
	}
	if err := dump(func(r Record) error { return enc.Encode(r) }); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ErrNotBackup is the answer for a file that is not a portal backup, or is damaged.
var ErrNotBackup = Invalidf("the file is not a portal backup, or is damaged")

// ReadBackup reads the records of a backup, in order. A file that is not a
// backup, a damaged or cut one, answers ErrNotBackup (where it stops).
func ReadBackup(r io.Reader) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		zr, err := gzip.NewReader(r)
		if err != nil {
			yield(Record{}, ErrNotBackup)
			return
		}
		br := bufio.NewReaderSize(zr, 64<<10)
		var header backupHeader
		line, err := br.ReadBytes('\n')
		if err != nil || json.Unmarshal(line, &header) != nil || header.Format != backupFormat {
			yield(Record{}, ErrNotBackup)
			return
		}
		if header.Version > backupVersion {
			yield(Record{}, Invalidf("the backup was written by a newer portal (format %d): upgrade this one first", header.Version))
			return
		}
		for {
			line, err := br.ReadBytes('\n')
			if errors.Is(err, io.EOF) && len(bytes.TrimSpace(line)) == 0 {
				return
			}
			if err != nil && !errors.Is(err, io.EOF) {
				yield(Record{}, errors.Join(ErrNotBackup, err))
				return
			}
			var rec Record
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&rec); derr != nil || rec.Validate() != nil {
				yield(Record{}, ErrNotBackup)
				return
			}
			if !yield(rec, nil) {
				return
			}
		}
	}
}
