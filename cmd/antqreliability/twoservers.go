package main

// Two servers, one PostgreSQL (issue 17 item 7): two antq serve processes
// on the same database and the same evidence directory, behind nginx on
// loopback (round robin; a server that refuses connections is passed over).
// The harness checks that
//   - a session made through one server works on the other, and a logout on
//     one ends it on both;
//   - login throttling counts the failures made on both servers;
//   - writers through the proxy lose no acknowledged write when one server
//     is killed with SIGKILL mid-load, while the other serves on, and after
//     it is back;
//   - afterwards the offline checks agree (rebuild --check, the audit
//     chain, every evidence file's hash).

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type twoConfig struct {
	antq, work, nginx string
	pg                *pgServer
	writers, areas    int
	load              time.Duration // each of the three write phases
	seed              uint64
}

type twoReport struct {
	acked, checked, unanswered int64
	perServer                  [2]int // requests of the session check served by each
	throttledAt                int    // the attempt the throttle refused
	elapsed                    time.Duration
	auditRecords, files        int
}

func (r twoReport) String() string {
	return fmt.Sprintf("two servers, one PostgreSQL, behind nginx: session across both (%d/%d page reads per server), "+
		"throttle refused attempt %d of failures spread over both, %d writes acknowledged (%d unanswered while a server was killed), "+
		"%d read back, audit chain %d records, %d evidence files, in %v",
		r.perServer[0], r.perServer[1], r.throttledAt, r.acked, r.unanswered, r.checked, r.auditRecords, r.files, r.elapsed.Round(time.Millisecond))
}

// proxy is a running nginx.
type proxy struct {
	cmd  *exec.Cmd
	base string
	log  string
}

func (p *proxy) stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
}

func (p *proxy) url() string { return p.base }

// freePort finds a loopback port nobody listens on (for nginx, which
// cannot report the port it chose).
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// startNginx runs nginx in the foreground with a configuration of its own
// under dir, proxying to the upstream addresses.
func startNginx(ctx context.Context, bin, dir string, upstreams []string) (*proxy, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	var servers strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&servers, "    server %s max_fails=1 fail_timeout=2s;\n", u)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n" // workers must reach the temporary directories below
	}
	conf := fmt.Sprintf(`%sworker_processes 1;
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path %[2]s/body;
  proxy_temp_path %[2]s/proxy;
  fastcgi_temp_path %[2]s/fastcgi;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  client_max_body_size 40m;
  upstream antq {
%[3]s    keepalive 16;
  }
  server {
    listen %[4]s;
    location / {
      proxy_pass http://antq;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }
  }
}
`, user, dir, servers.String(), addr)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	p := &proxy{base: "http://" + addr, log: filepath.Join(dir, "error.log")}
	p.cmd = exec.Command(bin, "-p", dir, "-c", confPath)
	out, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("nginx: %w", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(p.base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.stop()
			return nil, fmt.Errorf("nginx did not serve on %s: %v\n%s", addr, err, copyTail(filepath.Join(dir, "stderr.log"), 2000)+copyTail(p.log, 2000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hostPort(base string) string { return strings.TrimPrefix(base, "http://") }

// pageAs reads /account with the session cookie; it reports whether the session
// was accepted (200) or sent to the login page.
func pageAs(c *http.Client, base string, cookie *http.Cookie) (bool, error) {
	req, _ := http.NewRequest("GET", base+"/account", nil)
	req.AddCookie(cookie)
	req.Header.Set("Accept", "text/html")
	res, err := c.Do(req)
	if err != nil {
		return false, err
	}
	drain(res)
	switch res.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusSeeOther, http.StatusFound:
		return false, nil
	}
	return false, fmt.Errorf("GET %s/account = %d", base, res.StatusCode)
}

// loginAt posts the login form to base; it returns the status and the
// session cookie, if any.
func loginAt(c *http.Client, base, username, password string) (int, *http.Cookie, error) {
	form := url.Values{"username": {username}, "password": {password}}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Accept", "text/html")
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	drain(res)
	for _, ck := range res.Cookies() {
		if strings.HasSuffix(ck.Name, "antq_session") && ck.Value != "" {
			return res.StatusCode, ck, nil
		}
	}
	return res.StatusCode, nil, nil
}

func runTwoServers(ctx context.Context, cfg twoConfig) (rep twoReport, err error) {
	start := time.Now()
	if cfg.pg == nil || cfg.pg.admin == "" {
		return rep, errors.New("two servers need PostgreSQL (--postgres or ANTQ_TEST_POSTGRES)")
	}
	a, tok, err := newFixtureInstance(ctx, cfg.antq, filepath.Join(cfg.work, "a"), "postgres", cfg.pg, "antq_two", cfg.work, cfg.areas)
	if err != nil {
		return rep, err
	}
	// b: the same database and the same evidence directory, its own log.
	if err := os.MkdirAll(filepath.Join(cfg.work, "b"), 0o700); err != nil {
		return rep, err
	}
	b := &instance{bin: cfg.antq, dataDir: a.dataDir, dsn: a.dsn, logPath: filepath.Join(cfg.work, "b", "server.log")}
	defer a.kill()
	defer b.kill()
	for _, in := range []*instance{a, b} {
		if err := in.start(ctx); err != nil {
			return rep, err
		}
	}
	px, err := startNginx(ctx, cfg.nginx, filepath.Join(cfg.work, "nginx"), []string{hostPort(a.url()), hostPort(b.url())})
	if err != nil {
		return rep, err
	}
	defer px.stop()
	logs := func() string {
		return "\nserver a log tail:\n" + copyTail(a.logPath, 1500) + "\nserver b log tail:\n" + copyTail(b.logPath, 1500) + "\nnginx log tail:\n" + copyTail(px.log, 1500)
	}
	hc := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// 1. A session made through the proxy works on both servers; a logout
	// on one ends it on both.
	status, cookie, err := loginAt(hc, px.url(), "nhaplieu", "mật khẩu thử nghiệm nhaplieu")
	if err != nil || status != http.StatusSeeOther || cookie == nil {
		return rep, fmt.Errorf("login through the proxy: %d, cookie %v, %v%s", status, cookie != nil, err, logs())
	}
	for i, in := range []*instance{a, b} {
		for range 3 {
			ok, err := pageAs(hc, in.url(), cookie)
			if err != nil || !ok {
				return rep, fmt.Errorf("the session made through the proxy, on server %c: accepted %v, %v", 'a'+i, ok, err)
			}
			rep.perServer[i]++
		}
	}
	req, _ := http.NewRequest("POST", a.url()+"/logout", nil)
	req.AddCookie(cookie)
	req.Header.Set("Origin", a.url())
	if res, err := hc.Do(req); err != nil {
		return rep, fmt.Errorf("logout on a: %w", err)
	} else {
		drain(res)
	}
	if ok, err := pageAs(hc, b.url(), cookie); err != nil || ok {
		return rep, fmt.Errorf("after logout on server a, server b still accepts the session (%v, %v)", ok, err)
	}

	// 2. The throttle counts failures on both servers: five free failures
	// an account, alternating servers, then the sixth attempt is refused.
	for i := 1; i <= 8; i++ {
		base := []*instance{a, b}[i%2].url()
		st, _, err := loginAt(hc, base, "thamdinh", "sai mật khẩu")
		if err != nil {
			return rep, fmt.Errorf("failed login %d: %w", i, err)
		}
		if st == http.StatusTooManyRequests {
			rep.throttledAt = i
			break
		}
	}
	if rep.throttledAt != 6 {
		return rep, fmt.Errorf("failed logins spread over two servers: throttled at attempt %d, want 6 (5 free failures per account)%s", rep.throttledAt, logs())
	}

	// 3. Writers through the proxy; server a is killed mid-load, the
	// writers go on through b, a comes back, they go on through both.
	logf, err := os.Create(filepath.Join(cfg.work, "acks.jsonl"))
	if err != nil {
		return rep, err
	}
	defer logf.Close()
	w := newWorkload(newClient(&instance{base: px.url()}), tok, cfg.writers, cfg.areas, &ackLog{f: logf})
	w.proxied = true
	rng := rand.New(rand.NewPCG(cfg.seed, 7))
	killAt := cfg.load/4 + time.Duration(rng.Int64N(int64(cfg.load/2)))
	killed := time.AfterFunc(killAt, a.kill)
	w.runFor(ctx, cfg.load, cfg.seed)
	killed.Stop()
	a.kill()
	// As after a restart in the crash harness: the writes left unanswered
	// by the kill are read back (each is there or not, never half), which
	// also settles the state the writers go on from.
	if err := w.verifyWrites(ctx, rng); err != nil {
		return rep, fmt.Errorf("after server a was killed: %w%s", err, logs())
	}
	w.runFor(ctx, cfg.load, cfg.seed+1) // b alone
	if err := a.start(ctx); err != nil {
		return rep, err
	}
	time.Sleep(2500 * time.Millisecond) // nginx's fail_timeout: a is tried again
	w.runFor(ctx, cfg.load, cfg.seed+2)
	if err := w.verifyWrites(ctx, rng); err != nil {
		return rep, fmt.Errorf("at the end: %w%s", err, logs())
	}
	rep.acked, rep.checked, rep.unanswered = w.stats.acked.Load(), w.stats.checked.Load(), w.stats.unanswered.Load()
	if p := w.problems(); len(p) > 0 {
		return rep, fmt.Errorf("unexpected answers: %v%s", p, logs())
	}
	if rep.acked == 0 {
		return rep, fmt.Errorf("no write acknowledged through the proxy%s", logs())
	}

	// 4. Both stopped: the offline checks.
	px.stop()
	a.stop()
	b.stop()
	o, err := checkOffline(ctx, a, rep.acked)
	rep.auditRecords, rep.files = o.auditRecords, o.files
	rep.elapsed = time.Since(start)
	if err != nil {
		return rep, fmt.Errorf("after two servers: %w%s", err, logs())
	}
	return rep, nil
}
