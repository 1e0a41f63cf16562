package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// servePprof serves Go's profiler on a loopback address, so that a route that
// misses its target can be profiled in the running binary. It refuses any
// other address: profiles show code paths and memory, not for the world.
// With a store that counts its round trips to the database (PostgreSQL), it
// also answers that count at /debug/round-trips, for scripts/bench.sh to say
// what each route costs.
func servePprof(addr string, store any, log *slog.Logger) error {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return errors.New("--pprof-addr must be a loopback address such as 127.0.0.1:6060")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	if counted, ok := store.(interface{ RoundTrips() uint64 }); ok {
		mux.HandleFunc("/debug/round-trips", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintln(w, counted.RoundTrips())
		})
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	log.Info("profiler listening", "addr", ln.Addr().String())
	go (&http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}).Serve(ln)
	return nil
}
