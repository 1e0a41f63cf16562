package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "portal", Version: "v0.0.0-20261127095626-0dc07eb3a1b2+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0dc07eb3a1b2c3d4e5f60718293a4b5c6d7e8f90"},
			{Key: "vcs.time", Value: "2026-11-27T09:56:26Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	for _, tc := range []struct {
		name      string
		ldflags   string
		main      string
		want      string
		wantLine  string
		wantDirty bool
	}{
		{name: "release build", ldflags: "v1.4.0", main: bi.Main.Version, want: "v1.4.0",
			wantLine: "portal v1.4.0 (commit 0dc07eb3a1b2c3d4e5f60718293a4b5c6d7e8f90, modified, go1.26.8)"},
		{name: "go install at a tag", main: "v1.3.2", want: "v1.3.2"},
		{name: "work tree without VCS stamp", main: "", want: "(devel)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := *bi
			b.Main.Version = tc.main
			got := fromBuildInfo(Info{Version: tc.ldflags}, &b)
			if got.Version != tc.want || got.Commit != "0dc07eb3a1b2c3d4e5f60718293a4b5c6d7e8f90" ||
				!got.Modified || got.GoVersion != "go1.26.8" || got.CommitTime != "2026-11-27T09:56:26Z" {
				t.Errorf("got %+v", got)
			}
			if tc.wantLine != "" && got.String() != tc.wantLine {
				t.Errorf("String() = %q, want %q", got.String(), tc.wantLine)
			}
		})
	}
}

// The test binary has build information too: Read answers the Go release
// that built it.
func TestReadInTheTestBinary(t *testing.T) {
	got := Read()
	if got.GoVersion == "" || got.Version == "" || got.Commit == "" {
		t.Errorf("Read() = %+v: every field must say something", got)
	}
}

// A build without a VCS stamp keeps the commit the release script gave.
func TestCommitFromTheReleaseScript(t *testing.T) {
	got := fromBuildInfo(Info{Version: "v1.4.0", Commit: "0dc07eb", Modified: true}, &debug.BuildInfo{GoVersion: "go1.26.8"})
	if got.Commit != "0dc07eb" || !got.Modified || got.Version != "v1.4.0" {
		t.Errorf("got %+v", got)
	}
}
