package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"antq"
	"antq/auth"
	"antq/demo"
	"antq/store"
	"antq/web"
)

// Target of issue 18 for the dashboard page at nation scale (issue 6's was
// 100 ms); the same bound as antqbench pages (dashboardTarget).
const dashboardTargetP99 = dashboardTarget

// runDashboardBench measures the dashboard page (issue 6) served by the real
// server (web.NewServer, 127.0.0.1 only, a viewer's session from a real
// login) on SQLite and PostgreSQL: /plans/{plan}/dashboard for the nation
// and for the largest province of the nation demo, and for the province of
// the Bình Phước demo. The baseline, measured interleaved in the same run,
// is the JSON endpoint /api/v1/plans/{plan}/indicators for the same unit:
// the same indicator read without the page (breadcrumb, charts, template).
func runDashboardBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "dashboard", "databases antq_bench_<random> are created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built when missing); it builds the demos ('antq demo --scale nation|bp')")
	requests := fs.Int("requests", 300, "requests per series")
	province := fs.String("province", "", "nation demo province to measure (default: the one with most communes)")
	nationDB := fs.String("db", "", "use this database holding the nation demo instead of building one (one engine)")
	bpDB := fs.String("bp-db", "", "use this database holding the Bình Phước demo instead of building one (one engine)")
	keep := fs.Bool("keep", false, "keep the temporary directory (SQLite databases)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if *province, err = provinceOrMostCommunes(*province); err != nil {
		return err
	}
	dir, done, err := startBench(e, "dashboard", *keep)
	if err != nil {
		return err
	}
	defer done()

	header := []string{"engine", "measure", "page", "size", "target", "JSON endpoint (baseline)", "page ÷ JSON (p50, p99)", "result"}
	var rows [][]string
	printed := 0
	for _, engine := range strings.Split(*fs.engines, ",") {
		engine = strings.TrimSpace(engine)
		for _, d := range []struct {
			scale, dsn, plan, user string
			units                  []string
		}{
			{"nation", *nationDB, demo.NationPlanID, demo.NationCode, []string{demo.NationCode, *province}},
			{"bp", *bpDB, demo.PlanID, demo.RootCode, []string{demo.RootCode}},
		} {
			dsn := d.dsn
			if dsn == "" {
				var drop func()
				var build result
				dsn, build, drop, err = demoDatabase(ctx, e, *antqBin, *fs.postgres, engine, dir, d.scale)
				if err != nil {
					return err
				}
				defer drop()
				rows = append(rows, []string{engine, fmt.Sprintf("antq demo --scale %s", d.scale),
					fmt.Sprintf("%.1f s", build.wall.Seconds()), "", "", "", "", ""})
			}
			res, err := dashboardSeries(ctx, dsn, filepath.Join(dir, "files"), d.plan, d.user, d.units, *requests)
			if err != nil {
				return fmt.Errorf("%s %s: %w", engine, d.scale, err)
			}
			for _, s := range res {
				var label string
				switch {
				case s.unit == demo.NationCode:
					label = "nation (34 provinces)"
				case d.scale == "nation":
					label = "province " + s.unit + " of the nation"
				default:
					label = "province " + s.unit + " (Bình Phước demo)"
				}
				target, v := fmt.Sprintf("p99 ≤ %d ms", dashboardTargetP99.Milliseconds()), verdict(percentile(s.page, 99) <= dashboardTargetP99)
				rows = append(rows, []string{engine, "dashboard page, " + label,
					fmt.Sprintf("p50 %s, p99 %s", ms(s.page, 50), ms(s.page, 99)), fmt.Sprintf("%.0f KiB", float64(s.pageBytes)/1024), target,
					fmt.Sprintf("p50 %s, p99 %s", ms(s.api, 50), ms(s.api, 99)), ratio(s.page, s.api, 50) + ", " + ratio(s.page, s.api, 99), v})
			}
		}
		printEngineTable(e.stdout, header, rows[printed:])
		printed = len(rows)
	}
	fs.printMarkdown(e.stdout, header, rows)
	return nil
}

type dashboardResult struct {
	unit      string
	page, api []time.Duration
	pageBytes int
}

// dashboardSeries serves the database with the real server on 127.0.0.1,
// logs a viewer of unit in and times, interleaved, the dashboard page and
// the JSON endpoint of each unit (the first tenth of the rounds warms up).
func dashboardSeries(ctx context.Context, dsn, filesDir, plan, unit string, units []string, requests int) ([]*dashboardResult, error) {
	get, done, err := serveAs(ctx, dsn, filesDir, "bench.dashboard", antq.RoleViewer, unit)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []*dashboardResult
	for _, u := range units {
		r := &dashboardResult{unit: u}
		// The page must be the real one: it names the unit and its figures.
		_, body, err := get(dashboardPath(plan, u))
		if err != nil {
			return nil, err
		}
		if !strings.Contains(string(body), "<svg") || !strings.Contains(string(body), `lang="vi"`) {
			return nil, errors.New("the dashboard page has no chart: " + dashboardPath(plan, u))
		}
		r.pageBytes = len(body)
		out = append(out, r)
	}
	for i := -requests / 10; i < requests; i++ {
		for _, r := range out {
			d, _, err := get(dashboardPath(plan, r.unit))
			if err != nil {
				return nil, err
			}
			// The API pages the children; 1,000 (its most) keeps the
			// baseline close to the page, which reads them all.
			a, _, err := get("/api/v1/plans/" + plan + "/indicators?children_limit=1000&unit=" + url.QueryEscape(r.unit))
			if err != nil {
				return nil, err
			}
			if i >= 0 {
				r.page, r.api = append(r.page, d), append(r.api, a)
			}
		}
	}
	return out, nil
}

func dashboardPath(plan, unit string) string {
	return "/plans/" + plan + "/dashboard?unit=" + url.QueryEscape(unit)
}

// demoDatabase builds a demo ("nation" or "bp") into a fresh database of
// engine with the antq binary, and returns the database and how long the
// build took; drop removes a PostgreSQL database again.
func demoDatabase(ctx context.Context, e *env, antqBin, pgURL, engine, dir, scale string) (dsn string, build result, drop func(), err error) {
	dsn, drop, err = engineDatabase(ctx, engine, pgURL, filepath.Join(dir, fmt.Sprintf("%s-%d.db", scale, time.Now().UnixNano())))
	if err != nil {
		return "", build, nil, err
	}
	bin, err := ensureAntq(ctx, e, antqBin)
	if err != nil {
		drop()
		return "", build, nil, err
	}
	fmt.Fprintf(e.stdout, "%s: building the demo (antq demo --scale %s)…\n", engine, scale)
	build, err = measure(ctx, bin, "demo", "--scale", scale, "--data", dir, "--db", dsn)
	if err != nil {
		drop()
		return "", build, nil, fmt.Errorf("%s: %w", engine, err)
	}
	var out []string
	for _, l := range strings.Split(build.output, "\n") {
		if !strings.Contains(l, "admin /") { // the throwaway database's admin password
			out = append(out, l)
		}
	}
	fmt.Fprint(e.stdout, indent(strings.Join(out, "\n")))
	return dsn, build, drop, nil
}

// provinceOrMostCommunes is province, or when it is empty (the default of
// --province) the province with the most communes.
func provinceOrMostCommunes(province string) (string, error) {
	if province != "" {
		return province, nil
	}
	return mostCommunes()
}

// mostCommunes is the province of units-2025.csv with the most communes.
func mostCommunes() (string, error) {
	recs, err := demo.Units2025()
	if err != nil {
		return "", err
	}
	n := map[string]int{}
	best := ""
	for _, r := range recs {
		if r.Unit.Kind == antq.KindCommune {
			if n[r.Unit.ParentCode]++; n[r.Unit.ParentCode] > n[best] {
				best = r.Unit.ParentCode
			}
		}
	}
	return best, nil
}

// loadAverage is the 1, 5 and 15 minute load average (Linux), for the record.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// timedGet requests a path of the served database as the logged-in user
// and times it (the body read included); a status other than 200 is an
// error.
type timedGet func(path string) (time.Duration, []byte, error)

// serveAs opens the database, serves it with the real server on 127.0.0.1
// and logs in through the login page, like a browser, as an account with
// role at unit and a password of its own (a database measured before gets
// a new one). done stops the server and closes the database.
func serveAs(ctx context.Context, dsn, filesDir, username string, role antq.Role, unit string) (get timedGet, done func(), err error) {
	sys := antq.SystemContext(ctx)
	db, err := openStore(ctx, dsn, store.Options{FilesDir: filesDir}, false)
	if err != nil {
		return nil, nil, err
	}
	hasher := auth.NewHasher(auth.DefaultParams, 1)
	password := auth.RandomPassword(20)
	hash, err := hasher.Hash(ctx, password)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if _, err := db.CreateUser(sys, store.NewUser{Username: username, FullName: "Đo hiệu năng", Role: role,
		UnitCode: unit, PasswordHash: hash}); err != nil && antq.ErrorCode(err) != antq.ECONFLICT {
		db.Close()
		return nil, nil, err
	} else if err != nil {
		if err := db.ResetPassword(sys, username, hash, "antqbench", false); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	srv, err := web.NewServer(web.Options{DB: db, Hasher: hasher, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	ctx, stop := context.WithCancel(ctx)
	addrc, errc := make(chan net.Addr, 1), make(chan error, 1)
	go func() { errc <- srv.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	var base string
	select {
	case a := <-addrc:
		base = "http://" + a.String()
	case err := <-errc:
		stop()
		db.Close()
		return nil, nil, err
	}
	done = func() { stop(); <-errc; db.Close() }

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 4},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/login", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		done()
		return nil, nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		done()
		return nil, nil, fmt.Errorf("login: status %d", resp.StatusCode)
	}
	get = func(path string) (time.Duration, []byte, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s: status %d", path, resp.StatusCode)
		}
		return d, body, err
	}
	return get, done, nil
}
