package main

// antqbench pages: every read a page makes, at nation scale (issue 18) —
// failing lists, decision list, inbox, results workbook, unit pages,
// search and the indicators answer — for the nation, its largest province
// and one of that province's communes, served by the real server
// (web.NewServer on 127.0.0.1, a reviewer of the nation logged in through
// the login page) on SQLite and PostgreSQL. The baseline, measured
// interleaved in the same run, is an authenticated trivial read (the
// account's own JSON, GET /api/v1/account): what any answer costs before it
// reads a figure. The target of a list is its first page in ≤ 100 ms.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"antq"
	"antq/demo"
)

// pagesTarget is the bound on the first page of a list.
const pagesTarget = 100 * time.Millisecond

// pageRead is one read of the series: a path and whether it is a list
// (judged against pagesTarget) or only reported.
type pageRead struct {
	label, path string
	list        bool
}

func runPagesBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "pages", "databases antq_bench_<random> are created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built when missing); it builds the nation demo ('antq demo --scale nation')")
	requests := fs.Int("requests", 20, "requests per read")
	province := fs.String("province", "", "nation demo province to measure (default: the one with most communes)")
	nationDB := fs.String("db", "", "use this database holding the nation demo instead of building one (one engine)")
	keep := fs.Bool("keep", false, "keep the temporary directory (SQLite databases)")
	only := fs.String("only", "", "measure only the reads whose label contains this text")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured rounds (the server runs in this process) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if *province, err = provinceOrMostCommunes(*province); err != nil {
		return err
	}
	commune, err := firstCommune(*province)
	if err != nil {
		return err
	}
	dir, done, err := startBench(e, "pages", *keep)
	if err != nil {
		return err
	}
	defer done()
	reads := pageReads(demo.NationPlanID, []string{demo.NationCode, *province, commune})
	if *only != "" {
		reads = slices.DeleteFunc(reads, func(r pageRead) bool { return !strings.Contains(r.label, *only) })
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	header := []string{"engine", "read", "p50", "p99", "size", "target", "baseline (p50, p99)", "read ÷ baseline (p50)", "result"}
	var rows [][]string
	printed := 0
	for _, engine := range strings.Split(*fs.engines, ",") {
		engine = strings.TrimSpace(engine)
		dsn := *nationDB
		if dsn == "" {
			var drop func()
			var build result
			dsn, build, drop, err = demoDatabase(ctx, e, *antqBin, *fs.postgres, engine, dir, "nation")
			if err != nil {
				return err
			}
			defer drop()
			rows = append(rows, []string{engine, "antq demo --scale nation", fmt.Sprintf("%.1f s", build.wall.Seconds()), "", "", "", "", "", ""})
		}
		series, base, err := pagesSeries(ctx, dsn, filepath.Join(dir, "files"), reads, *requests)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		for i, r := range reads {
			s := series[i]
			target, v := "", ""
			if r.list {
				target = "p99 ≤ 100 ms"
			}
			if s.failed != "" {
				rows = append(rows, []string{engine, r.label, s.failed, "", "", target, "", "", verdict(false)})
				continue
			}
			if r.list {
				v = verdict(percentile(s.times, 99) <= pagesTarget)
			}
			rows = append(rows, []string{engine, r.label, ms(s.times, 50), ms(s.times, 99), sizeText(s.bytes), target,
				fmt.Sprintf("p50 %s, p99 %s", ms(base, 50), ms(base, 99)), ratio(s.times, base, 50), v})
		}
		printEngineTable(e.stdout, header, rows[printed:])
		printed = len(rows)
	}
	fs.printMarkdown(e.stdout, header, rows)
	return nil
}

// pageReads are the reads of the series for each unit: what the failing
// list, decision list, inbox, results, unit and search pages ask for.
func pageReads(plan string, units []string) []pageRead {
	p := "/plans/" + plan
	var out []pageRead
	for _, u := range units {
		q := url.QueryEscape(u)
		out = append(out,
			pageRead{"failing list page, recognition, " + u, p + "/failing/recognition?unit=" + q, true},
			pageRead{"failing list API, registration, " + u + " (limit 50)", "/api/v1" + p + "/indicators/registration/failing?limit=50&unit=" + q, true},
			pageRead{"decision list page, " + u, p + "/decisions?unit=" + q, true},
			pageRead{"inbox page, " + u, p + "/inbox?unit=" + q, true},
			pageRead{"inbox API, " + u, "/api/v1" + p + "/inbox?unit=" + q, true},
			pageRead{"indicators API, " + u + " (100 children)", "/api/v1" + p + "/indicators?unit=" + q, false},
			pageRead{"unit page, " + u, "/units/" + q, false},
			pageRead{"unit API, " + u, "/api/v1/units/" + q, false},
			pageRead{"results.xlsx, " + u, p + "/results.xlsx?unit=" + q, false},
		)
	}
	return append(out, pageRead{"search “Phường”", "/?q=" + url.QueryEscape("Phường"), true})
}

type pageSeries struct {
	times []time.Duration
	bytes int
	// failed is why the read gave no answer (a timeout of the client's
	// minute, a status): it is reported, and not asked again.
	failed string
}

// pagesSeries times each read and the baseline, interleaved, after one
// warm-up round.
func pagesSeries(ctx context.Context, dsn, filesDir string, reads []pageRead, requests int) ([]*pageSeries, []time.Duration, error) {
	get, done, err := serveAs(ctx, dsn, filesDir, "bench.pages", antq.RoleReviewer, demo.NationCode)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	out := make([]*pageSeries, len(reads))
	var base []time.Duration
	for i := range out {
		out[i] = &pageSeries{}
	}
	for round := -1; round < requests; round++ {
		for i, r := range reads {
			if out[i].failed != "" {
				continue
			}
			d, body, err := get(r.path)
			if err != nil {
				out[i].failed = err.Error()
				if strings.Contains(err.Error(), "Client.Timeout") {
					out[i].failed = "no answer in 60 s"
				}
				continue
			}
			b, _, err := get("/api/v1/account")
			if err != nil {
				return nil, nil, err
			}
			if round < 0 {
				out[i].bytes = len(body)
				continue
			}
			out[i].times = append(out[i].times, d)
			base = append(base, b)
		}
	}
	return out, base, nil
}

// firstCommune is the province's first commune in units-2025.csv.
func firstCommune(province string) (string, error) {
	recs, err := demo.Units2025()
	if err != nil {
		return "", err
	}
	for _, r := range recs {
		if r.Unit.Kind == antq.KindCommune && r.Unit.ParentCode == province {
			return r.Unit.Code, nil
		}
	}
	return "", fmt.Errorf("no commune of province %s in units-2025.csv", province)
}

func sizeText(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/1024)
}
