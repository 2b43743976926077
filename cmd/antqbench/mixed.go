package main

// antqbench mixed: the memory of the built server under mixed load (issue
// 18). It serves a nation demo with the antq binary itself (antq serve, a
// child process, the way it is deployed), sends it the reads every page
// makes (antqbench pages' series, for the nation, its largest province and
// one commune) and maintained fact writes through the API at the same
// time, for ten minutes by default, and samples the child's resident set
// (VmRSS) every second. The figure is the peak (VmHWM) against the issue's
// bound of 500 MiB; the RSS when idle after start is the baseline.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"antq/demo"
)

// mixedBound is the bound on the server's resident set.
const mixedBound = 500 << 10 // KiB

func runMixedBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "mixed", "a database antq_bench_<random> is created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built when missing): it builds the nation demo and serves it")
	data := fs.String("data", "", "SQLite data directory holding the nation demo ('antq demo --scale nation --data DIR'), measured instead of building one (its facts are written to)")
	o := mixedOptions{}
	fs.DurationVar(&o.duration, "duration", 10*time.Minute, "how long the mixed load runs")
	fs.IntVar(&o.readers, "readers", 3, "concurrent readers (each cycles through the pages' reads)")
	fs.IntVar(&o.writers, "writers", 2, "concurrent writers (registrations and propaganda figures through the API)")
	keep := fs.Bool("keep", false, "keep the temporary directory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bin, err := ensureAntq(ctx, e, *antqBin)
	if err != nil {
		return err
	}
	if o.reads, err = mixedReads(); err != nil {
		return err
	}
	mem, err := newMemNation()
	if err != nil {
		return err
	}
	// The demo's facts are approved, and an approved fact is locked (409):
	// the writes go to facts the unit does not have yet, and then write
	// them again.
	for _, w := range mem.writePlan(60000) {
		f := mem.units[mem.codes[w.Code]].facts
		if w.Register && !f.Registered || !w.Register && f.Propaganda == nil {
			o.writes = append(o.writes, w)
		}
	}
	if len(o.writes) == 0 {
		return errors.New("no fact of the nation demo is left to write")
	}
	header := []string{"engine", "measure", "value"}
	var all [][]string
	dir, done, err := startBench(e, "mixed", *keep)
	if err != nil {
		return err
	}
	defer done()
	if *data != "" {
		rows, err := mixedRun(ctx, e, bin, *data, "", o)
		if err != nil {
			return err
		}
		all = append(all, rows...)
	} else {
		for _, engine := range strings.Split(*fs.engines, ",") {
			data := filepath.Join(dir, engine)
			dsn, build, drop, err := demoDatabase(ctx, e, bin, *fs.postgres, engine, data, "nation")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: nation demo built in %.0f s\n", engine, build.wall.Seconds())
			rows, err := mixedRun(ctx, e, bin, data, dsn, o)
			drop()
			if err != nil {
				return fmt.Errorf("%s: %w", engine, err)
			}
			all = append(all, rows...)
		}
	}
	fs.printMarkdown(e.stdout, header, all)
	return nil
}

// mixedOptions are the load of one run.
type mixedOptions struct {
	duration         time.Duration
	readers, writers int
	reads            []pageRead
	writes           []factWrite
}

// mixedReads are antqbench pages' reads for the nation, its largest
// province and one of its communes, but the nation's workbook: it gives no
// answer in a minute (BENCHMARKS.md), so one reader would do nothing else.
// It is asked once after the load, and reported apart.
func mixedReads() ([]pageRead, error) {
	province, err := mostCommunes()
	if err != nil {
		return nil, err
	}
	commune, err := firstCommune(province)
	if err != nil {
		return nil, err
	}
	var reads []pageRead
	for _, r := range pageReads(demo.NationPlanID, []string{demo.NationCode, province, commune}) {
		if r.label != "results.xlsx, "+demo.NationCode {
			reads = append(reads, r)
		}
	}
	return reads, nil
}

// mixedRun serves the nation demo in data (dsn: its database, "" for the
// directory's SQLite file) with bin, runs the load and returns the rows.
func mixedRun(ctx context.Context, e *env, bin, data, dsn string, o mixedOptions) ([][]string, error) {
	db := []string{"--data", data}
	engine := "sqlite"
	if dsn != "" {
		db = append(db, "--db", dsn)
		if strings.HasPrefix(dsn, "postgres") {
			engine = "postgres"
		}
	}
	out, err := exec.CommandContext(ctx, bin, append([]string{"token", "create", "--username", "admin", "--name", "antqbench mixed"}, db...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("token create: %w", err)
	}
	token := strings.TrimSpace(string(out))
	srv, err := startServer(ctx, bin, db)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: o.readers + o.writers}}
	do := func(ctx context.Context, method, path string, body []byte) (time.Duration, error) {
		req, _ := http.NewRequestWithContext(ctx, method, srv.base+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
		}
		return time.Since(t0), err
	}
	// Warm up: every read once, then the baseline resident set.
	for _, r := range o.reads {
		if _, err := do(ctx, "GET", r.path, nil); err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
	}
	time.Sleep(2 * time.Second)
	idle := srv.status("VmRSS:")
	fmt.Fprintf(e.stdout, "%s: antq serve on %s; RSS after start and one round of reads %s; mixed load for %s (%d readers, %d writers)…\n",
		engine, srv.base, mib(idle), o.duration, o.readers, o.writers)

	loadCtx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var (
		mu         sync.Mutex
		samples    []int64
		readTimes  []time.Duration
		writeTimes []time.Duration
		failures   []string
		timeouts   int // requests with no answer in the client's minute
		nextRead   atomic.Int64
		nextWrite  atomic.Int64
		wg         sync.WaitGroup
	)
	// The resident set every second; the Go heap in use (from /metrics)
	// with it, so what the Go runtime holds and what it does not (SQLite's
	// page caches, allocated outside the Go heap) can be told apart.
	var heapPeak, rssPeak int64
	var goAtPeak goMemory
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-loadCtx.Done():
				return
			case <-t.C:
				rss := srv.status("VmRSS:")
				gm := readGoMemory(loadCtx, client, srv.base, token)
				mu.Lock()
				samples = append(samples, rss)
				heapPeak = max(heapPeak, gm.heapInUse)
				if rss > rssPeak {
					rssPeak, goAtPeak = rss, gm
				}
				mu.Unlock()
			}
		}
	})
	// worker sends next's requests until the load's end, recording each
	// time in times.
	worker := func(times *[]time.Duration, next func() (method, path string, body []byte)) {
		for loadCtx.Err() == nil {
			method, path, body := next()
			d, err := do(loadCtx, method, path, body)
			mu.Lock()
			switch {
			case loadCtx.Err() != nil:
			case err != nil && strings.Contains(err.Error(), "Client.Timeout"):
				timeouts++
			case err != nil:
				if len(failures) < 5 {
					failures = append(failures, err.Error())
				}
			default:
				*times = append(*times, d)
			}
			mu.Unlock()
		}
	}
	for range o.readers {
		wg.Go(func() {
			worker(&readTimes, func() (string, string, []byte) {
				return "GET", o.reads[int(nextRead.Add(1))%len(o.reads)].path, nil
			})
		})
	}
	for range o.writers {
		wg.Go(func() {
			worker(&writeTimes, func() (string, string, []byte) {
				path, body := o.writes[int(nextWrite.Add(1))%len(o.writes)].api()
				return "PUT", path, body
			})
		})
	}
	wg.Wait()
	final, peak := srv.status("VmRSS:"), srv.status("VmHWM:")
	if len(failures) > 0 {
		return nil, fmt.Errorf("requests failed during the load, the first: %s", strings.Join(failures, "; "))
	}

	// The nation's workbook, once, after the load: what it adds to the peak.
	xlsxTime, xlsxErr := do(ctx, "GET", "/plans/"+demo.NationPlanID+"/results.xlsx?unit="+url.QueryEscape(demo.NationCode), nil)
	xlsxPeak := srv.status("VmHWM:")
	xlsxText := fmt.Sprintf("%.1f s", xlsxTime.Seconds())
	if xlsxErr != nil {
		xlsxText = "no answer: " + xlsxErr.Error()
	}

	slices.Sort(samples)
	median := int64(0)
	if len(samples) > 0 {
		median = samples[len(samples)/2]
	}
	rows := [][]string{
		{engine, "RSS after start and one round of reads (baseline)", mib(idle)},
		{engine, fmt.Sprintf("reads done (%d readers, %d kinds)", o.readers, len(o.reads)), fmt.Sprintf("%d, p50 %s, p99 %s", len(readTimes), ms(readTimes, 50), ms(readTimes, 99))},
		{engine, fmt.Sprintf("fact writes done (%d writers)", o.writers), fmt.Sprintf("%d (%.0f/s), p50 %s, p99 %s", len(writeTimes), float64(len(writeTimes))/o.duration.Seconds(), ms(writeTimes, 50), ms(writeTimes, 99))},
		{engine, "requests with no answer in a minute (not counted above)", strconv.Itoa(timeouts)},
		{engine, "RSS during the load, median of the samples", mib(median)},
		{engine, "RSS at the end of the load", mib(final)},
		{engine, "peak RSS (VmHWM) over the load", fmt.Sprintf("%s: %s (bound %s)", mib(peak), verdict(peak <= mixedBound), mib(mixedBound))},
		{engine, "at the largest RSS sampled: Go heap in use / all Go holds / the rest (on SQLite, its caches and sorts)", fmt.Sprintf("%s: %s / %s / %s", mib(rssPeak), mib(goAtPeak.heapInUse), mib(goAtPeak.held), mib(rssPeak-goAtPeak.held))},
		{engine, "Go heap in use, largest sampled", mib(heapPeak)},
		{engine, "then the nation's results.xlsx, once", xlsxText},
		{engine, "peak RSS (VmHWM) after it", fmt.Sprintf("%s: %s", mib(xlsxPeak), verdict(xlsxPeak <= mixedBound))},
	}
	printEngineTable(e.stdout, []string{"engine", "measure", "value"}, rows)
	return rows, nil
}

// api is the write's request: its path and JSON body.
func (w *factWrite) api() (string, []byte) {
	base := "/api/v1/plans/" + demo.NationPlanID + "/units/" + url.PathEscape(w.Code)
	if w.Register {
		b, _ := json.Marshal(map[string]any{"registered_on": w.On})
		return base + "/registration", b
	}
	b, _ := json.Marshal(map[string]any{"reached": w.Reached, "total": w.Total, "as_of": w.On})
	return base + "/propaganda", b
}

// server is a running antq serve.
type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

// startServer runs bin serve with the database flags db at a free loopback
// port and waits until /healthz answers.
func startServer(ctx context.Context, bin string, db []string) (*server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.CommandContext(ctx, bin, append([]string{"serve", "--addr", addr}, db...)...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	for deadline := time.Now().Add(2 * time.Minute); ; {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("antq serve stopped: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, errors.New("antq serve: /healthz did not answer in 2 minutes")
		}
	}
}

// status reads a field (KiB) of the server's /proc status.
func (s *server) status(field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	return statusField(b, field)
}

func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func mib(kib int64) string { return fmt.Sprintf("%.0f MiB", float64(kib)/1024) }

// goMemory is what the server's /metrics say of the Go runtime's memory, in
// KiB: the heap in use, and all it holds from the system less what it has
// given back (the Go part of the resident set; the rest is SQLite's, whose
// page caches and sorts are allocated outside the Go heap).
type goMemory struct{ heapInUse, held int64 }

func readGoMemory(ctx context.Context, client *http.Client, base, token string) goMemory {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return goMemory{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	v := map[string]int64{}
	for _, line := range strings.Split(string(b), "\n") {
		if name, value, ok := strings.Cut(line, " "); ok && strings.HasPrefix(name, "go_memstats_") {
			f, _ := strconv.ParseFloat(value, 64)
			v[name] = int64(f) / 1024
		}
	}
	return goMemory{heapInUse: v["go_memstats_heap_inuse_bytes"], held: v["go_memstats_sys_bytes"] - v["go_memstats_heap_released_bytes"]}
}
