package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"antq"
	"antq/auth"
	"antq/store"
	"antq/unitfile"
	"antq/web"
)

// authUnits is the little tree the authentication benchmark serves from.
const authUnits = `level,code,name,type,parent_code,households
province,70,Tỉnh Bình Phước,Tỉnh,,
district,689,Thành phố Đồng Xoài,Thành phố,70,
commune,25195,Phường Tân Phú,Phường,689,1000
residential_area,25195-KDC01,Khu phố 1,Khu phố,25195,400
`

// runAuthBench measures, over loopback against the real server
// (web.NewServer) on each engine:
//   - logins per second with the default argon2id parameters (the full
//     POST /login: throttle check, hash, session, audit), against the bare
//     argon2id verifications per second in the same process as baseline;
//   - the latency (p50, p99) of an authenticated cheap request, GET
//     /api/v1/units/{code} with a bearer token (token lookup, scope walk,
//     unit query), against a trivial handler and the real server's
//     unauthenticated /healthz, measured interleaved in the same run;
//   - the latency of a failed login for a wrong password and for an
//     unknown user, interleaved: both cost one hash, so they should match
//     (web's tests count the hashes; this is where the time is measured).
func runAuthBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "auth", "a database antq_bench_<random> is created and dropped")
	logins := fs.Int("logins", 200, "logins to time (each costs one argon2id hash)")
	requests := fs.Int("requests", 3000, "requests per measured series (latency)")
	concurrency := fs.Int("concurrency", runtime.GOMAXPROCS(0), "concurrent logins (and hashes in flight)")
	fs.String("antq", "", "(ignored: this benchmark runs the server in process)")
	fs.Int("rows", 0, "(ignored)")
	fs.Bool("keep", false, "(ignored)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "machine: %s\n", machine())
	p := auth.DefaultParams
	fmt.Fprintf(e.stdout, "argon2id: m=%d KiB, t=%d, p=%d; %d logins, %d requests per series, concurrency %d\n",
		p.MemoryKiB, p.Time, p.Threads, *logins, *requests, *concurrency)

	hasher := auth.NewHasher(p, *concurrency)
	encoded, err := hasher.Hash(ctx, "mật khẩu thử nghiệm 2024")
	if err != nil {
		return err
	}
	var rows [][]string
	for _, engine := range strings.Split(*fs.engines, ",") {
		engine = strings.TrimSpace(engine)
		dir, done, err := workDir(e, "auth", false)
		if err != nil {
			return err
		}
		defer done()
		dsn, drop, err := engineDatabase(ctx, engine, *fs.postgres, filepath.Join(dir, "antq.db"))
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		defer drop()
		r, err := authBenchEngine(ctx, dsn, dir, hasher, encoded, *logins, *requests, *concurrency)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		rows = append(rows,
			[]string{engine, "argon2id verify in process (baseline)", fmt.Sprintf("%.1f /s", r.hashRate), "", ""},
			[]string{engine, "POST /login (full login)", fmt.Sprintf("%.1f /s", r.loginRate), "", fmt.Sprintf("%.0f %% of the baseline", 100*r.loginRate/r.hashRate)},
			[]string{engine, "trivial handler (baseline)", "", ms(r.trivial, 50), ms(r.trivial, 99)},
			[]string{engine, "GET /healthz, real server, no auth", "", ms(r.health, 50), ms(r.health, 99)},
			[]string{engine, "GET /api/v1/units/{code}, bearer token", "", ms(r.authed, 50), ms(r.authed, 99)},
			[]string{engine, "  ratio to trivial handler", "", ratio(r.authed, r.trivial, 50), ratio(r.authed, r.trivial, 99)},
			[]string{engine, "POST /login, wrong password", "", ms(r.wrong, 50), ms(r.wrong, 99)},
			[]string{engine, "POST /login, unknown user", "", ms(r.unknown, 50), ms(r.unknown, 99)},
			[]string{engine, "  ratio unknown / wrong", "", ratio(r.unknown, r.wrong, 50), ratio(r.unknown, r.wrong, 99)},
		)
	}
	header := []string{"engine", "measure", "rate", "p50", "p99"}
	table(e.stdout, header, rows)
	fs.printMarkdown(e.stdout, header, rows)
	return nil
}

type authBenchResult struct {
	hashRate, loginRate     float64
	trivial, health, authed []time.Duration
	wrong, unknown          []time.Duration
}

func authBenchEngine(ctx context.Context, dsn, dir string, hasher *auth.Hasher, encoded string, logins, requests, concurrency int) (*authBenchResult, error) {
	// The failed-login series moves the database's clock a day between pairs
	// so the throttle never answers instead of the hash.
	var skew atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	db, err := openStore(ctx, dsn, store.Options{FilesDir: filepath.Join(dir, "files"), Now: now}, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sys := antq.SystemContext(ctx)
	recs, err := unitfile.Read("units.csv", strings.NewReader(authUnits), unitfile.Options{ValidFrom: antq.MustDate("2023-01-01")})
	if err != nil {
		return nil, err
	}
	if _, err := db.ImportUnits(sys, "units.csv", recs); err != nil {
		return nil, err
	}
	// One account per concurrent client, so no account sees many logins
	// at once (realistic, and the per-account throttle never matters).
	users := make([]*antq.User, concurrency)
	for i := range users {
		if users[i], err = db.CreateUser(sys, store.NewUser{Username: fmt.Sprintf("canbo%02d", i), Role: antq.RoleViewer,
			UnitCode: "25195", PasswordHash: encoded}); err != nil {
			return nil, err
		}
	}
	secret := auth.NewToken("antq_")
	if _, err := db.CreateToken(sys, users[0].ID, "bench", auth.HashToken(secret), secret[:9]); err != nil {
		return nil, err
	}
	srv, err := web.NewServer(web.Options{DB: db, Hasher: hasher, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	real := httptest.NewServer(srv)
	defer real.Close()
	trivial := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}` + "\n"))
	}))
	defer trivial.Close()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: concurrency + 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	res := &authBenchResult{}
	// Logins (the full POST /login, each worker its own account) against
	// the baseline, bare argon2id verifications at the same concurrency,
	// alternated in ten rounds so both see the same machine (a shared
	// machine's load moves).
	var next atomic.Int64
	login := func() error {
		u := users[int(next.Add(1))%len(users)]
		form := url.Values{"username": {u.Username}, "password": {"mật khẩu thử nghiệm 2024"}}
		resp, err := client.Post(real.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("login: status %d", resp.StatusCode)
		}
		return nil
	}
	verify := func() error {
		_, err := hasher.Verify(ctx, encoded, "mật khẩu thử nghiệm 2024")
		return err
	}
	const rounds = 10
	var hashTime, loginTime time.Duration
	per := max(1, logins/rounds)
	for i := 0; i < rounds; i++ {
		d, err := parallelTime(per, concurrency, verify)
		if err != nil {
			return nil, err
		}
		hashTime += d
		if d, err = parallelTime(per, concurrency, login); err != nil {
			return nil, err
		}
		loginTime += d
	}
	res.hashRate = float64(per*rounds) / hashTime.Seconds()
	res.loginRate = float64(per*rounds) / loginTime.Seconds()

	// Latency series, interleaved so drift hits all three alike.
	get := func(u string, token string) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
		}
		return d, err
	}
	warm := requests / 10
	for i := 0; i < warm+requests; i++ {
		a, err := get(trivial.URL+"/", "")
		if err != nil {
			return nil, err
		}
		b, err := get(real.URL+"/healthz", "")
		if err != nil {
			return nil, err
		}
		c, err := get(real.URL+"/api/v1/units/25195-KDC01", secret)
		if err != nil {
			return nil, err
		}
		if i >= warm {
			res.trivial, res.health, res.authed = append(res.trivial, a), append(res.health, b), append(res.authed, c)
		}
	}

	// Failed logins, a wrong password and an unknown user in turn.
	failed := func(username string) (time.Duration, error) {
		form := url.Values{"username": {username}, "password": {"sai mật khẩu"}}
		start := time.Now()
		resp, err := client.Post(real.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		d := time.Since(start)
		if resp.StatusCode != http.StatusUnauthorized {
			return 0, fmt.Errorf("failed login as %s: status %d", username, resp.StatusCode)
		}
		return d, nil
	}
	for i := 0; i < max(10, logins/4); i++ {
		a, err := failed(users[0].Username)
		if err != nil {
			return nil, err
		}
		b, err := failed(fmt.Sprintf("nguoi-la-%d", i))
		if err != nil {
			return nil, err
		}
		res.wrong, res.unknown = append(res.wrong, a), append(res.unknown, b)
		skew.Add(int64(25 * time.Hour))
	}
	return res, nil
}

// parallelTime runs fn n times on workers goroutines and returns the wall
// time.
func parallelTime(n, workers int, fn func() error) (time.Duration, error) {
	var wg sync.WaitGroup
	var left atomic.Int64
	left.Store(int64(n))
	var firstErr error
	var once sync.Once
	start := time.Now()
	for w := 0; w < max(1, workers); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := fn(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start), firstErr
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[min(len(s)-1, max(0, i-1))]
}

func ms(ds []time.Duration, p int) string {
	return fmt.Sprintf("%.3f ms", float64(percentile(ds, p).Microseconds())/1000)
}

func ratio(a, b []time.Duration, p int) string {
	return fmt.Sprintf("%.1f×", float64(percentile(a, p))/float64(max(1, percentile(b, p))))
}

// cpuModel names the processor (Linux), for the record.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if k, v, ok := strings.Cut(string(line), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
