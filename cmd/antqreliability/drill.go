package main

// The backup drill (test plan T8) and the upgrade drill (T16).
//
// Backup: writers load a source instance; "antq backup" runs while they
// write; the backup is restored into a fresh instance, which must pass the
// offline checks and hold exactly a prefix of the source's history (its
// audit chain is the source's up to its newest record, and contains the
// newest record from before the backup started). Then the writers stop, a
// second backup is taken and restored into another fresh instance: every
// table's content hash and every evidence file must be identical to the
// source's, and every acknowledged write is read back through its API.
//
// Upgrade: the previous schema version's antq (built from git) loads and
// writes a database; the current antq migrates copies of it, each killed
// with SIGKILL at a different moment of the migration, then migrates again
// to the end: the schema must be current, the data written before the
// upgrade unchanged, the checks clean, and the server must serve and take
// new writes.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type drillConfig struct {
	antq     string
	previous *previousBuild // nil: no upgrade drill
	work     string
	engine   string
	pg       *pgServer
	writers  int
	areas    int
	load     time.Duration // writes before the backup (and on the previous version)
	kills    int           // killed migrations in the upgrade drill
	seed     uint64
	progress io.Writer
}

func (c drillConfig) logf(format string, args ...any) {
	if c.progress != nil {
		fmt.Fprintf(c.progress, c.engine+": "+format+"\n", args...)
	}
}

var auditHeadRe = regexp.MustCompile(`(\d+:[0-9a-f]{64})`)

// auditHead is the newest audit record of the instance as ID:HASH.
func auditHead(ctx context.Context, in *instance) (string, error) {
	out, err := in.run(ctx, "", "audit", "verify")
	if err != nil {
		return "", err
	}
	m := auditHeadRe.FindStringSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("audit verify printed no head record: %q", out)
	}
	return m[1], nil
}

// ---- backup ----

type backupReport struct {
	engine              string
	ackedBefore         int64         // acknowledged writes before the backup under load
	underLoad           time.Duration // duration of antq backup under load
	ackedDuring         int64         // writes acknowledged while it ran
	maxLatency          time.Duration // slowest write while it ran
	prefixRecords       string        // audit head of the restored under-load backup
	tables              int
	rows                int64
	files               int
	filesVia            string
	backupQuiesced      time.Duration
	restore             time.Duration // antq restore
	ready               time.Duration // the restored server's start until /readyz
	checkedAfterRestore int64
}

func (r backupReport) String() string {
	return fmt.Sprintf("%s: backup under load %v (%d writes acknowledged meanwhile, slowest write %v; %d before it); "+
		"restored under-load backup: audit chain a prefix of the source's up to %s, offline checks ok; "+
		"quiesced backup %v, restore %v + start %v: %d tables (%d rows) identical, %d evidence files identical (%s); "+
		"%d acknowledged facts read back from the restored instance",
		r.engine, r.underLoad.Round(time.Millisecond), r.ackedDuring, r.maxLatency.Round(time.Millisecond), r.ackedBefore,
		r.prefixRecords, r.backupQuiesced.Round(time.Millisecond), r.restore.Round(time.Millisecond), r.ready.Round(time.Millisecond),
		r.tables, r.rows, r.files, r.filesVia, r.checkedAfterRestore)
}

func runBackupDrill(ctx context.Context, cfg drillConfig) (rep backupReport, err error) {
	rep.engine = cfg.engine
	src, tok, err := newFixtureInstance(ctx, cfg.antq, filepath.Join(cfg.work, "source"), cfg.engine, cfg.pg, "antq_drill_source", cfg.work, cfg.areas)
	if err != nil {
		return rep, err
	}
	defer src.kill()
	w := newWorkload(newClient(src), tok, cfg.writers, cfg.areas, nil)
	if err := src.start(ctx); err != nil {
		return rep, err
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() { w.run(ctx, stop, cfg.seed); close(done) }()
	stopped := false
	stopWriters := func() {
		if !stopped {
			close(stop)
			<-done
			stopped = true
		}
	}
	defer stopWriters()
	sleep(ctx, cfg.load)

	// Backup under load.
	head, err := auditHead(ctx, src)
	if err != nil {
		return rep, err
	}
	rep.ackedBefore = w.stats.acked.Load()
	w.stats.maxLatency.Store(0)
	under := filepath.Join(cfg.work, "under-load.backup")
	t0 := time.Now()
	if _, err := src.run(ctx, "", "backup", "--out", under); err != nil {
		return rep, err
	}
	rep.underLoad = time.Since(t0)
	rep.maxLatency = time.Duration(w.stats.maxLatency.Load())
	rep.ackedDuring = w.stats.acked.Load() - rep.ackedBefore
	cfg.logf("backup under load: %v, %d writes acknowledged meanwhile", rep.underLoad.Round(time.Millisecond), rep.ackedDuring)
	sleep(ctx, cfg.load/4)
	stopWriters()
	if p := w.problems(); len(p) > 0 {
		return rep, fmt.Errorf("unexpected answers: %v", p)
	}
	if err := w.verifyWrites(ctx, rand.New(rand.NewPCG(cfg.seed, 1))); err != nil {
		return rep, fmt.Errorf("source: %w", err)
	}

	// The under-load backup restored: consistent, and a prefix of the
	// source's history that holds everything from before the backup.
	r1, err := newInstance(ctx, cfg.antq, filepath.Join(cfg.work, "restored-under-load"), cfg.engine, cfg.pg, "antq_drill_r1")
	if err != nil {
		return rep, err
	}
	if _, _, err := restoreInto(ctx, r1, under, src); err != nil {
		return rep, err
	}
	if _, err := checkOffline(ctx, r1, 0); err != nil {
		return rep, fmt.Errorf("restored under-load backup: %w", err)
	}
	if _, err := r1.run(ctx, "", "audit", "verify", "--anchor", head); err != nil {
		return rep, fmt.Errorf("restored under-load backup lacks the source's audit record %s from before the backup: %w", head, err)
	}
	if rep.prefixRecords, err = auditHead(ctx, r1); err != nil {
		return rep, err
	}
	if _, err := src.run(ctx, "", "audit", "verify", "--anchor", rep.prefixRecords); err != nil {
		return rep, fmt.Errorf("restored under-load backup is not a prefix of the source's history: %w", err)
	}
	if err := filesPresent(ctx, r1); err != nil {
		return rep, fmt.Errorf("restored under-load backup: %w", err)
	}
	cfg.logf("under-load backup restored: audit head %s", rep.prefixRecords)

	// Quiesced: identical content.
	quiet := filepath.Join(cfg.work, "quiesced.backup")
	t0 = time.Now()
	if _, err := src.run(ctx, "", "backup", "--out", quiet); err != nil {
		return rep, err
	}
	rep.backupQuiesced = time.Since(t0)
	want, _, err := contentHashes(ctx, src, nil)
	if err != nil {
		return rep, err
	}
	r2, err := newInstance(ctx, cfg.antq, filepath.Join(cfg.work, "restored"), cfg.engine, cfg.pg, "antq_drill_r2")
	if err != nil {
		return rep, err
	}
	defer r2.kill()
	var restoreTime time.Duration
	if restoreTime, rep.filesVia, err = restoreInto(ctx, r2, quiet, src); err != nil {
		return rep, err
	}
	rep.restore = restoreTime
	got, _, err := contentHashes(ctx, r2, nil)
	if err != nil {
		return rep, err
	}
	if diff := compareHashes(want, got); len(diff) > 0 {
		return rep, fmt.Errorf("restored content differs from the source: %s", strings.Join(diff, "; "))
	}
	rep.tables, rep.rows = len(want), sumRows(want)
	if rep.files, err = sameFiles(ctx, src, r2); err != nil {
		return rep, err
	}
	t0 = time.Now()
	if err := r2.start(ctx); err != nil {
		return rep, err
	}
	rep.ready = time.Since(t0)
	before := w.stats.checked.Load()
	w.c = newClient(r2)
	if err := w.verifyWrites(ctx, rand.New(rand.NewPCG(cfg.seed, 2))); err != nil {
		return rep, fmt.Errorf("restored instance: %w", err)
	}
	rep.checkedAfterRestore = w.stats.checked.Load() - before
	r2.stop()
	if _, err := checkOffline(ctx, r2, 0); err != nil {
		return rep, fmt.Errorf("restored instance: %w", err)
	}
	src.stop()
	return rep, nil
}

// restoreInto restores a backup into the fresh instance to with antq
// restore. An antq whose backups carry the evidence files (FILE.files)
// restores them; for one whose backups do not, the drill copies the files
// the restored database names from the source, as the operator would.
func restoreInto(ctx context.Context, to *instance, backup string, from *instance) (time.Duration, string, error) {
	t0 := time.Now()
	if _, err := to.run(ctx, "", "restore", "--from", backup); err != nil {
		return 0, "", err
	}
	took := time.Since(t0)
	if _, err := os.Stat(backup + ".files"); err == nil {
		return took, "carried by antq backup in " + filepath.Base(backup) + ".files", nil
	}
	sums, err := referencedFiles(ctx, to)
	if err != nil {
		return 0, "", err
	}
	for _, s := range sums {
		if err := copyFile(filepath.Join(from.filesDir(), s[:2], s), filepath.Join(to.filesDir(), s[:2], s)); err != nil {
			return 0, "", fmt.Errorf("copy evidence file: %w", err)
		}
	}
	return took, "copied by the drill: this antq's backup does not carry evidence files", nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// filesPresent checks that every evidence file the database names is in
// the files directory (checkFiles has checked their hashes).
func filesPresent(ctx context.Context, in *instance) error {
	sums, err := referencedFiles(ctx, in)
	if err != nil {
		return err
	}
	var missing []string
	for _, s := range sums {
		if _, err := os.Stat(filepath.Join(in.filesDir(), s[:2], s)); err != nil {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d evidence files named by the database are missing: %v", len(missing), missing)
	}
	return nil
}

// sameFiles checks that every evidence file the source names is in the
// restored instance, byte for byte.
func sameFiles(ctx context.Context, src, dst *instance) (int, error) {
	sums, err := referencedFiles(ctx, src)
	if err != nil {
		return 0, err
	}
	for _, s := range sums {
		a, err := os.ReadFile(filepath.Join(src.filesDir(), s[:2], s))
		if err != nil {
			return 0, err
		}
		b, err := os.ReadFile(filepath.Join(dst.filesDir(), s[:2], s))
		if err != nil {
			return 0, fmt.Errorf("restored instance lacks evidence file %s: %w", s, err)
		}
		if string(a) != string(b) {
			return 0, fmt.Errorf("restored evidence file %s differs from the source's", s)
		}
	}
	if _, _, err := checkFiles(dst.filesDir()); err != nil {
		return 0, err
	}
	return len(sums), nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// ---- upgrade ----

// approvalSchema is the schema version that brought the approval of facts:
// facts written by an older version are approved, hence locked, after the
// upgrade, and the drill's workload reopens them before it writes again.
const approvalSchema = 10

type upgradeTrial struct {
	delay   time.Duration
	running bool // the migration was still running when killed
	left    int  // the schema version it left
}

type upgradeReport struct {
	engine     string
	commit     string
	from, to   int
	skipped    []string
	acked      int64 // writes acknowledged by the previous version
	rows       int64 // rows of the pre-upgrade tables, unchanged after it
	migrate    time.Duration
	trials     []upgradeTrial
	checked    int64 // pre-upgrade facts read back after the upgrade
	ackedAfter int64 // writes acknowledged by the upgraded server
}

func (r upgradeReport) String() string {
	var ks []string
	mid := 0
	for _, t := range r.trials {
		s := fmt.Sprintf("%v→v%d", t.delay.Round(time.Millisecond), t.left)
		if t.running {
			mid++
			s += "*"
		}
		ks = append(ks, s)
	}
	return fmt.Sprintf("%s: upgrade from schema v%d (commit %.10s) to v%d: %d writes by the previous version, %d rows of its tables unchanged; "+
		"migrate %v; %d SIGKILLed migrations (%d while running: %s), each resumed to v%d with clean checks; "+
		"%d pre-upgrade facts read back, %d new writes acknowledged on the upgraded database",
		r.engine, r.from, r.commit, r.to, r.acked, r.rows, r.migrate.Round(time.Millisecond), len(r.trials), mid, strings.Join(ks, " "),
		r.to, r.checked, r.ackedAfter)
}

var versionRe = regexp.MustCompile(`phiên bản (\d+)`)

func runUpgradeDrill(ctx context.Context, cfg drillConfig) (rep upgradeReport, err error) {
	p := cfg.previous
	rep = upgradeReport{engine: cfg.engine, commit: p.commit, from: p.version, skipped: p.skipped}
	old, err := newInstance(ctx, p.bin, filepath.Join(cfg.work, "previous"), cfg.engine, cfg.pg, "antq_drill_previous")
	if err != nil {
		return rep, err
	}
	defer old.kill()
	tok, err := loadFixture(ctx, old, cfg.work, cfg.areas)
	if err != nil {
		return rep, fmt.Errorf("previous version: %w", err)
	}
	// The previous version: facts and models (no dossiers yet; evidence
	// needs a files directory, which it was not given).
	w := newWorkload(newClient(old), tok, cfg.writers, cfg.areas, nil)
	w.noDossiers, w.noEvidence = true, true
	if err := old.start(ctx); err != nil {
		return rep, err
	}
	w.runFor(ctx, cfg.load, cfg.seed)
	if p := w.problems(); len(p) > 0 {
		return rep, fmt.Errorf("previous version: unexpected answers: %v", p)
	}
	if err := w.verifyWrites(ctx, rand.New(rand.NewPCG(cfg.seed, 3))); err != nil {
		return rep, fmt.Errorf("previous version: %w", err)
	}
	rep.acked = w.stats.acked.Load()
	old.stop()
	pre, preCols, err := contentHashes(ctx, old, nil)
	if err != nil {
		return rep, err
	}
	// The list of applied migrations grows, by design; the versions are
	// checked on their own.
	delete(pre, "schema_migrations")
	delete(preCols, "schema_migrations")
	if v, err := schemaVersion(ctx, old); err != nil || v != p.version {
		return rep, fmt.Errorf("previous version's database at schema %d (%v), want %d", v, err, p.version)
	}
	cfg.logf("previous version (%.10s, schema v%d): %d writes", p.commit, p.version, rep.acked)

	// One migration to the end on a copy gives the duration the kills
	// spread over.
	trialNo := 0
	clone := func() (*instance, error) {
		trialNo++
		return cloneInstance(ctx, old, cfg.antq, filepath.Join(cfg.work, fmt.Sprintf("upgrade-%d", trialNo)), cfg.pg)
	}
	// Two probes: the second, with the binary and files in the page
	// cache, is the duration the kills are spread over.
	var probe *instance
	var out string
	for i := 0; i < 2; i++ {
		if probe, err = clone(); err != nil {
			return rep, err
		}
		t0 := time.Now()
		if out, err = probe.run(ctx, "", "migrate"); err != nil {
			return rep, err
		}
		rep.migrate = time.Since(t0)
	}
	m := versionRe.FindStringSubmatch(out)
	if m == nil {
		return rep, fmt.Errorf("migrate printed no version: %q", out)
	}
	rep.to, _ = strconv.Atoi(m[1])
	clean, err := schemaOf(ctx, probe)
	if err != nil {
		return rep, err
	}

	var last *instance
	for i := 1; i <= cfg.kills; i++ {
		t, err := clone()
		if err != nil {
			return rep, err
		}
		delay := rep.migrate * time.Duration(i) / time.Duration(cfg.kills+1)
		trial, err := killedMigrate(ctx, t, delay)
		if err != nil {
			return rep, err
		}
		if trial.left < p.version || trial.left > rep.to {
			return rep, fmt.Errorf("killed migration left schema v%d", trial.left)
		}
		if t.engine() == "sqlite" {
			if err := sqliteIntegrity(ctx, t.sqlitePath()); err != nil {
				return rep, fmt.Errorf("after a killed migration: %w", err)
			}
		}
		out, err := t.run(ctx, "", "migrate")
		if err != nil {
			return rep, fmt.Errorf("migration after SIGKILL at %v: %w", delay, err)
		}
		if m := versionRe.FindStringSubmatch(out); m == nil || m[1] != strconv.Itoa(rep.to) {
			return rep, fmt.Errorf("migration after SIGKILL at %v ended at %q", delay, out)
		}
		// The resumed upgrade has the schema of an uninterrupted one.
		got, err := schemaOf(ctx, t)
		if err != nil {
			return rep, err
		}
		if d := diffLines(clean, got); d != "" {
			return rep, fmt.Errorf("after a migration killed at %v and resumed, the schema differs from an uninterrupted upgrade's: %s", delay, d)
		}
		// Before any other command touches it (rebuild --check rewrites the
		// figures): the upgrade alone must leave the old data as it was.
		post, _, err := contentHashes(ctx, t, preCols)
		if err != nil {
			return rep, err
		}
		if diff := compareHashes(pre, post); len(diff) > 0 {
			return rep, fmt.Errorf("the upgrade changed data written before it: %s", strings.Join(diff, "; "))
		}
		if _, err := checkOffline(ctx, t, 0); err != nil {
			return rep, fmt.Errorf("after a migration killed at %v and resumed: %w", delay, err)
		}
		rep.trials = append(rep.trials, trial)
		last = t
	}
	if last == nil {
		last = probe
	}
	rep.rows = sumRows(pre)
	cfg.logf("upgrade: %d killed migrations resumed", len(rep.trials))

	// The upgraded database serves: old writes read back, new ones taken.
	defer last.kill()
	if err := last.start(ctx); err != nil {
		return rep, err
	}
	w.c = newClient(last)
	if err := w.verifyWrites(ctx, rand.New(rand.NewPCG(cfg.seed, 4))); err != nil {
		return rep, fmt.Errorf("upgraded: %w", err)
	}
	rep.checked = w.stats.checked.Load()
	if p.version < approvalSchema {
		if _, err := w.reopenApproved(ctx); err != nil {
			return rep, fmt.Errorf("upgraded: %w", err)
		}
	}
	w.noDossiers, w.noEvidence = false, false
	before := w.stats.acked.Load()
	w.runFor(ctx, cfg.load/2+time.Second, cfg.seed+1)
	if p := w.problems(); len(p) > 0 {
		return rep, fmt.Errorf("upgraded: unexpected answers: %v", p)
	}
	if err := w.verifyWrites(ctx, rand.New(rand.NewPCG(cfg.seed, 5))); err != nil {
		return rep, fmt.Errorf("upgraded: %w", err)
	}
	rep.ackedAfter = w.stats.acked.Load() - before
	last.stop()
	if _, err := checkOffline(ctx, last, 0); err != nil {
		return rep, fmt.Errorf("upgraded: %w", err)
	}
	return rep, nil
}

// killedMigrate runs antq migrate on in and kills it with SIGKILL after
// delay, then reads the schema version it left.
func killedMigrate(ctx context.Context, in *instance, delay time.Duration) (upgradeTrial, error) {
	tr := upgradeTrial{delay: delay}
	cmd := exec.CommandContext(ctx, in.bin, "migrate")
	cmd.Env = in.environ()
	if err := cmd.Start(); err != nil {
		return tr, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(delay):
		tr.running = true
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	}
	v, err := schemaVersion(ctx, in)
	if err != nil {
		return tr, fmt.Errorf("after SIGKILL at %v: %w", delay, err)
	}
	tr.left = v
	return tr, nil
}

// cloneInstance copies a stopped instance (data directory and database)
// into a fresh one run by bin.
func cloneInstance(ctx context.Context, src *instance, bin, dir string, pg *pgServer) (*instance, error) {
	in := &instance{bin: bin, dataDir: filepath.Join(dir, "data"), logPath: filepath.Join(dir, "server.log")}
	if err := copyTree(src.dataDir, in.dataDir); err != nil {
		return nil, err
	}
	if src.engine() == "postgres" {
		dsn, err := pg.cloneDatabase(ctx, src.dsn, "antq_drill_upgrade")
		if err != nil {
			return nil, err
		}
		in.dsn = dsn
	}
	return in, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		return copyFile(path, target)
	})
}

// ---- the command ----

func cmdDrill(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("drill", stderr)
	writers := c.fs.Int("writers", 8, "concurrent writers")
	areas := c.fs.Int("areas", 48, "residential areas the writers work on")
	load := c.fs.Duration("load", 10*time.Second, "writes before the backup under load (and on the previous version)")
	kills := c.fs.Int("kills", 12, "SIGKILLed migrations in the upgrade drill")
	upgrade := c.fs.Bool("upgrade", true, "also run the upgrade drill from the previous schema version, built from the repository's git history")
	repo := c.fs.String("repo", ".", "the repository whose history gives the previous schema version")
	seed := c.fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	bin, engines, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(stdout, "backup and upgrade drill: %s, seed %d, %d writers, %d areas\n", machine(), *seed, *writers, *areas)
	var prev *previousBuild
	if *upgrade {
		if prev, err = buildPrevious(ctx, *repo, filepath.Join(work, "previous-build")); err != nil {
			return fmt.Errorf("previous version: %w", err)
		}
		fmt.Fprintf(stdout, "previous schema version: v%d at commit %.10s", prev.version, prev.commit)
		if len(prev.skipped) > 0 {
			fmt.Fprintf(stdout, " (skipped, migration history not a prefix of the current one: %s)", strings.Join(prev.skipped, ", "))
		}
		fmt.Fprintln(stdout)
	}
	var failed []error
	for _, e := range engines {
		cfg := drillConfig{antq: bin, previous: prev, work: filepath.Join(work, "drill-"+e), engine: e, pg: pg,
			writers: *writers, areas: *areas, load: *load, kills: *kills, seed: *seed, progress: stdout}
		rep, err := runBackupDrill(ctx, cfg)
		fmt.Fprintln(stdout, rep)
		if err != nil {
			failed = append(failed, fmt.Errorf("%s backup drill: %w", e, err))
		}
		if prev != nil {
			cfg.work = filepath.Join(work, "upgrade-"+e)
			urep, err := runUpgradeDrill(ctx, cfg)
			fmt.Fprintln(stdout, urep)
			if err != nil {
				failed = append(failed, fmt.Errorf("%s upgrade drill: %w", e, err))
			}
		}
	}
	return errors.Join(failed...)
}

// diffLines names the lines only in want (-) or only in got (+).
func diffLines(want, got []string) string {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, s := range list {
			m[s] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var d []string
	for _, s := range want {
		if !g[s] {
			d = append(d, "-"+s)
		}
	}
	for _, s := range got {
		if !w[s] {
			d = append(d, "+"+s)
		}
	}
	return strings.Join(d, "; ")
}
