package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logWriter buffers the server's log lines and writes them out a few times a
// second, so that a request's log line is not a system call of its own (it was
// a third of the system calls of a page view). It flushes when the buffer is
// full, every flushEvery, and at Close; a crash loses at most the last moment
// of request logs, never data.
type logWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

const flushEvery = 200 * time.Millisecond

func newLogWriter(w io.Writer) *logWriter {
	lw := &logWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go lw.flushLoop()
	return lw
}

func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	return lw.buf.Write(p)
}

func (lw *logWriter) flushLoop() {
	defer close(lw.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			lw.flush()
		case <-lw.stop:
			lw.flush()
			return
		}
	}
}

func (lw *logWriter) flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.buf.Flush()
}

// Close writes out what is buffered and stops the flushing.
func (lw *logWriter) Close() error {
	close(lw.stop)
	<-lw.done
	return nil
}
