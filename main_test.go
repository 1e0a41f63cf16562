package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary play the portal command in a child process, so
// that a test can kill it with SIGKILL at a moment of its choosing.
func TestMain(m *testing.M) {
	if args := os.Getenv("PORTAL_TEST_RUN"); args != "" {
		// Park the process once the command has answered and before it closes the
		// data folder: the test kills it there.
		afterAnswer = func() {
			fmt.Println(answeredMarker)
			time.Sleep(time.Hour)
		}
		err := run(context.Background(), strings.Fields(args), os.Stdin, os.Stdout, os.Stderr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("COMMAND RETURNED")
		// Hold on as a process that has answered but not yet exited cleanly.
		time.Sleep(time.Hour)
		return
	}
	os.Exit(m.Run())
}
