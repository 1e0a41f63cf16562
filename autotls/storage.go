package autotls

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"

	"portal/domain"
)

// Files is what the certificates need of the portal's store: both backends
// keep certificate files and locks (storage.Store in the data folder,
// postgres.Store in the database that instances share).
type Files interface {
	PutCertificateFile(ctx context.Context, f domain.CertificateFile) error
	CertificateFile(ctx context.Context, key string) (domain.CertificateFile, bool, error)
	CertificateKeys(ctx context.Context, prefix string) ([]string, error)
	DeleteCertificateFiles(ctx context.Context, key string) error
	HoldCertificateLock(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseCertificateLock(ctx context.Context, name, holder string) error
}

const (
	// lockTTL is how long a lock outlives a holder that stopped renewing it
	// (a killed instance); a live holder renews it every lockTTL/3.
	lockTTL = time.Minute
	// lockPoll is how often a waiting Lock asks again.
	lockPoll = 500 * time.Millisecond
)

// Storage is certmagic's Storage over the portal's store. Keys are paths;
// "folders" are only the beginnings of keys, as certmagic expects.
type Storage struct {
	files Files
	log   *slog.Logger
	// process tells this process's lock holders from other instances'.
	process string

	mu   sync.Mutex
	n    uint64
	held map[string]*heldLock
}

// heldLock is a lock this process holds: its holder (one per Lock call, so
// that two goroutines of one process exclude each other too) and the
// renewal that keeps it until Unlock.
type heldLock struct {
	holder string
	stop   context.CancelFunc
	done   chan struct{}
}

var (
	_ certmagic.Storage          = (*Storage)(nil)
	_ certmagic.TryLocker        = (*Storage)(nil)
	_ certmagic.LockLeaseRenewer = (*Storage)(nil)
)

// NewStorage answers certmagic's storage over files.
func NewStorage(files Files, log *slog.Logger) *Storage {
	b := make([]byte, 8)
	rand.Read(b)
	return &Storage{files: files, log: log, process: hex.EncodeToString(b), held: map[string]*heldLock{}}
}

// Store writes value under key, stamped with the time of writing.
func (s *Storage) Store(ctx context.Context, key string, value []byte) error {
	return s.files.PutCertificateFile(ctx, domain.CertificateFile{Key: key, Value: value, Modified: time.Now()})
}

// Load reads the value under key; fs.ErrNotExist without one.
func (s *Storage) Load(ctx context.Context, key string) ([]byte, error) {
	f, found, err := s.files.CertificateFile(ctx, key)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fs.ErrNotExist
	}
	return f.Value, nil
}

// Delete removes key and everything under it as a folder.
func (s *Storage) Delete(ctx context.Context, key string) error {
	return s.files.DeleteCertificateFiles(ctx, key)
}

// Exists reports whether key is a file or a folder.
func (s *Storage) Exists(ctx context.Context, key string) bool {
	_, err := s.Stat(ctx, key)
	return err == nil
}

// List answers the keys under the folder path: its files and folders, and
// with recursive everything below them too, as certmagic's file storage does.
func (s *Storage) List(ctx context.Context, path string, recursive bool) ([]string, error) {
	prefix := folder(path)
	keys, err := s.files.CertificateKeys(ctx, prefix)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fs.ErrNotExist
	}
	var out []string
	for _, k := range keys {
		parts := strings.Split(strings.TrimPrefix(k, prefix), "/")
		if !recursive {
			parts = parts[:1]
		}
		for i := range parts {
			out = append(out, prefix+strings.Join(parts[:i+1], "/"))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Stat describes key, a file or a folder; fs.ErrNotExist if it is neither.
func (s *Storage) Stat(ctx context.Context, key string) (certmagic.KeyInfo, error) {
	f, found, err := s.files.CertificateFile(ctx, key)
	if err != nil {
		return certmagic.KeyInfo{}, err
	}
	if found {
		return certmagic.KeyInfo{Key: key, Modified: f.Modified, Size: int64(len(f.Value)), IsTerminal: true}, nil
	}
	under, err := s.files.CertificateKeys(ctx, folder(key))
	if err != nil {
		return certmagic.KeyInfo{}, err
	}
	if len(under) == 0 {
		return certmagic.KeyInfo{}, fs.ErrNotExist
	}
	return certmagic.KeyInfo{Key: key, IsTerminal: false}, nil
}

// folder is the beginning of the keys under path ("" for the root).
func folder(path string) string {
	path = strings.Trim(path, "/")
	if path == "" {
		return ""
	}
	return path + "/"
}

// Lock waits until this process holds the lock called name, or ctx ends.
func (s *Storage) Lock(ctx context.Context, name string) error {
	for {
		ok, err := s.TryLock(ctx, name)
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// TryLock takes the lock called name if nobody holds it, and keeps it
// renewed until Unlock.
func (s *Storage) TryLock(ctx context.Context, name string) (bool, error) {
	s.mu.Lock()
	s.n++
	holder := fmt.Sprintf("%s-%d", s.process, s.n)
	s.mu.Unlock()
	ok, err := s.files.HoldCertificateLock(ctx, name, holder, lockTTL)
	if !ok || err != nil {
		return false, err
	}
	renewCtx, stop := context.WithCancel(context.Background())
	l := &heldLock{holder: holder, stop: stop, done: make(chan struct{})}
	s.mu.Lock()
	s.held[name] = l
	s.mu.Unlock()
	go s.keepLock(renewCtx, name, l)
	return true, nil
}

// keepLock renews a held lock until it is released, so that a long task
// (an ACME order with retries) keeps it while a dead holder's runs out.
func (s *Storage) keepLock(ctx context.Context, name string, l *heldLock) {
	defer close(l.done)
	t := time.NewTicker(lockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if ok, err := s.files.HoldCertificateLock(ctx, name, l.holder, lockTTL); err != nil || !ok {
				s.log.Warn("could not renew a certificate lock", "lock", name, "held", ok, "error", fmt.Sprint(err))
			}
		}
	}
}

// RenewLockLease extends a held lock for a task that will take longer.
func (s *Storage) RenewLockLease(ctx context.Context, name string, lease time.Duration) error {
	s.mu.Lock()
	l := s.held[name]
	s.mu.Unlock()
	if l == nil {
		return fmt.Errorf("certificate lock %s is not held here", name)
	}
	ok, err := s.files.HoldCertificateLock(ctx, name, l.holder, max(lease, lockTTL))
	if err == nil && !ok {
		err = fmt.Errorf("certificate lock %s was taken by another instance", name)
	}
	return err
}

// Unlock releases the lock called name that this process holds.
func (s *Storage) Unlock(ctx context.Context, name string) error {
	s.mu.Lock()
	l := s.held[name]
	delete(s.held, name)
	s.mu.Unlock()
	if l == nil {
		return fmt.Errorf("certificate lock %s is not held here", name)
	}
	l.stop()
	<-l.done
	return s.files.ReleaseCertificateLock(ctx, name, l.holder)
}

// String names the storage in certmagic's logs.
func (s *Storage) String() string { return "portal store" }
