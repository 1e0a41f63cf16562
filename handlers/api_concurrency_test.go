package handlers_test

import (
	"fmt"
	"sync"
	"testing"
)

// TestManyRightKeysAtOnceFromOneAddress: a company behind one NAT activates and
// refreshes many computers at once. Right keys never spend the key-check limit,
// so none is refused, however many arrive together; wrong keys from that address
// still meet it.
func TestManyRightKeysAtOnceFromOneAddress(t *testing.T) {
	p := newTestPortal(t)
	key := p.activationKey(t, "JWT100234")
	p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-NAT"))
	const n = 64
	statuses := make(chan int, 2*n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			status, _, _ := p.api(t, "POST", "/api/v1/activate", keyBody(key, "PC-NAT"))
			statuses <- status
		}()
		go func() {
			defer wg.Done()
			status, _, _ := p.api(t, "POST", "/api/v1/refresh", keyBody(key, "PC-NAT"))
			statuses <- status
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[int]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts[200] != 2*n {
		t.Fatalf("answers to %d right-key requests at once from one address: %v, want all 200", 2*n, counts)
	}
	// Wrong keys from the same address still run out.
	status := 0
	for i := range 11 {
		status, _, _ = p.api(t, "POST", "/api/v1/refresh", keyBody(fmt.Sprintf("WRNG-KEYS-0000-0000-0000-%04d", i), "PC-NAT"))
	}
	if status != 429 {
		t.Errorf("11th wrong key: %d, want 429", status)
	}
}
