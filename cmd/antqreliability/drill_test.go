package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupDrillShort: a backup under a few seconds of writes, restored
// into fresh instances (identity and consistency), per engine.
func TestBackupDrillShort(t *testing.T) {
	bin := buildAntq(t)
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			cfg := drillConfig{antq: bin, work: t.TempDir(), engine: e, pg: pg, writers: 4, areas: 12, load: 2 * time.Second,
				seed: uint64(time.Now().UnixNano())}
			rep, err := runBackupDrill(t.Context(), cfg)
			t.Logf("seed %d: %s", cfg.seed, rep)
			if err != nil {
				t.Fatal(err)
			}
			if rep.tables == 0 || rep.files == 0 || rep.checkedAfterRestore == 0 {
				t.Fatalf("nothing compared: %s", rep)
			}
		})
	}
}

// TestUpgradeDrillShort: the previous schema version (built from git)
// writes, the current one migrates copies killed at four moments.
func TestUpgradeDrillShort(t *testing.T) {
	repo, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not in a git clone: the previous schema version comes from the history")
	}
	bin := buildAntq(t)
	prev, err := buildPrevious(t.Context(), strings.TrimSpace(string(repo)), filepath.Join(t.TempDir(), "previous"))
	if err != nil {
		t.Fatal(err)
	}
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			cfg := drillConfig{antq: bin, previous: prev, work: t.TempDir(), engine: e, pg: pg, writers: 4, areas: 12,
				load: 2 * time.Second, kills: 4, seed: uint64(time.Now().UnixNano())}
			rep, err := runUpgradeDrill(t.Context(), cfg)
			t.Logf("seed %d: %s", cfg.seed, rep)
			if err != nil {
				t.Fatal(err)
			}
			if rep.acked == 0 || rep.checked == 0 || rep.ackedAfter == 0 || len(rep.trials) != cfg.kills {
				t.Fatalf("drill did not run through: %s", rep)
			}
		})
	}
}
