package main

import (
	"testing"
	"time"
)

// A short run of concurrent edits: one winner per version, losers 409,
// the figures those of the last winners.
func TestConflictsShort(t *testing.T) {
	bin := buildAntq(t)
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			rep, err := runConflicts(t.Context(), conflictConfig{antq: bin, work: t.TempDir(), engine: e, pg: pg,
				facts: 10, clients: 16, edits: 1000, seed: uint64(time.Now().UnixNano())})
			t.Logf("%s", rep)
			if err != nil {
				t.Fatal(err)
			}
			if rep.won == 0 || rep.refused == 0 {
				t.Fatalf("16 clients on 10 facts: %d won, %d refused; want both", rep.won, rep.refused)
			}
		})
	}
}
