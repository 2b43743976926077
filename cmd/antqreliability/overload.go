package main

// The overload harness (test plan T13): the built server with admission
// control, first at ten times the expected rate of a province's November
// day (open loop: requests arrive at a fixed rate whatever the answers),
// then saturated by many clients without pause (closed loop), then left
// alone to recover. Throughout, a probe reads /healthz every 50 ms.
//
// It fails when a request gets a 5xx other than 503, a 503 comes without
// Retry-After, /healthz answers anything but 200, the server does not serve
// again after the load, or the offline checks (integrity, rebuild --check,
// audit chain) disagree afterwards. The figures (shed rate, latencies, the
// slowest 503, the slowest health check, recovery time, peak memory) are
// printed for docs/RELIABILITY.md; none of them is asserted in make test.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type overloadConfig struct {
	antq, work, engine string
	pg                 *pgServer
	areas              int
	// rate and nominal: the open-loop phase (requests per second, for how
	// long); clients and saturate: the closed-loop phase.
	rate     int
	nominal  time.Duration
	clients  int
	saturate time.Duration
	// env is the server's admission configuration (ANTQ_MAX_… variables).
	env []string
}

// classStats are the answers of one request class in one phase.
type classStats struct {
	mu                  sync.Mutex
	sent, ok, shed, bad int
	okLat, shedLat      []time.Duration
	badSample           string
}

func (c *classStats) add(status int, retryAfter string, d time.Duration, what string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent++
	switch {
	case status == http.StatusServiceUnavailable && retryAfter != "":
		c.shed++
		c.shedLat = append(c.shedLat, d)
	case status >= 200 && status < 400:
		c.ok++
		c.okLat = append(c.okLat, d)
	default:
		c.bad++
		if c.badSample == "" {
			c.badSample = fmt.Sprintf("%s answered %d (Retry-After %q)", what, status, retryAfter)
		}
	}
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

type phaseReport struct {
	name    string
	elapsed time.Duration
	classes map[string]*classStats
	health  healthProbe
}

func (p *phaseReport) String() string {
	var b strings.Builder
	var sent, shed int
	for _, c := range p.classes {
		sent += c.sent
		shed += c.shed
	}
	fmt.Fprintf(&b, "  %s: %d requests in %v (%.0f/s), shed %d (%.1f %%); health checks %d, slowest %v\n",
		p.name, sent, p.elapsed.Round(time.Millisecond), float64(sent)/p.elapsed.Seconds(), shed,
		100*float64(shed)/float64(max(1, sent)), p.health.n.Load(), time.Duration(p.health.slowest.Load()))
	for _, name := range []string{"read", "write", "login"} {
		c := p.classes[name]
		if c == nil || c.sent == 0 {
			continue
		}
		fmt.Fprintf(&b, "    %-5s sent %d, served %d (p50 %v, p99 %v), shed %d (slowest 503 %v)\n", name, c.sent, c.ok,
			quantile(c.okLat, .5).Round(100*time.Microsecond), quantile(c.okLat, .99).Round(100*time.Microsecond),
			c.shed, quantile(c.shedLat, 1).Round(100*time.Microsecond))
	}
	return b.String()
}

// healthProbe reads /healthz every 50 ms.
type healthProbe struct {
	n, bad, slowest atomic.Int64
}

func (h *healthProbe) run(ctx context.Context, c *http.Client, base string) {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		res, err := c.Get(base + "/healthz")
		d := time.Since(start)
		h.n.Add(1)
		if err != nil || res.StatusCode != http.StatusOK {
			h.bad.Add(1)
		}
		if err == nil {
			res.Body.Close()
		}
		for {
			old := h.slowest.Load()
			if int64(d) <= old || h.slowest.CompareAndSwap(old, int64(d)) {
				break
			}
		}
	}
}

type overloadReport struct {
	engine   string
	phases   []*phaseReport
	recovery time.Duration
	peakRSS  string
}

func (r overloadReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: overload\n", r.engine)
	for _, p := range r.phases {
		b.WriteString(p.String())
	}
	fmt.Fprintf(&b, "  recovery: served again %v after the load stopped; server peak memory (VmHWM) %s", r.recovery.Round(time.Millisecond), r.peakRSS)
	return b.String()
}

// loadGen sends the requests of the harness.
type loadGen struct {
	http  *http.Client
	base  string
	tok   tokens
	areas int
	seq   atomic.Int64
}

// one sends a request of the mix: 70 % reads (the commune's facts and the
// plan's indicators), 25 % writes (a propaganda figure), 5 % logins.
func (g *loadGen) one(ctx context.Context, p *phaseReport, n int64) {
	var req *http.Request
	var class string
	switch k := n % 20; {
	case k == 0:
		class = "login"
		form := url.Values{"username": {"nhaplieu"}, "password": {"mật khẩu thử nghiệm nhaplieu"}}
		req, _ = http.NewRequestWithContext(ctx, "POST", g.base+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", g.base)
	case k <= 5:
		class = "write"
		area := areaCode(1 + int(n)%g.areas)
		body := fmt.Sprintf(`{"reached":%d,"as_of":"2023-10-31"}`, 1+g.seq.Add(1)%200)
		req, _ = http.NewRequestWithContext(ctx, "PUT", g.base+apiPlan+"/units/"+area+"/propaganda", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+g.tok.entry)
	case k%2 == 0:
		class = "read"
		req, _ = http.NewRequestWithContext(ctx, "GET", g.base+apiPlan+"/indicators?unit="+fixtureCommune, nil)
		req.Header.Set("Authorization", "Bearer "+g.tok.entry)
	default:
		class = "read"
		req, _ = http.NewRequestWithContext(ctx, "GET", g.base+apiPlan+"/units/"+fixtureCommune, nil)
		req.Header.Set("Authorization", "Bearer "+g.tok.entry)
	}
	start := time.Now()
	res, err := g.http.Do(req)
	d := time.Since(start)
	status, retry := 0, ""
	if err == nil {
		status, retry = res.StatusCode, res.Header.Get("Retry-After")
		drain(res)
	}
	if ctx.Err() != nil && err != nil {
		return // the phase ended while it was in flight
	}
	p.classes[class].add(status, retry, d, req.Method+" "+req.URL.Path)
}

func newPhase(name string) *phaseReport {
	return &phaseReport{name: name, classes: map[string]*classStats{"read": {}, "write": {}, "login": {}}}
}

// openLoop sends rate requests a second for d, whatever the answers, with
// at most 2,000 outstanding.
func (g *loadGen) openLoop(ctx context.Context, p *phaseReport, rate int, d time.Duration) {
	g.runPhase(ctx, p, d, func(ctx context.Context) {
		sem := make(chan struct{}, 2000)
		var wg sync.WaitGroup
		t := time.NewTicker(time.Second / time.Duration(max(1, rate)))
		var n int64
	loop:
		for {
			select {
			case <-ctx.Done():
				break loop
			case <-t.C:
			}
			select {
			case sem <- struct{}{}:
			default:
				continue // the client's own bound: count nothing
			}
			n++
			wg.Add(1)
			go func(n int64) {
				defer func() { <-sem; wg.Done() }()
				g.one(context.Background(), p, n)
			}(n)
		}
		t.Stop()
		wg.Wait()
	})
}

// closedLoop runs clients that each send the next request as soon as the
// last is answered, for d.
func (g *loadGen) closedLoop(ctx context.Context, p *phaseReport, clients int, d time.Duration) {
	g.runPhase(ctx, p, d, func(ctx context.Context) {
		var wg sync.WaitGroup
		var n atomic.Int64
		for range clients {
			wg.Go(func() {
				for ctx.Err() == nil {
					g.one(ctx, p, n.Add(1))
				}
			})
		}
		wg.Wait()
	})
}

// runPhase runs load with a context that ends after d, the health probe
// running beside it, and records in p how long load took.
func (g *loadGen) runPhase(ctx context.Context, p *phaseReport, d time.Duration, load func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	hctx, hcancel := context.WithCancel(context.Background())
	defer hcancel()
	go p.health.run(hctx, g.http, g.base)
	start := time.Now()
	load(ctx)
	p.elapsed = time.Since(start)
}

func drain(res *http.Response) {
	buf := make([]byte, 32<<10)
	for {
		if _, err := res.Body.Read(buf); err != nil {
			break
		}
	}
	res.Body.Close()
}

// peakRSS reads the process's high-water resident memory.
func peakRSS(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func runOverload(ctx context.Context, cfg overloadConfig) (rep overloadReport, err error) {
	rep.engine = cfg.engine
	in, err := newInstance(ctx, cfg.antq, cfg.work, cfg.engine, cfg.pg, "antq_overload")
	if err != nil {
		return rep, err
	}
	in.extraEnv = cfg.env
	tok, err := loadFixture(ctx, in, cfg.work, cfg.areas)
	if err != nil {
		return rep, err
	}
	defer in.kill()
	if err := in.start(ctx); err != nil {
		return rep, err
	}
	g := &loadGen{base: in.url(), tok: tok, areas: cfg.areas, http: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true}}}

	nominal := newPhase(fmt.Sprintf("10× November (%d/s open loop)", cfg.rate))
	g.openLoop(ctx, nominal, cfg.rate, cfg.nominal)
	saturated := newPhase(fmt.Sprintf("saturated (%d clients, closed loop)", cfg.clients))
	g.closedLoop(ctx, saturated, cfg.clients, cfg.saturate)
	rep.phases = []*phaseReport{nominal, saturated}

	// Recovery: the time until five reads in a row are served.
	stopped := time.Now()
	for streak := 0; streak < 5; {
		if time.Since(stopped) > 30*time.Second {
			return rep, fmt.Errorf("the server did not serve again within 30 s of the load stopping")
		}
		p := newPhase("recovery")
		g.one(ctx, p, 6) // n%20 == 6: a read of the indicators
		if p.classes["read"].ok == 1 {
			streak++
		} else {
			streak = 0
			time.Sleep(10 * time.Millisecond)
		}
	}
	rep.recovery = time.Since(stopped)
	in.mu.Lock()
	if in.cmd != nil {
		rep.peakRSS = peakRSS(in.cmd.Process.Pid)
	}
	in.mu.Unlock()

	var problems []string
	for _, p := range rep.phases {
		if n := p.health.bad.Load(); n > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d health checks failed", p.name, n))
		}
		for name, c := range p.classes {
			if c.bad > 0 {
				problems = append(problems, fmt.Sprintf("%s: %d %s requests neither served nor shed with Retry-After, e.g. %s", p.name, c.bad, name, c.badSample))
			}
		}
	}
	in.stop()
	if _, err := checkOffline(ctx, in, 0); err != nil {
		problems = append(problems, "after the load: "+err.Error())
	}
	if len(problems) > 0 {
		return rep, fmt.Errorf("%s: %s\nserver log tail:\n%s", cfg.engine, strings.Join(problems, "; "), copyTail(in.logPath, 2000))
	}
	return rep, nil
}
