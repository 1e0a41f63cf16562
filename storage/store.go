// Package storage keeps the portal's data in Badger, in one data folder.
//
// Key layout (every multi-key change is written in one transaction):
//
//	order/<REF>                      order JSON (without its licenses)
//	license/<LICENSE ID>             license JSON
//	email/<email>\x00<REF>           empty: index of an email's orders
//	edomain/<domain>\x00<REF>        empty: index of orders by the domain of their email
//	akey/<ACTIVATION KEY>            the order reference the key belongs to
//	serial/<serial>\x00<LICENSE ID>   empty: index of the licenses bound to a serial
//	history/<LICENSE ID>\x00<time>    a license's history entry (time: 20-digit Unix ns, then a counter)
//	product/<software>\x00<edition>  product JSON
//	purchase/<PURCHASE ID>           a locked quote and what became of it
//	pemail/<email>\x00<PURCHASE ID>  empty: index of an email's purchases
//	unpaid/<keep until>\x00<PURCHASE ID> empty: pending purchases by when they may be forgotten (20-digit Unix s)
//	flagged/<PURCHASE ID>            empty: index of paid purchases that staff must look at
//	event/<PAYMENT EVENT ID>         the purchase a payment event fulfilled (each event counts once)
//	seq/order-number                 the highest order number seen, for new references
//	staff/<email>                    a staff account
//	staffsession/<sha256 of token>   a staff session, with a time to live
//	audit/<time>-<n>                 what staff changed (time: 20-digit Unix ns)
//	settings/seller                  the seller details an admin saved (invoices)
//	session/<sha256 of token, hex>   session JSON, with a time to live
//	certfile/<key>                   a TLS certificate file (domain.CertificateFile), for --domain
//	certlock/<name>                  who holds a certificate task's lock, and until when
package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

const (
	prefixOrder           = "order/"
	prefixLicense         = "license/"
	prefixEmail           = "email/"
	prefixKey             = "akey/"
	prefixDomain          = "edomain/"
	prefixProduct         = "product/"
	prefixSerial          = "serial/"
	prefixPurchase        = "purchase/"
	prefixPurchaseEmail   = "pemail/"
	prefixUnpaid          = "unpaid/"
	prefixFlagged         = "flagged/"
	prefixEvent           = "event/"
	prefixSeq             = "seq/"
	keyOrderNumber        = prefixSeq + "order-number"
	prefixInvoice         = "invoice/"
	prefixMailLink        = "maillink/"
	prefixEmailChange     = "emailchange/"
	prefixOutbox          = "outbox/"
	prefixPairing         = "pairing/"
	prefixPairingUser     = "pairuser/"
	prefixWebhookEndpoint = "whendpoint/"
	prefixDelivery        = "whdelivery/"
	prefixDeliveryDue     = "whdue/"
	prefixStaff           = "staff/"
	prefixStaffSes        = "staffsession/"
	prefixAudit           = "audit/"
	keySeller             = "settings/seller"
	prefixHistory         = "history/"
	prefixSession         = "session/"
	prefixCertFile        = "certfile/"
	prefixCertLock        = "certlock/"
)

// Store is the Badger-backed store. Every write is synced to disk before the
// method returns, so that nothing answered is lost in a crash.
type Store struct {
	db   *badger.DB
	log  *slog.Logger
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
	// lock holds the data folder for this process (nil in memory).
	lock *os.File
	// cache keeps values read recently, decoded; queries the answers of
	// queries, until the next write.
	cache   *decodedCache
	queries queryCache
	// limits are the rate limits' buckets.
	limits rateBuckets
}

// ErrLocked means another process (usually a running portal) holds the data folder.
var ErrLocked = errors.New("the data folder is in use by another portal process (stop the server first, or use the admin pages)")

// Open opens (or creates) the store in dir.
func Open(dir string, log *slog.Logger) (*Store, error) {
	// SyncWrites: every commit is on disk before it returns. An explicit Sync after
	// the commit is not enough: it flushes only the current memtable's log, and a
	// concurrent writer may have rotated the memtable in between.
	opts := badger.DefaultOptions(dir).
		WithSyncWrites(true).
		WithValueLogFileSize(64 << 20).
		WithLogger(badgerLogger{log}).
		WithLoggingLevel(badger.WARNING)
	return open(sized(opts), log)
}

// OpenInMemory opens a store that lives in memory only, for tests where durability is not the point.
func OpenInMemory(log *slog.Logger) (*Store, error) {
	opts := badger.DefaultOptions("").WithInMemory(true).
		WithLogger(badgerLogger{log}).WithLoggingLevel(badger.WARNING)
	return open(sized(opts), log)
}

// sized bounds Badger's memory, whose defaults (five 64 MiB memtables, a 256 MiB
// block cache, every table's index and filter held in memory) are made for a
// database server, not for a portal that should run in 128 MiB: two 16 MiB
// memtables (an import's transactions are a sixth of one), an 8 MiB block cache
// and an 8 MiB cache of table indexes and bloom filters. The hottest reads are
// answered from the portal's own caches above Badger (cache.go), so its block
// cache matters less. Tables stay Snappy-compressed: uncompressed, the files
// Badger maps into memory were two and a half times larger, and so was the
// server's resident memory. Two compactors for a small machine; no expvar
// metrics, whose counters every read would update.
func sized(opts badger.Options) badger.Options {
	return opts.
		WithMemTableSize(16 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(8 << 20).
		WithIndexCacheSize(8 << 20).
		WithNumCompactors(2).
		WithCompression(options.Snappy).
		WithMetricsEnabled(false)
}

func open(opts badger.Options, log *slog.Logger) (*Store, error) {
	var lock *os.File
	if !opts.InMemory {
		if err := privateFolder(opts.Dir, log); err != nil {
			return nil, err
		}
		var err error
		if lock, err = lockFolder(opts.Dir); err != nil {
			return nil, err
		}
	}
	db, err := badger.Open(opts)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("storage: open %q: %w", opts.Dir, err)
	}
	s := &Store{db: db, log: log, stop: make(chan struct{}), lock: lock, cache: newDecodedCache(decodedCacheSize)}
	if !opts.InMemory {
		s.wg.Add(1)
		go s.collectGarbage()
	}
	return s, nil
}

// Close flushes and closes the database. Calls after the first do nothing.
func (s *Store) Close() error {
	var err error
	s.once.Do(func() {
		close(s.stop)
		s.wg.Wait()
		if cerr := s.db.Close(); cerr != nil {
			err = fmt.Errorf("storage: close: %w", cerr)
		}
		s.lock.Close()
	})
	return err
}

// collectGarbage reclaims value-log space now and then, as Badger leaves that to its user.
func (s *Store) collectGarbage() {
	defer s.wg.Done()
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			for s.db.RunValueLogGC(0.7) == nil {
			}
		}
	}
}

// decodedCacheSize bounds the values kept decoded: a few megabytes.
const decodedCacheSize = 8192

// errReadOnly is what a read-modify-write function answers when it found
// nothing to change: no write was made, and the query cache stays valid.
var errReadOnly = errors.New("storage: nothing written")

// maxRetries bounds the retries of a read-modify-write that met a concurrent one.
const maxRetries = 30

// update runs fn in a read-write transaction, retrying the whole of it when it met
// a concurrent change of the same keys.
func (s *Store) update(ctx context.Context, fn func(txn *badger.Txn) error) error {
	var err error
	for attempt := range maxRetries {
		if err = ctx.Err(); err != nil {
			return err
		}
		err = s.db.Update(fn)
		if errors.Is(err, errReadOnly) {
			return nil
		}
		if err == nil {
			// Committed: what was read before may have changed.
			s.queries.wrote()
		}
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
		// A short random pause, growing with each try, so that writers of the same
		// keys stop colliding.
		time.Sleep(time.Duration(rand.Int64N(int64(attempt+1) * int64(time.Millisecond))))
	}
	return err
}

// badgerLogger sends Badger's own messages to slog.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) Errorf(f string, a ...any) {
	l.log.Error(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}
func (l badgerLogger) Warningf(f string, a ...any) {
	l.log.Warn(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}
func (l badgerLogger) Infof(f string, a ...any) {
	l.log.Info(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}
func (l badgerLogger) Debugf(f string, a ...any) {
	l.log.Debug(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}

// Ping checks that the database answers a read.
func (s *Store) Ping(ctx context.Context) error {
	return s.db.View(func(txn *badger.Txn) error { return nil })
}

// privateFolder makes the data folder, or tightens an existing one, so that only
// its owner can enter it: Badger's files hold every customer's data and a copy
// of the signing key, and are made readable by all under the usual umask.
func privateFolder(dir string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("storage: make data folder: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("storage: data folder: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("storage: restrict data folder %s to its owner: %w", dir, err)
		}
		log.Warn("the data folder was open to other users; it is now readable by its owner only",
			"folder", dir, "was", info.Mode().Perm().String())
	}
	return nil
}

// lockFile is held by the process that has the data folder open.
const lockFile = "portal.lock"

// lockFolder takes the data folder for this process, or answers ErrLocked when
// another process (usually a running portal) holds it. The lock goes with the
// process, so a killed portal never leaves the folder locked.
func lockFolder(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("storage: make data folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("storage: lock data folder: %w", err)
	}
	if err := lockExclusive(f); err != nil {
		f.Close()
		if errors.Is(err, errHeldElsewhere) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("storage: lock data folder: %w", err)
	}
	return f, nil
}
