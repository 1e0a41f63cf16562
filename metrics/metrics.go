// Package metrics counts what the portal does, for Prometheus: its requests by
// route pattern, the licensing and payment operations, mails and outbound
// deliveries, and the outboxes' depth read from the database at each scrape.
//
// A *Metrics is safe for concurrent use, and a nil *Metrics counts nothing:
// callers (handlers, the mail dispatcher, the webhook sender) make one call
// per event whether or not metrics are on. Labels hold only words fixed in the
// code (route patterns, limit names, outcomes), never customer data, so that
// a scrape tells no email, key, serial, order number or address.
package metrics

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"
)

// ContentType is the type of what WriteText writes: Prometheus' text format.
const ContentType = string(expfmt.FmtText)

// Metrics holds the portal's collectors, on a registry of its own rather than
// Prometheus' global one, so that a process (a test) can hold many portals.
type Metrics struct {
	registry *prometheus.Registry

	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// series caches each request label set's counter and histogram, so that
	// a request after the first of its kind neither hashes nor allocates
	// labels: a map read without lock, copied on write (see http.go).
	series   atomic.Pointer[map[requestKey]requestSeries]
	seriesMu sync.Mutex

	activations   *prometheus.CounterVec
	refreshes     *prometheus.CounterVec
	rehosts       prometheus.Counter
	keyReissues   prometheus.Counter
	purchases     *prometheus.CounterVec
	loginsRefused *prometheus.CounterVec
	mails         *prometheus.CounterVec
	deliveries    *prometheus.CounterVec

	outboxes *outboxCollector
}

// New makes the portal's metrics, with Go's runtime and the process's own
// (memory, CPU, open files) beside them.
func New() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.newHTTP()
	m.newBusiness()
	m.outboxes = newOutboxCollector()
	m.registry.MustRegister(m.outboxes)
	return m
}

// WriteText writes every metric in Prometheus' text format. A collector that
// failed (the database did not answer for an outbox's depth) is left out and
// its error returned after everything else was written, so that one slow
// query never costs the whole scrape.
func (m *Metrics) WriteText(w io.Writer) error {
	if m == nil {
		return nil
	}
	families, gatherErr := m.registry.Gather()
	for _, f := range families {
		if _, err := expfmt.MetricFamilyToText(w, f); err != nil {
			return err
		}
	}
	return gatherErr
}
