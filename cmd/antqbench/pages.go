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

// The bounds on a read's p99: the first page of a list, the
// indicators read (also at most indicatorsVsBase times the baseline's p99,
// an authenticated trivial read), a dashboard page.
const (
	listTarget       = 100 * time.Millisecond
	indicatorsTarget = 10 * time.Millisecond
	indicatorsVsBase = 5
	dashboardTarget  = 15 * time.Millisecond
)

// pageRead is one read of the series: a path and the bound its p99 is
// judged against (0: only reported); vsBase, when set, also bounds its p99
// to that many times the baseline's.
type pageRead struct {
	label, path string
	target      time.Duration
	vsBase      float64
}

// targetText states the bound of r.
func (r pageRead) targetText() string {
	if r.target == 0 {
		return ""
	}
	t := fmt.Sprintf("p99 ≤ %d ms", r.target.Milliseconds())
	if r.vsBase > 0 {
		t += fmt.Sprintf(" and ≤ %g× baseline p99", r.vsBase)
	}
	return t
}

// met reports whether the read's times meet r's bound.
func (r pageRead) met(times, base []time.Duration) bool {
	p99 := percentile(times, 99)
	if p99 > r.target {
		return false
	}
	return r.vsBase == 0 || float64(p99) <= r.vsBase*float64(percentile(base, 99))
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
			target, v := r.targetText(), ""
			if s.failed != "" {
				rows = append(rows, []string{engine, r.label, s.failed, "", "", target, "", "", verdict(false)})
				continue
			}
			if r.target > 0 {
				v = verdict(r.met(s.times, base))
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
			pageRead{label: "dashboard page, " + u, path: p + "/dashboard?unit=" + q, target: dashboardTarget},
			pageRead{label: "indicators API, " + u + " (100 children)", path: "/api/v1" + p + "/indicators?unit=" + q, target: indicatorsTarget, vsBase: indicatorsVsBase},
			pageRead{label: "map page, " + u, path: p + "/map?unit=" + q},
			pageRead{label: "failing list page, recognition, " + u, path: p + "/failing/recognition?unit=" + q, target: listTarget},
			pageRead{label: "failing list API, registration, " + u + " (limit 50)", path: "/api/v1" + p + "/indicators/registration/failing?limit=50&unit=" + q, target: listTarget},
			pageRead{label: "decision list page, " + u, path: p + "/decisions?unit=" + q, target: listTarget},
			pageRead{label: "inbox page, " + u, path: p + "/inbox?unit=" + q, target: listTarget},
			pageRead{label: "inbox API, " + u, path: "/api/v1" + p + "/inbox?unit=" + q, target: listTarget},
			pageRead{label: "unit page, " + u, path: "/units/" + q},
			pageRead{label: "unit API, " + u, path: "/api/v1/units/" + q},
			pageRead{label: "results.xlsx, " + u, path: p + "/results.xlsx?unit=" + q},
		)
	}
	return append(out, pageRead{label: "search “Phường”", path: "/?q=" + url.QueryEscape("Phường"), target: listTarget})
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
