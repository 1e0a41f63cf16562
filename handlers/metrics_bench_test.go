package handlers_test

import (
	"testing"

	"github.com/valyala/fasthttp"

	"portal/handlers"
)

// BenchmarkRequestMetrics is what counting a request costs: one cheap route
// through the whole app (every middleware, the request log) with metrics off
// and on, served straight from a fasthttp context so that no connection
// drowns the difference:
//
//	go test -run '^$' -bench RequestMetrics -benchmem -count 5 ./handlers/
func BenchmarkRequestMetrics(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []portalOption
	}{
		{"off", nil},
		{"on", []portalOption{func(cfg *handlers.Config) { cfg.MetricsToken = metricsToken }}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			serve := newTestPortal(b, bc.opts...).app.Handler()
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for b.Loop() {
				ctx.Request.Header.SetMethod("GET")
				ctx.Request.SetRequestURI("/api/v1/public-key")
				serve(&ctx)
				if ctx.Response.StatusCode() != 200 {
					b.Fatalf("status %d", ctx.Response.StatusCode())
				}
				ctx.Response.Reset()
			}
		})
	}
}
