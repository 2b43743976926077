package main

// The crash harness (test plan T2): writers drive the built antq serve
// through the API; at a random moment the server gets SIGKILL; then the
// stopped instance is checked (integrity, audit chain, figures, files),
// restarted, and every acknowledged write is read back.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

type crashConfig struct {
	antq     string        // the antq binary
	work     string        // a directory for the instance
	engine   string        // sqlite or postgres
	pg       *pgServer     // for postgres
	cycles   int           // SIGKILL cycles
	writers  int           // concurrent writers
	areas    int           // residential areas the writers share out
	killMin  time.Duration // the kill comes between killMin and killMax
	killMax  time.Duration // after the writers start
	seed     uint64
	progress io.Writer // a line per cycle, or nil
}

type crashReport struct {
	engine       string
	cycles       int
	acked        int64 // acknowledged writes
	kinds        string
	checked      int64 // acknowledged facts compared after restarts (cumulative)
	downloads    int64
	unanswered   int64 // writes in flight at a kill
	refused      int64
	auditRecords int
	files        int
	leftovers    int // temporary upload files left behind by kills
	elapsed      time.Duration
}

func (r crashReport) String() string {
	return fmt.Sprintf("%s: %d SIGKILL cycles survived; %d acknowledged writes (%s); %d checks of acknowledged facts after restarts, "+
		"%d evidence downloads hashed; %d writes in flight at a kill; %d audit records verified; %d evidence files hashed "+
		"(%d temporary upload files left by killed uploads); %v",
		r.engine, r.cycles, r.acked, r.kinds, r.checked, r.downloads, r.unanswered, r.auditRecords, r.files, r.leftovers, r.elapsed.Round(time.Second))
}

func runCrash(ctx context.Context, cfg crashConfig) (crashReport, error) {
	start := time.Now()
	rep := crashReport{engine: cfg.engine}
	in, tok, err := newFixtureInstance(ctx, cfg.antq, cfg.work, cfg.engine, cfg.pg, "antq_crash", cfg.work, cfg.areas)
	if err != nil {
		return rep, err
	}
	logf, err := os.Create(filepath.Join(cfg.work, "acks.jsonl"))
	if err != nil {
		return rep, err
	}
	defer logf.Close()
	w := newWorkload(newClient(in), tok, cfg.writers, cfg.areas, &ackLog{f: logf})
	rng := rand.New(rand.NewPCG(cfg.seed, 17))
	defer in.kill()

	finish := func(err error) (crashReport, error) {
		rep.acked, rep.kinds, rep.checked = w.stats.acked.Load(), w.stats.kinds(), w.stats.checked.Load()
		rep.downloads, rep.unanswered, rep.refused = w.stats.downloads.Load(), w.stats.unanswered.Load(), w.stats.refused.Load()
		rep.elapsed = time.Since(start)
		if p := w.problems(); err == nil && len(p) > 0 {
			err = fmt.Errorf("unexpected answers: %v", p)
		}
		if err != nil {
			err = fmt.Errorf("%s, cycle %d: %w\nserver log tail:\n%s", cfg.engine, rep.cycles+1, err, copyTail(in.logPath, 2000))
		}
		return rep, err
	}

	for cycle := 1; cycle <= cfg.cycles+1; cycle++ {
		if err := ctx.Err(); err != nil {
			return finish(err)
		}
		if err := in.start(ctx); err != nil {
			return finish(err)
		}
		if err := w.verifyWrites(ctx, rng); err != nil {
			return finish(fmt.Errorf("after restart: %w", err))
		}
		if cycle > cfg.cycles {
			// The last start only checks; then a clean stop and the
			// offline checks once more.
			in.stop()
			o, err := checkOffline(ctx, in, w.stats.acked.Load())
			rep.auditRecords, rep.files, rep.leftovers = o.auditRecords, o.files, o.leftovers
			return finish(err)
		}
		stop, done := make(chan struct{}), make(chan struct{})
		seed := rng.Uint64()
		go func() { w.run(ctx, stop, seed); close(done) }()
		wait := cfg.killMin + time.Duration(rng.Int64N(int64(cfg.killMax-cfg.killMin)+1))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		in.kill()
		close(stop)
		<-done
		o, err := checkOffline(ctx, in, w.stats.acked.Load())
		rep.auditRecords, rep.files, rep.leftovers = o.auditRecords, o.files, o.leftovers
		if err != nil {
			return finish(fmt.Errorf("after SIGKILL: %w", err))
		}
		rep.cycles = cycle
		if cfg.progress != nil {
			fmt.Fprintf(cfg.progress, "%s cycle %d: killed after %v; %d writes acknowledged so far, %d audit records\n",
				cfg.engine, cycle, wait.Round(time.Millisecond), w.stats.acked.Load(), o.auditRecords)
		}
	}
	return finish(nil)
}
