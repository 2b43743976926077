package main

// Concurrent edits (test plan T5): many clients edit the same few facts,
// each sending back the version it read (If-Match). Exactly one write may
// win from each version; every other write from that version must get 409
// with the current version (the client then tries again from it), and the
// figures left are those of the last winners. A lost update — two writes
// accepted from one version — or any answer other than 200 and 409 fails
// the run.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type conflictConfig struct {
	antq, work, engine string
	pg                 *pgServer
	facts, clients     int
	edits              int // attempts in all
	seed               uint64
}

type conflictReport struct {
	engine                 string
	attempts, won, refused int64
	versions               int          // distinct versions written from
	shed                   atomic.Int64 // 503s sent again
	elapsed                time.Duration
}

func (r *conflictReport) String() string {
	return fmt.Sprintf("%s: concurrent edits: %d attempts from the clients, %d won, %d refused with 409 (%d versions, one winner each), %d shed with 503 and sent again, in %v (%.0f attempts/s)",
		r.engine, r.attempts, r.won, r.refused, r.versions, r.shed.Load(), r.elapsed.Round(time.Millisecond), float64(r.attempts)/max(r.elapsed.Seconds(), 1e-9))
}

// win is a write accepted from a version.
type win struct {
	from, to string
	value    int64
}

func runConflicts(ctx context.Context, cfg conflictConfig) (rep *conflictReport, err error) {
	rep = &conflictReport{}
	rep.engine = cfg.engine
	in, tok, err := newFixtureInstance(ctx, cfg.antq, cfg.work, cfg.engine, cfg.pg, "antq_conflicts", cfg.work, cfg.facts)
	if err != nil {
		return rep, err
	}
	defer in.kill()
	if err := in.start(ctx); err != nil {
		return rep, err
	}
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients + 4}}
	base := in.url()
	// send sends one request; a 503 (admission control shedding the
	// clients' burst) is sent again after a pause, as a client honouring
	// Retry-After would, and is not an attempt.
	send := func(method, path, ifMatch, body string) (int, string, []byte, error) {
		for range 100 {
			st, tag, b, err := sendOnce(ctx, hc, tok.entry, base, method, path, ifMatch, body)
			if err != nil || st != http.StatusServiceUnavailable {
				return st, tag, b, err
			}
			rep.shed.Add(1)
			time.Sleep(50 * time.Millisecond)
		}
		return 0, "", nil, fmt.Errorf("%s %s: still 503 after 100 tries", method, path)
	}
	readVersion := func(unit string) (string, error) {
		st, _, b, err := send("GET", apiPlan+"/units/"+unit, "", "")
		var f struct{ Versions map[string]string }
		if err == nil && (st != http.StatusOK || json.Unmarshal(b, &f) != nil) {
			err = fmt.Errorf("GET %s: %d %s", unit, st, b)
		}
		return f.Versions["propaganda"], err
	}
	// Every fact starts with one write, so that every edit has a version.
	for i := 1; i <= cfg.facts; i++ {
		if st, _, b, err := send("PUT", apiPlan+"/units/"+areaCode(i)+"/propaganda", "", `{"reached":1,"as_of":"2023-10-31"}`); err != nil || st != http.StatusOK {
			return rep, fmt.Errorf("first write of %s: %d %s %v", areaCode(i), st, b, err)
		}
	}

	var (
		mu      sync.Mutex
		wins    = map[string][]win{} // unit → accepted writes
		bad     []string
		counter atomic.Int64
		value   atomic.Int64
	)
	start := time.Now()
	var wg sync.WaitGroup
	for c := range cfg.clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(cfg.seed, uint64(c)))
			for counter.Add(1) <= int64(cfg.edits) && ctx.Err() == nil {
				unit := areaCode(1 + rng.IntN(cfg.facts))
				v, err := readVersion(unit)
				if err != nil {
					mu.Lock()
					bad = append(bad, err.Error())
					mu.Unlock()
					return
				}
				// Edit until this client's write wins, each time from the
				// version the last 409 named (at most a few rounds).
				for round := 0; round < 50; round++ {
					n := 2 + value.Add(1)%900_000
					st, tag, b, err := send("PUT", apiPlan+"/units/"+unit+"/propaganda", v, fmt.Sprintf(`{"reached":%d,"as_of":"2023-10-31"}`, n))
					mu.Lock()
					switch {
					case err != nil:
						bad = append(bad, err.Error())
					case st == http.StatusOK:
						rep.won++
						wins[unit] = append(wins[unit], win{from: v, to: tag, value: n})
					case st == http.StatusConflict:
						rep.refused++
						var e struct{ Error struct{ Version string } }
						if json.Unmarshal(b, &e) != nil || e.Error.Version == "" || e.Error.Version == v {
							bad = append(bad, fmt.Sprintf("409 for %s without a newer version: %s", unit, b))
						}
						v = e.Error.Version
					default:
						bad = append(bad, fmt.Sprintf("PUT %s: %d %s", unit, st, b))
					}
					rep.attempts++
					mu.Unlock()
					if err != nil || st != http.StatusConflict {
						break
					}
					if counter.Add(1) > int64(cfg.edits) {
						break
					}
				}
			}
		})
	}
	wg.Wait()
	rep.elapsed = time.Since(start)
	if len(bad) > 0 {
		return rep, fmt.Errorf("%s: %d unexpected answers, e.g. %s\nserver log tail:\n%s", cfg.engine, len(bad), bad[0], copyTail(in.logPath, 1500))
	}

	// One winner per version; each unit's winners chain to its final
	// version, whose figure is the last winner's.
	var problems []string
	for unit, ws := range wins {
		from := map[string]win{}
		to := map[string]win{}
		for _, w := range ws {
			if prev, ok := from[w.from]; ok {
				problems = append(problems, fmt.Sprintf("%s: two writes won from version %s (values %d and %d): a lost update", unit, w.from, prev.value, w.value))
			}
			from[w.from] = w
			to[w.to] = w
		}
		rep.versions += len(from)
		final, err := readVersion(unit)
		if err != nil {
			return rep, err
		}
		last, ok := to[final]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: its version %s was made by no acknowledged write", unit, final))
			continue
		}
		var f factsView
		if err := newClient(in).getJSON(ctx, tok.entry, apiPlan+"/units/"+unit, &f); err != nil {
			return rep, err
		}
		if f.Propaganda == nil || f.Propaganda.Reached != last.value {
			problems = append(problems, fmt.Sprintf("%s: figure %v, but the last winner wrote %d", unit, f.Propaganda, last.value))
		}
		// The chain: from the first version, each winner's version is the
		// next one's starting point, up to the final version.
		steps, v := 0, ""
		for fv := range from {
			if _, madeByWinner := to[fv]; !madeByWinner {
				if v != "" {
					problems = append(problems, fmt.Sprintf("%s: more than one chain of versions (%s and %s)", unit, v, fv))
				}
				v = fv
			}
		}
		for {
			w, ok := from[v]
			if !ok {
				break
			}
			v = w.to
			steps++
		}
		if v != final || steps != len(ws) {
			problems = append(problems, fmt.Sprintf("%s: the winners chain %d of %d writes to version %s, the fact is at %s", unit, steps, len(ws), v, final))
		}
	}
	in.stop()
	if _, err := checkOffline(ctx, in, 0); err != nil {
		problems = append(problems, "offline checks: "+err.Error())
	}
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("… %d more", len(problems)-10))
		}
		return rep, fmt.Errorf("%s: %s", cfg.engine, strings.Join(problems, "; "))
	}
	return rep, nil
}

func sendOnce(ctx context.Context, hc *http.Client, token, base, method, path, ifMatch, body string) (int, string, []byte, error) {
	req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", `"`+ifMatch+`"`)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, strings.Trim(res.Header.Get("ETag"), `"`), b, err
}
