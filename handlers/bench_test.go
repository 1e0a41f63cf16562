package handlers_test

import (
	"net/http/httptest"
	"testing"
)

// Benchmarks of the customer's hottest pages through the whole Fiber app and a
// real Badger store: go test -run '^$' -bench . -benchmem ./handlers/
func benchmarkPage(b *testing.B, path string, header map[string]string) {
	p := newTestPortal(b)
	c := p.signedIn(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for name, value := range c.cookies {
			req.Header.Add("Cookie", name+"="+value)
		}
		res, err := p.app.Test(req, -1)
		if err != nil || res.StatusCode != 200 {
			b.Fatalf("%s: %v %d", path, err, res.StatusCode)
		}
		res.Body.Close()
	}
}

func BenchmarkLicensesPage(b *testing.B) { benchmarkPage(b, "/licenses", nil) }

func BenchmarkOrderDetailsPartial(b *testing.B) {
	benchmarkPage(b, "/orders/JWT100234", map[string]string{"HX-Request": "true"})
}

func BenchmarkUpgradeQuotePartial(b *testing.B) {
	benchmarkPage(b, "/licenses/JWT100234-1/upgrade/quote?add=3", map[string]string{"HX-Request": "true"})
}

func BenchmarkOrdersPage(b *testing.B) { benchmarkPage(b, "/orders", nil) }
