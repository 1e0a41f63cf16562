package metrics

import (
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Unmatched is the route label of a request that matched no route. The raw
// path would put ids, keys and guessed URLs into labels, one series each.
const Unmatched = "unmatched"

// latencyBuckets, in seconds: the portal answers most requests in 1 to 50 ms,
// so the buckets are close together there; 0.3 s sits just above the login
// answers' 250 ms floor, so that padded logins are told apart from slow pages;
// 1 and 3 s catch what is really slow.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 1, 3}

var requestLabels = []string{"route", "method", "status"}

// requestKey is one label set of the request metrics.
type requestKey struct {
	route, method string
	status        int
}

// requestSeries are the counter and histogram of one label set, looked up
// once and kept.
type requestSeries struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

func (m *Metrics) newHTTP() {
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "portal", Subsystem: "http", Name: "requests_total",
		Help: "Requests answered, by route pattern, method and status.",
	}, requestLabels)
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: "portal", Subsystem: "http", Name: "request_duration_seconds",
		Help:    "Time from a request's arrival to its answer, by route pattern, method and status.",
		Buckets: latencyBuckets,
	}, requestLabels)
	m.registry.MustRegister(m.requests, m.latency)
	empty := map[requestKey]requestSeries{}
	m.series.Store(&empty)
}

// Request counts one answered request and how long it took. route is the
// pattern the request matched (/licenses/:id/refresh), or Unmatched; never the
// raw path. Routes, methods and statuses are few and fixed by the code, so
// the series are bounded.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	s, ok := (*m.series.Load())[requestKey{route, method, status}]
	if !ok {
		s = m.addSeries(requestKey{route, method, status})
	}
	s.count.Inc()
	s.latency.Observe(took.Seconds())
}

// addSeries makes the series of a label set seen for the first time: a new
// map with it, so that readers never take a lock.
func (m *Metrics) addSeries(k requestKey) requestSeries {
	m.seriesMu.Lock()
	defer m.seriesMu.Unlock()
	old := *m.series.Load()
	if s, ok := old[k]; ok {
		return s
	}
	// The key outlives the request: without Fiber's Immutable setting its
	// strings would be views of a buffer the next request reuses.
	k.route, k.method = strings.Clone(k.route), strings.Clone(k.method)
	labels := []string{k.route, k.method, strconv.Itoa(k.status)}
	s := requestSeries{count: m.requests.WithLabelValues(labels...), latency: m.latency.WithLabelValues(labels...)}
	next := make(map[requestKey]requestSeries, len(old)+1)
	maps.Copy(next, old)
	next[k] = s
	m.series.Store(&next)
	return s
}
