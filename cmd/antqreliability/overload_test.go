package main

import (
	"testing"
	"time"
)

// A short overload run with tight admission limits: the server sheds with
// 503 and Retry-After (never another 5xx), health checks stay 200, it serves
// again after the load, and the offline checks agree. Timings are printed,
// not asserted (they belong to make reliability).
func TestOverloadShort(t *testing.T) {
	bin := buildAntq(t)
	list, pg := engines(t)
	for _, e := range list {
		t.Run(e, func(t *testing.T) {
			cfg := overloadConfig{antq: bin, work: t.TempDir(), engine: e, pg: pg, areas: 8,
				rate: 50, nominal: 2 * time.Second, clients: 32, saturate: 2 * time.Second,
				env: []string{"ANTQ_MAX_READS=2", "ANTQ_MAX_WRITES=1", "ANTQ_MAX_LOGINS=1", "ANTQ_QUEUE_WAIT=5ms"}}
			rep, err := runOverload(t.Context(), cfg)
			t.Logf("%s", rep)
			if err != nil {
				t.Fatal(err)
			}
			sat := rep.phases[1]
			var served, shed int
			for _, c := range sat.classes {
				served += c.ok
				shed += c.shed
			}
			if shed == 0 || served == 0 {
				t.Fatalf("saturated with one write and two reads in flight: %d served, %d shed; want both", served, shed)
			}
		})
	}
}
