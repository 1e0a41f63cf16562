package metrics

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// outboxTimeout bounds each outbox's count at a scrape: a database that is
// slow to answer loses that gauge for one scrape, not the whole scrape.
const outboxTimeout = 2 * time.Second

// OutboxDepth has every scrape read how many items wait in the outbox named
// (mail, webhooks) from depth, which counts them in the database: with several
// instances the gauge is the same on each, while the counters are each
// instance's own.
func (m *Metrics) OutboxDepth(outbox string, depth func(ctx context.Context) (int, error)) {
	if m == nil {
		return
	}
	m.outboxes.mu.Lock()
	defer m.outboxes.mu.Unlock()
	m.outboxes.depths[outbox] = depth
}

// outboxCollector is the portal_outbox_depth gauge, one series per outbox,
// read at scrape time. (A GaugeFunc could neither hold the outbox label for
// outboxes added later nor tell a failed count from zero.)
type outboxCollector struct {
	desc   *prometheus.Desc
	mu     sync.Mutex
	depths map[string]func(ctx context.Context) (int, error)
}

func newOutboxCollector() *outboxCollector {
	return &outboxCollector{
		desc: prometheus.NewDesc("portal_outbox_depth",
			"Items waiting in an outbox to be sent, read from the database at each scrape.", []string{"outbox"}, nil),
		depths: map[string]func(ctx context.Context) (int, error){},
	}
}

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- o.desc }

// Collect counts each outbox in turn. A count that fails or takes longer than
// outboxTimeout is reported as an error for its series only.
func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	o.mu.Lock()
	names := slices.Sorted(func(yield func(string) bool) {
		for name := range o.depths {
			if !yield(name) {
				return
			}
		}
	})
	depths := make([]func(ctx context.Context) (int, error), len(names))
	for i, name := range names {
		depths[i] = o.depths[name]
	}
	o.mu.Unlock()
	for i, name := range names {
		ctx, cancel := context.WithTimeout(context.Background(), outboxTimeout)
		n, err := depths[i](ctx)
		cancel()
		if err != nil {
			ch <- prometheus.NewInvalidMetric(o.desc, fmt.Errorf("depth of the %s outbox: %w", name, err))
			continue
		}
		ch <- prometheus.MustNewConstMetric(o.desc, prometheus.GaugeValue, float64(n), name)
	}
}
