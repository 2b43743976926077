package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildAntq builds the antq binary (once for the package's tests), as make
// build does.
func buildAntq(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "antqreliability-test-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "antq")
		cmd := exec.Command("go", "build", "-trimpath", "-o", built.bin, "../antq")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build antq: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.bin
}

// engines are the engines the tests run on: SQLite, and PostgreSQL when
// ANTQ_TEST_POSTGRES names a server (mandatory with
// ANTQ_TEST_REQUIRE_POSTGRES).
func engines(t *testing.T) ([]string, *pgServer) {
	t.Helper()
	pg := &pgServer{admin: os.Getenv("ANTQ_TEST_POSTGRES")}
	t.Cleanup(pg.dropAll)
	if pg.admin == "" {
		if os.Getenv("ANTQ_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatal("ANTQ_TEST_REQUIRE_POSTGRES is set but ANTQ_TEST_POSTGRES is empty")
		}
		return []string{"sqlite"}, pg
	}
	return []string{"sqlite", "postgres"}, pg
}

// TestCrashShort is the short crash run of make test: 20 SIGKILL cycles
// under 4 writers per engine, every check after every cycle. It asserts
// no timing: a slow machine only makes it slower.
func TestCrashShort(t *testing.T) {
	bin := buildAntq(t)
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			cfg := crashConfig{antq: bin, work: t.TempDir(), engine: e, pg: pg, cycles: 20, writers: 4, areas: 16,
				killMin: 20 * time.Millisecond, killMax: 600 * time.Millisecond, seed: uint64(time.Now().UnixNano())}
			rep, err := runCrash(t.Context(), cfg)
			t.Logf("seed %d: %s", cfg.seed, rep)
			if err != nil {
				t.Fatal(err)
			}
			if rep.cycles != cfg.cycles || rep.acked == 0 {
				t.Fatalf("%d cycles, %d acknowledged writes", rep.cycles, rep.acked)
			}
		})
	}
}
