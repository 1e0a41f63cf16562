//go:build !linux

package storage_test

import "testing"

// unsyncedPages needs Linux's cachestat(2); elsewhere it cannot tell.
func unsyncedPages(t *testing.T, dir string) (map[string]uint64, bool) { return nil, false }
