package main

import (
	"fmt"
	"io"

	"portal/buildinfo"
)

// versionCommand prints the portal's version, the commit it was built from
// and the Go release that built it: what a bug report or an upgrade needs.
func versionCommand(args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("version takes no arguments")
	}
	fmt.Fprintln(stdout, buildinfo.Read())
	return nil
}
