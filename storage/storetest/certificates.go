package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var certificateTests = []test{
	{"CertificateFilesRoundTrip", testCertificateFilesRoundTrip},
	{"CertificateFilesDeleteAsFolders", testCertificateFilesDeleteAsFolders},
	{"CertificateLockHasOneHolder", testCertificateLockHasOneHolder},
	{"CertificateLockRunsOut", testCertificateLockRunsOut},
	{"CertificateLockOneWinnerAtOnce", testCertificateLockOneWinnerAtOnce},
	{"CertificatesAreNoPartOfBackups", testCertificatesAreNoPartOfBackups},
}

func putFile(t *testing.T, s Backend, key, value string, at time.Time) {
	t.Helper()
	if err := s.PutCertificateFile(context.Background(), domain.CertificateFile{Key: key, Value: []byte(value), Modified: at}); err != nil {
		t.Fatalf("PutCertificateFile %s: %v", key, err)
	}
}

// A file comes back as written (to the microsecond), replaced whole by the
// next write, after the store is reopened; keys are listed by their
// beginning in byte order; a key that is no path is refused.
func testCertificateFilesRoundTrip(t *testing.T, h Harness) {
	ctx := context.Background()
	place := h.Fresh(t)
	s, closeStore := h.openAt(t, place)
	at := BaseDate.Add(1234567 * time.Nanosecond)
	binary := string([]byte{0, 1, 2, 0xff, 0xfe, '\n'})
	putFile(t, s, "certificates/ca/portal.example.com/portal.example.com.key", binary, at)
	putFile(t, s, "certificates/ca/portal.example.com/portal.example.com.crt", "first", at)
	putFile(t, s, "certificates/ca/portal.example.com/portal.example.com.crt", "second", at.Add(time.Hour))
	putFile(t, s, "certificates/ca/portal.example.org/portal.example.org.crt", "other", at)
	putFile(t, s, "acme/ca/users/a@b.example/a.json", "{}", at)
	closeStore()
	s, _ = h.openAt(t, place)

	f, found, err := s.CertificateFile(ctx, "certificates/ca/portal.example.com/portal.example.com.crt")
	if err != nil || !found || string(f.Value) != "second" || !f.Modified.Equal(at.Add(time.Hour).Truncate(time.Microsecond)) {
		t.Errorf("CertificateFile = %+v, %v, %v", f, found, err)
	}
	if f, _, _ := s.CertificateFile(ctx, "certificates/ca/portal.example.com/portal.example.com.key"); string(f.Value) != binary {
		t.Errorf("binary value came back as %q", f.Value)
	}
	if _, found, err := s.CertificateFile(ctx, "certificates/ca/portal.example.com"); found || err != nil {
		t.Errorf("a folder read as a file: %v, %v", found, err)
	}
	keys, err := s.CertificateKeys(ctx, "certificates/ca/portal.example.com")
	want := []string{"certificates/ca/portal.example.com/portal.example.com.crt", "certificates/ca/portal.example.com/portal.example.com.key"}
	if err != nil || !slices.Equal(keys, want) {
		t.Errorf("CertificateKeys = %v, %v; want %v", keys, err, want)
	}
	if keys, err := s.CertificateKeys(ctx, ""); err != nil || len(keys) != 4 {
		t.Errorf("every key: %v, %v", keys, err)
	}
	for _, bad := range []string{"", "/abs", "trailing/", "a//b"} {
		err := s.PutCertificateFile(ctx, domain.CertificateFile{Key: bad, Value: []byte("x"), Modified: at})
		if domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("PutCertificateFile(%q) = %v, want invalid", bad, err)
		}
	}
}

// Deleting a key deletes it and everything under it as a folder, and not a
// key that only begins with the same letters; deleting nothing is no error.
func testCertificateFilesDeleteAsFolders(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	for _, k := range []string{"a", "a/b", "a/c/d", "ab/x", "b/y"} {
		putFile(t, s, k, k, BaseDate)
	}
	if err := s.DeleteCertificateFiles(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCertificateFiles(ctx, "nothing/here"); err != nil {
		t.Errorf("deleting nothing: %v", err)
	}
	if keys, _ := s.CertificateKeys(ctx, ""); !slices.Equal(keys, []string{"ab/x", "b/y"}) {
		t.Errorf("after deleting a: %v, want [ab/x b/y]", keys)
	}
}

// One holder at a time: the holder may extend its lock, another waits for
// its release; a release by another holder releases nothing.
func testCertificateLockHasOneHolder(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	hold := func(name, holder string, want bool) {
		t.Helper()
		got, err := s.HoldCertificateLock(ctx, name, holder, time.Minute)
		if err != nil || got != want {
			t.Fatalf("HoldCertificateLock(%s, %s) = %v, %v; want %v", name, holder, got, err, want)
		}
	}
	hold("issue_cert_portal.example.com", "a", true)
	hold("issue_cert_portal.example.com", "b", false)
	hold("issue_cert_portal.example.org", "b", true) // another name, another lock
	hold("issue_cert_portal.example.com", "a", true) // extended
	if err := s.ReleaseCertificateLock(ctx, "issue_cert_portal.example.com", "b"); err != nil {
		t.Fatal(err)
	}
	hold("issue_cert_portal.example.com", "b", false)
	if err := s.ReleaseCertificateLock(ctx, "issue_cert_portal.example.com", "a"); err != nil {
		t.Fatal(err)
	}
	hold("issue_cert_portal.example.com", "b", true)
	if err := s.ReleaseCertificateLock(ctx, "never_held", "a"); err != nil {
		t.Errorf("releasing a lock nobody holds: %v", err)
	}
}

// A holder that died (never released) loses the lock when its time runs out.
// Its time is 2 s, so that the live check right after the hold holds on a
// loaded machine too (300 ms did not, once, with three test runs at once);
// the wait then polls instead of guessing how long the lapse takes.
func testCertificateLockRunsOut(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	if ok, err := s.HoldCertificateLock(ctx, "renew", "dead", 2*time.Second); !ok || err != nil {
		t.Fatalf("first hold: %v, %v", ok, err)
	}
	if ok, _ := s.HoldCertificateLock(ctx, "renew", "alive", time.Minute); ok {
		t.Fatal("a live lock was taken by another holder")
	}
	waitUntil(t, "a lock whose time ran out is taken", func() bool {
		ok, err := s.HoldCertificateLock(ctx, "renew", "alive", time.Minute)
		return ok && err == nil
	})
	// The dead holder, back, finds it taken: its time is over.
	if ok, _ := s.HoldCertificateLock(ctx, "renew", "dead", time.Minute); ok {
		t.Error("the old holder took back a lock another holds")
	}
}

// Many holders asking at once: exactly one gets the lock.
func testCertificateLockOneWinnerAtOnce(t *testing.T, h Harness) {
	s := h.open(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var winners []string
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			holder := fmt.Sprintf("instance-%d", i)
			ok, err := s.HoldCertificateLock(context.Background(), "issue_cert_portal.example.com", holder, time.Minute)
			if err != nil {
				t.Errorf("%s: %v", holder, err)
			}
			if ok {
				mu.Lock()
				winners = append(winners, holder)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Errorf("holders that got the lock at once: %v", winners)
	}
}

// Certificates are no record: a backup leaves them out (the CA gives new
// ones), and a store holding only certificates counts as empty for a restore.
func testCertificatesAreNoPartOfBackups(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	putFile(t, s, "certificates/ca/portal.example.com/portal.example.com.crt", "pem", BaseDate)
	if ok, _ := s.HoldCertificateLock(ctx, "issue_cert_portal.example.com", "a", time.Minute); !ok {
		t.Fatal("no lock")
	}
	for _, r := range DumpAll(t, s) {
		if r.Counter == nil {
			t.Errorf("the dump of a store holding only certificates holds %+v", r)
		}
	}
	if err := s.Load(ctx, Records([]domain.Record{{Seller: &FillSeller}})); err != nil {
		t.Errorf("restore into a store holding only certificates: %v", err)
	}
}
