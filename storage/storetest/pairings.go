package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"portal/domain"
)

var pairingTests = []test{
	{"PairingPollsAnswerAsTheRFCSays", testPairingPollsAnswerAsTheRFCSays},
	{"ApprovalBindsLicensesAndIsCollectedOnce", testApprovalBindsLicensesAndIsCollectedOnce},
	{"PairingRefusedDeniedOrExpired", testPairingRefusedDeniedOrExpired},
}

func newTestPairing(t *testing.T, s Backend, serial string) domain.Pairing {
	t.Helper()
	p, _, _, err := domain.NewPairing("Remote Work", serial, "atelier-namur", BaseDate)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePairing(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func deliverNothing(domain.Pairing) error { return nil }

func poll(t *testing.T, s Backend, p domain.Pairing, after time.Duration) (domain.Pairing, domain.PollOutcome) {
	t.Helper()
	got, outcome, found, err := s.PollPairing(context.Background(), p.DeviceHash, BaseDate.Add(after), deliverNothing)
	if err != nil || !found {
		t.Fatalf("poll at +%s: found %v, %v", after, found, err)
	}
	return got, outcome
}

// pairLicenses is the approval a customer gives: these licenses, by email.
func pairLicenses(email string, ids ...string) func(p *domain.Pairing, u *domain.OrderUpdate) error {
	return func(p *domain.Pairing, u *domain.OrderUpdate) error {
		if err := u.Pair(ids, *p, BaseDate.Add(time.Minute)); err != nil {
			return err
		}
		p.Status, p.Email, p.OrderRef, p.LicenseIDs = domain.PairingApproved, email, u.Order.Reference, ids
		return nil
	}
}

// testPairingPollsAnswerAsTheRFCSays: pending while nobody decided, slow_down
// (and 5 s more for good) to a poll sooner than the interval, nothing for a
// device code that names no pairing, and a user code never given twice.
func testPairingPollsAnswerAsTheRFCSays(t *testing.T, h Harness) {
	s := h.open(t)
	p := newTestPairing(t, s, "PAIR-PC-77")
	steps := []struct {
		after    time.Duration
		want     domain.PollOutcome
		interval time.Duration
	}{
		{0, domain.PollPending, 5 * time.Second},
		{time.Second, domain.PollSlowDown, 10 * time.Second},
		{6 * time.Second, domain.PollSlowDown, 15 * time.Second},
		{21 * time.Second, domain.PollPending, 15 * time.Second},
		{36 * time.Second, domain.PollPending, 15 * time.Second},
	}
	for _, step := range steps {
		got, outcome := poll(t, s, p, step.after)
		if outcome != step.want || got.Interval != step.interval {
			t.Errorf("poll at +%s: %s with interval %s, want %s with %s", step.after, outcome, got.Interval, step.want, step.interval)
		}
	}
	if _, _, found, err := s.PollPairing(context.Background(), "no-such-device", BaseDate, deliverNothing); found || err != nil {
		t.Errorf("an unknown device code: found %v, %v", found, err)
	}
	twin := p
	twin.DeviceHash = "another-device"
	if err := s.CreatePairing(context.Background(), twin); domain.KindOf(err) != domain.KindConflict {
		t.Errorf("a user code in use again: %v, want a conflict", err)
	}
	if got, found, _ := s.PairingByUserCode(context.Background(), p.UserHash); !found || got.Serial != "PAIR-PC-77" {
		t.Errorf("by user code: %+v %v", got, found)
	}
}

// testApprovalBindsLicensesAndIsCollectedOnce: an approval binds the chosen
// licenses with their history; of many polls at once one gets the token,
// and every later one hears the pairing expired.
func testApprovalBindsLicensesAndIsCollectedOnce(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 3)
	ImportOK(t, s, o)
	p := newTestPairing(t, s, "PAIR-PC-77")
	approved, err := s.ApprovePairing(ctx, p.UserHash, "JWT1", BaseDate.Add(time.Minute), pairLicenses("marie@acme.example", "JWT1-1", "JWT1-3"))
	if err != nil || approved.Status != domain.PairingApproved {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	for id, serial := range map[string]string{"JWT1-1": "PAIR-PC-77", "JWT1-2": "", "JWT1-3": "PAIR-PC-77"} {
		if l := MustLicense(t, s, id); l.Serial != serial {
			t.Errorf("license %s on %q, want %q", id, l.Serial, serial)
		}
	}
	hist := must(s.LicenseHistory(ctx, "JWT1-1"))
	if last := hist[len(hist)-1]; last.Kind != domain.ChangePairing || last.Note != "paired with atelier-namur (PAIR-PC-77)" {
		t.Errorf("history: %+v", last)
	}
	if _, err := s.DenyPairing(ctx, p.UserHash, "marie@acme.example", BaseDate.Add(time.Minute)); !errors.Is(err, domain.ErrPairingGone) {
		t.Errorf("deny after approval: %v", err)
	}
	// An answer that cannot be made leaves the approval for the next poll.
	if _, outcome, _, err := s.PollPairing(ctx, p.DeviceHash, BaseDate.Add(90*time.Second), func(domain.Pairing) error {
		return errors.New("the database went away")
	}); err == nil {
		t.Errorf("a failed delivery answered %s without an error", outcome)
	}
	tokens := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			got, outcome, _, err := s.PollPairing(ctx, p.DeviceHash, BaseDate.Add(2*time.Minute), deliverNothing)
			if err != nil {
				t.Error(err)
			}
			if outcome == domain.PollToken {
				mu.Lock()
				tokens++
				mu.Unlock()
				if got.OrderRef != "JWT1" || len(got.LicenseIDs) != 2 {
					t.Errorf("the token's pairing: %+v", got)
				}
			}
		})
	}
	wg.Wait()
	if tokens != 1 {
		t.Errorf("%d polls got the token, want exactly 1", tokens)
	}
	if _, outcome := poll(t, s, p, 5*time.Minute); outcome != domain.PollExpired {
		t.Errorf("after the token was collected: %s, want expired_token", outcome)
	}
}

// testPairingRefusedDeniedOrExpired: a license on another computer refuses
// the approval and nothing changes; a denial answers access_denied; past
// its 600 s nothing can be decided and the software hears expired_token.
func testPairingRefusedDeniedOrExpired(t *testing.T, h Harness) {
	ctx := context.Background()
	s := h.open(t)
	o := NewOrder(t, "JWT1", "marie@acme.example", BaseDate, 2)
	o.Licenses[1].Serial = "OTHER-PC"
	ImportOK(t, s, o)
	p := newTestPairing(t, s, "PAIR-PC-77")
	if _, err := s.ApprovePairing(ctx, p.UserHash, "JWT1", BaseDate.Add(time.Minute), pairLicenses("marie@acme.example", "JWT1-1", "JWT1-2")); domain.KindOf(err) != domain.KindConflict {
		t.Fatalf("approving a license on another computer: %v, want a conflict", err)
	}
	if l := MustLicense(t, s, "JWT1-1"); l.Serial != "" {
		t.Errorf("a refused approval bound JWT1-1 to %q", l.Serial)
	}
	if got, _, _ := s.PairingByUserCode(ctx, p.UserHash); got.Status != domain.PairingPending {
		t.Errorf("after a refused approval the pairing is %s", got.Status)
	}
	if _, err := s.DenyPairing(ctx, p.UserHash, "marie@acme.example", BaseDate.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, outcome := poll(t, s, p, 2*time.Minute); outcome != domain.PollDenied {
		t.Errorf("after a denial: %s", outcome)
	}
	late := newTestPairing(t, s, "PAIR-PC-78")
	if _, err := s.ApprovePairing(ctx, late.UserHash, "JWT1", BaseDate.Add(domain.PairingTTL), pairLicenses("marie@acme.example", "JWT1-1")); !errors.Is(err, domain.ErrPairingGone) {
		t.Errorf("approving an expired pairing: %v", err)
	}
	if _, outcome := poll(t, s, late, domain.PairingTTL); outcome != domain.PollExpired {
		t.Errorf("polling an expired pairing: %s", outcome)
	}
}
