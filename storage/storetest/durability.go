package storetest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"portal/domain"
)

var durabilityTests = []test{
	{"KilledAfterAnswerLosesNothingAcknowledged", testKilledAfterAnswer},
}

// killPlaceEnv names, to a copy of the test binary, the place it writes to
// before it is killed.
const killPlaceEnv = "PORTAL_STORETEST_KILL_PLACE"

// storedMarker is what the writer prints once its first writes have returned;
// then it goes on importing orders, printing "ACK <reference>" after each.
const storedMarker = "STORED, NOT CLOSED"

// testKilledAfterAnswer runs a copy of this test binary that imports, saves a
// product, makes a session and fulfils a payment through the store, says so
// right after each answer, and keeps importing; it is killed with SIGKILL in
// the middle of that, without Close. Everything it was told had been stored
// must be there when the place is opened again.
func testKilledAfterAnswer(t *testing.T, h Harness) {
	if place := os.Getenv(killPlaceEnv); place != "" {
		killedWriter(t, h, place)
		return
	}
	if testing.Short() {
		t.Skip("runs a helper process")
	}
	place := h.Fresh(t)
	cmd := exec.Command(os.Args[0], "-test.run="+runPattern(t.Name()), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), killPlaceEnv+"="+place)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	timeout := time.AfterFunc(2*time.Minute, func() { cmd.Process.Kill() })
	defer timeout.Stop()
	stored := false
	var acked []string
	var out strings.Builder
	for sc := bufio.NewScanner(stdout); sc.Scan(); {
		line := sc.Text()
		switch ref, ack := strings.CutPrefix(line, "ACK "); {
		case line == storedMarker:
			stored = true
		case ack && stored:
			acked = append(acked, ref)
		default:
			out.WriteString(line + "\n")
		}
		if len(acked) == 25 {
			break // the writer is between two imports, or in one
		}
	}
	cmd.Process.Kill() // SIGKILL: no Close, no deferred functions
	cmd.Wait()
	if !stored || len(acked) < 25 {
		t.Fatalf("the writer did not store (%d acknowledged):\n%s%s", len(acked), out.String(), stderr.String())
	}
	if h.CheckSynced != nil {
		h.CheckSynced(t, place)
	}

	s, _ := h.openAt(t, place)
	ctx := context.Background()
	for i := range 3 {
		o := killedOrder(t, i)
		if i == 0 {
			o.Licenses = nil // the payment changed it: see below
		}
		AssertStored(t, s, o)
	}
	for _, ref := range acked {
		MustOrder(t, s, ref)
	}
	if p, found, err := s.Product(ctx, "Remote Work", "Standard"); err != nil || !found || p != upgradeProduct {
		t.Errorf("Product after the kill = %+v, %v, %v", p, found, err)
	}
	if _, found, err := s.Session(ctx, "killed-session"); err != nil || !found {
		t.Errorf("Session after the kill: found %v, %v; want found", found, err)
	}
	p, found, err := s.Purchase(ctx, killedPurchaseID)
	if err != nil || !found || p.Status != domain.PurchaseFulfilled {
		t.Fatalf("purchase after the kill: %+v, %v, %v", p, found, err)
	}
	MustOrder(t, s, p.NewOrderRef)
	if l := MustLicense(t, s, killedOrder(t, 0).Licenses[0].ID); l.Users != 3 {
		t.Errorf("license after the kill: %+v, want the 2 workstations paid for", l)
	}
	if _, err := s.FulfilPurchase(ctx, payment("evt_killed", p, BaseDate), jwtNumbering); !errors.Is(err, domain.ErrPaymentSeen) {
		t.Errorf("the payment's event after the kill: %v, want seen", err)
	}
}

const killedPurchaseID = "pur_killed"

func killedOrder(tb testing.TB, i int) domain.OrderWithLicenses {
	o := NewOrder(tb, fmt.Sprintf("JWT50%d", i), "marie@acme.example", BaseDate.AddDate(0, 0, i), 2)
	o.Order.ActivationKey = fmt.Sprintf("KILLEDKEY000000000000000%d", i)
	return o
}

// killedWriter is the helper process: it stores and acknowledges until it is killed.
func killedWriter(t *testing.T, h Harness, place string) {
	s, err := h.Open(t, place)
	if err != nil {
		t.Fatalf("writer: open: %v", err)
	}
	ctx := context.Background()
	for i := range 3 {
		ImportOK(t, s, killedOrder(t, i))
	}
	if _, err := s.SaveProduct(ctx, upgradeProduct); err != nil {
		t.Fatalf("writer: SaveProduct: %v", err)
	}
	if err := s.CreateSession(ctx, "killed-session", domain.Session{Email: "marie@acme.example", CreatedAt: BaseDate}, time.Hour); err != nil {
		t.Fatalf("writer: CreateSession: %v", err)
	}
	p := newPurchase(t, killedOrder(t, 0).Licenses[0], "marie@acme.example", 2, BaseDate)
	p.ID = killedPurchaseID
	openPurchase(t, s, p)
	if _, err := s.FulfilPurchase(ctx, payment("evt_killed", p, BaseDate), jwtNumbering); err != nil {
		t.Fatalf("writer: FulfilPurchase: %v", err)
	}
	fmt.Println(storedMarker)
	for i := 0; ; i++ {
		o := NewOrder(t, fmt.Sprintf("JWT7%05d", i), "later@acme.example", BaseDate, 1)
		ImportOK(t, s, o)
		fmt.Println("ACK " + o.Order.Reference)
	}
}

// runPattern is the -test.run pattern that selects exactly the test named name.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}
