package main

import (
	"os"
	"testing"
)

// canMount reports whether this process may mount a tmpfs (root); the test
// is mandatory with ANTQ_TEST_REQUIRE_TMPFS (as .ci/run sets it).
func canMount(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	unmount, err := mountTmpfs(dir, 1)
	if err == nil {
		unmount()
		return
	}
	if os.Getenv("ANTQ_TEST_REQUIRE_TMPFS") != "" {
		t.Fatalf("ANTQ_TEST_REQUIRE_TMPFS is set but a tmpfs cannot be mounted: %v", err)
	}
	t.Skipf("a tmpfs cannot be mounted here (%v): the disk-full test needs root", err)
}

// On a full volume uploads and imports fail with the Vietnamese message and
// leave nothing behind, reads are served, and once space returns the same
// writes succeed without a restart.
func TestDiskFull(t *testing.T) {
	canMount(t)
	bin := buildAntq(t)
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			rep, err := runDiskFull(t.Context(), diskConfig{antq: bin, work: t.TempDir(), engine: e, pg: pg, sizeMiB: 48})
			t.Logf("%s", rep)
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
