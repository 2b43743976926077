// Package fuzzstat counts the executions of fuzz targets, for make fuzz.
// go test -fuzz reports executions only when a worker process returns to
// the coordinator, which for some targets happens rarely or not before
// the run ends (its figure then stays near zero); each worker process
// counts for itself here instead and writes its count to a file.
package fuzzstat

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

var (
	once   sync.Once
	dir    string
	counts sync.Map // target → *atomic.Int64
)

// Count records one execution of the target. It does nothing unless
// ANTQ_FUZZ_STATS names a directory; then every process writes
// DIR/TARGET.PID with its count, four times a second.
func Count(target string) {
	once.Do(start)
	if dir == "" {
		return
	}
	v, _ := counts.LoadOrStore(target, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

func start() {
	dir = os.Getenv("ANTQ_FUZZ_STATS")
	if dir == "" {
		return
	}
	go func() {
		for range time.Tick(250 * time.Millisecond) {
			counts.Range(func(k, v any) bool {
				name := filepath.Join(dir, fmt.Sprintf("%s.%d", k, os.Getpid()))
				os.WriteFile(name+".tmp", fmt.Appendf(nil, "%d\n", v.(*atomic.Int64).Load()), 0o644)
				os.Rename(name+".tmp", name)
				return true
			})
		}
	}()
}
