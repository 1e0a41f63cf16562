package main

import (
	"bytes"
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

// The help shows PORTAL_DATABASE_URL as the default of --database-url: never
// with its password, in the URL's user part or its query.
func TestHelpHidesTheDatabasePassword(t *testing.T) {
	for _, u := range []string{
		"postgres://portal:s3cret-pw@db.internal:5432/portal",
		"postgresql://portal@db.internal/portal?sslmode=require&password=s3cret-pw",
		"host=db.internal user=portal password=s3cret-pw",
	} {
		t.Setenv("PORTAL_DATABASE_URL", u)
		for _, command := range []string{"serve", "import", "backup"} {
			var out bytes.Buffer
			run(context.Background(), []string{command, "-h"}, strings.NewReader(""), &out, &out)
			if !strings.Contains(out.String(), "-database-url") {
				t.Fatalf("%s -h does not list --database-url:\n%s", command, out.String())
			}
			if strings.Contains(out.String(), "s3cret-pw") {
				t.Errorf("%s -h with PORTAL_DATABASE_URL=%s shows the password:\n%s", command, u, out.String())
			}
		}
	}
}
