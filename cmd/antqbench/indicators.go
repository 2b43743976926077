package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"antq"
	"antq/demo"
	"antq/indicator"
	"antq/rules"
	"antq/store"
)

// Targets of DESIGN §5 and issue 4 at nation scale.
const (
	indicatorReadTargetP99 = 50 * time.Millisecond
	factWriteTarget        = 300 // writes per second
	rebuildTarget          = 5 * time.Second
)

// runIndicatorsBench measures the indicators maintained on write at nation
// scale (issue 4), on SQLite and PostgreSQL. The nation demo (antq demo
// --scale nation: 597,000 units, 1.3 million facts) is built into a fresh
// database of each engine by the antq binary; then a child process
// (indicators-db) measures on it:
//
//   - (a) indicator reads (store.Indicators) for the nation and for the
//     largest province, p50 / p99;
//   - (b) fact writes per second with indicator maintenance, PutPropaganda
//     and PutRegistration on distinct random units from concurrent writers;
//   - (c) the full rebuild of the nation-year (store.Rebuild), which is also
//     the check that the maintained figures equal a rebuild;
//   - (d) the peak resident set and Go heap of each phase.
//
// The baseline is measured in the same run, in this process: the same
// figures computed by plain Go loops over the same facts held in memory
// (package indicator on slices, no database); the database's figures must
// equal them. The database side runs in its own process so that the
// baseline's 300 MiB of heap neither inflates its memory figures nor slows
// its reads with garbage collection.
func runIndicatorsBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "indicators", "a database antq_bench_<random> is created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built when missing); it builds the nation with 'antq demo --scale nation'")
	reads := fs.Int("reads", 300, "indicator reads per series (nation, province)")
	baseReads := fs.Int("baseline-reads", 30, "in-memory loop computations per series (each one scans the whole subtree)")
	writes := fs.Int("writes", 3000, "fact writes")
	writers := fs.Int("writers", 8, "concurrent writers")
	province := fs.String("province", "", "province of the province read (default: the one with most communes)")
	existing := fs.String("db", "", "measure this database, which must hold the nation demo as 'antq demo --scale nation' left it, instead of building one (one engine)")
	keep := fs.Bool("keep", false, "keep the temporary directory (SQLite database)")
	profiles := fs.String("profiles", "", "write CPU profiles of the writes and the rebuild here (ENGINE-writes.pprof, ENGINE-rebuild.pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, done, err := startBench(e, "indicators", *keep)
	if err != nil {
		return err
	}
	defer done()
	self, err := os.Executable()
	if err != nil {
		return err
	}

	// The baseline: the same nation, facts and rules in memory.
	start := time.Now()
	runtime.GC()
	before := heapInUse()
	mem, err := newMemNation()
	if err != nil {
		return err
	}
	runtime.GC()
	memHeap := float64(heapInUse()-before) / (1 << 20)
	if *province, err = provinceOrMostCommunes(*province); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "in-memory nation: %s units, %s facts, %.0f MiB of heap, generated in %.1f s; province read: %s (%s children)\n",
		groupThousands(len(mem.units)), groupThousands(mem.facts), memHeap, time.Since(start).Seconds(), *province, groupThousands(mem.childCount(*province)))
	plan := mem.writePlan(*writes)
	planFile := filepath.Join(dir, "writes.json")
	if err := writeJSON(planFile, plan); err != nil {
		return err
	}

	header := []string{"engine", "measure", "ANTQ", "target", "in-memory loop (baseline)", "ANTQ vs baseline", "result"}
	var rows [][]string
	printed := 0
	for _, engine := range strings.Split(*fs.engines, ",") {
		engine = strings.TrimSpace(engine)
		row := func(measure, value, target, base, vs, verdict string) {
			rows = append(rows, []string{engine, measure, value, target, base, vs, verdict})
		}
		dsn := *existing
		if dsn == "" {
			var build result
			var drop func()
			if dsn, build, drop, err = demoDatabase(ctx, e, *antqBin, *fs.postgres, engine, dir, "nation"); err != nil {
				return err
			}
			defer drop()
			row("antq demo --scale nation (units, plan, facts, first build)",
				fmt.Sprintf("%.1f s, peak RSS %.0f MiB", build.wall.Seconds(), float64(build.maxRSSKiB)/1024), "", "", "", "")
		}

		// The database side, in its own process.
		fmt.Fprintf(e.stdout, "%s: measuring reads, writes and the rebuild…\n", engine)
		outFile := filepath.Join(dir, engine+"-result.json")
		dbArgs := []string{"indicators-db", "--db", dsn, "--writes", planFile, "--out", outFile,
			"--province", *province, "--reads", strconv.Itoa(*reads), "--writers", strconv.Itoa(*writers)}
		if *profiles != "" {
			dbArgs = append(dbArgs, "--write-profile", filepath.Join(*profiles, engine+"-writes.pprof"),
				"--rebuild-profile", filepath.Join(*profiles, engine+"-rebuild.pprof"))
		}
		m, err := measure(ctx, self, dbArgs...)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		var r dbResult
		if err := readJSON(outFile, &r); err != nil {
			return err
		}

		// The baseline, on the same facts, and the figures compared.
		mem.reset()
		if err := sameFigures(r.Before[0], mem.figuresLoop(demo.NationCode)); err != nil {
			return fmt.Errorf("%s: nation figures: database and in-memory loop differ: %w", engine, err)
		}
		if err := sameFigures(r.Before[1], mem.figuresLoop(*province)); err != nil {
			return fmt.Errorf("%s: figures of %s: database and in-memory loop differ: %w", engine, *province, err)
		}
		var memNationReads, memProvinceReads []time.Duration
		for range *baseReads {
			t0 := time.Now()
			mem.figuresLoop(demo.NationCode)
			memNationReads = append(memNationReads, time.Since(t0))
			t0 = time.Now()
			mem.figuresLoop(*province)
			memProvinceReads = append(memProvinceReads, time.Since(t0))
		}
		var next atomic.Int64
		memWall, _ := parallelTime(len(plan), *writers, func() error {
			mem.apply(plan[int(next.Add(1))-1])
			return nil
		})
		if err := sameFigures(r.After, mem.rules.Figures(mem.counts[0])); err != nil {
			return fmt.Errorf("%s: after the writes, the nation's maintained figures differ from the in-memory ones: %w", engine, err)
		}
		t0 := time.Now()
		mem.rebuild()
		memRebuild := time.Since(t0)
		if err := sameFigures(r.After, mem.rules.Figures(mem.counts[0])); err != nil {
			return fmt.Errorf("%s: after the writes, the nation's figures differ from an in-memory rebuild: %w", engine, err)
		}
		fmt.Fprintf(e.stdout, "%s: the database's figures equal the in-memory loop's (nation and %s before the writes, nation after); maintained == rebuilt after %d writes: %s (%s lines of state compared)\n",
			engine, *province, len(plan), yesNo(r.SameAsRebuilt), groupThousands(r.StateLines))
		if !r.SameAsRebuilt {
			return fmt.Errorf("%s: the maintained indicators differ from a rebuild", engine)
		}

		for i, code := range []string{demo.NationCode, *province} {
			d, mm := r.Reads[i], [][]time.Duration{memNationReads, memProvinceReads}[i]
			what := "indicator read, nation (34 provinces)"
			if i == 1 {
				what = fmt.Sprintf("indicator read, province %s (%s children)", code, groupThousands(mem.childCount(code)))
			}
			row(what, fmt.Sprintf("p50 %s, p99 %s (n=%d)", ms(d, 50), ms(d, 99), len(d)), "p99 ≤ 50 ms",
				fmt.Sprintf("p50 %s, p99 %s (n=%d)", ms(mm, 50), ms(mm, 99), len(mm)), faster(percentile(mm, 50), percentile(d, 50)),
				verdict(percentile(d, 99) <= indicatorReadTargetP99))
		}
		for _, w := range r.Stalled {
			row(fmt.Sprintf("fact writes with indicator maintenance (%d writers)", w), "STALLED: no write completed for a minute", "≥ 300 /s", "", "", "not met")
		}
		rate, memRate := float64(len(plan))/r.WriteWall.Seconds(), float64(len(plan))/memWall.Seconds()
		row(fmt.Sprintf("fact writes with indicator maintenance (%d writers, %s writes)", r.Writers, groupThousands(len(plan))),
			fmt.Sprintf("%.0f /s (p50 %s, p99 %s)", rate, ms(r.Writes, 50), ms(r.Writes, 99)), "≥ 300 /s",
			fmt.Sprintf("%.0f /s", memRate), slower(memRate, rate), verdict(rate >= factWriteTarget))
		if r.Floor > 0 {
			floor := float64(len(plan)) / r.Floor.Seconds()
			row(fmt.Sprintf("raw transaction floor: fact upsert + %d counter updates (%d writers, same driver)", floorDepth, r.Writers),
				fmt.Sprintf("%.0f /s", floor), "", "", fmt.Sprintf("writes at %.0f %% of the floor", 100*rate/floor), "")
		}
		target, v := "-", "-"
		if engine == "sqlite" {
			target, v = "≤ 5 s", verdict(r.Rebuild <= rebuildTarget)
		}
		row(fmt.Sprintf("full rebuild of the nation-year (%s units)", groupThousands(r.RebuildUnits)), fmt.Sprintf("%.2f s", r.Rebuild.Seconds()), target,
			fmt.Sprintf("%.3f s", memRebuild.Seconds()), slower(r.Rebuild.Seconds(), memRebuild.Seconds()), v)
		for _, p := range r.Peaks {
			row("memory peak during the "+p.Phase, fmt.Sprintf("RSS %.0f MiB, Go heap %.0f MiB", p.RSSMiB, p.HeapMiB), "", "", "", "")
		}
		row("memory peak of the measuring process (rusage)", fmt.Sprintf("%.0f MiB", float64(m.maxRSSKiB)/1024), "",
			fmt.Sprintf("%.0f MiB of heap for the in-memory nation", memHeap), "", "")
		printEngineTable(e.stdout, header, rows[printed:])
		printed = len(rows)
	}
	fs.printMarkdown(e.stdout, header, rows)
	return nil
}

// dbResult is what indicators-db measured.
type dbResult struct {
	Before        [2][]indicator.Figure // the nation's and the province's, before the writes
	After         []indicator.Figure    // the nation's, after the writes
	Reads         [2][]time.Duration    // nation, province
	Writes        []time.Duration       // latency of each write
	WriteWall     time.Duration
	Floor         time.Duration // as many raw six-statement transactions (writeFloor)
	Writers       int           // concurrent writers of the measured run
	Stalled       []int         // writer counts whose run stalled (no write done for a minute)
	Rebuild       time.Duration
	RebuildUnits  int
	SameAsRebuilt bool
	StateLines    int
	Peaks         []phasePeak
}

type phasePeak struct {
	Phase           string
	RSSMiB, HeapMiB float64
}

// runIndicatorsDB is the database side of the indicators benchmark (a child
// process): reads, writes, rebuild, with the memory peak of each phase.
func runIndicatorsDB(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("antqbench indicators-db", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", "", "database holding the nation demo")
	writesFile := fs.String("writes", "", "the writes, as JSON")
	outFile := fs.String("out", "", "where to write the result (JSON)")
	province := fs.String("province", "", "province of the province read")
	reads := fs.Int("reads", 300, "reads per series")
	writers := fs.Int("writers", 8, "concurrent writers")
	writeProfile := fs.String("write-profile", "", "CPU profile of the writes (pprof)")
	rebuildProfile := fs.String("rebuild-profile", "", "CPU profile of the rebuild (pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var plan []factWrite
	if err := readJSON(*writesFile, &plan); err != nil {
		return err
	}
	sys := antq.SystemContext(ctx)
	// Fact writes only: no evidence, so no files directory.
	db, err := openStore(ctx, *dsn, store.Options{NoEvidence: true}, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var r dbResult
	codes := []string{demo.NationCode, *province}
	for i, code := range codes {
		rep, err := db.Indicators(sys, demo.NationPlanID, code)
		if err != nil {
			return err
		}
		r.Before[i] = rep.Unit.Figures
	}

	// (a) Reads, the two series interleaved; the first tenth warms up.
	var peak memPeak
	peak.start()
	for i := -*reads / 10; i < *reads; i++ {
		for j, code := range codes {
			t0 := time.Now()
			if _, err := db.Indicators(sys, demo.NationPlanID, code); err != nil {
				return err
			}
			if d := time.Since(t0); i >= 0 {
				r.Reads[j] = append(r.Reads[j], d)
			}
		}
	}
	r.Peaks = append(r.Peaks, peak.stop("reads"))

	// (b) Writes. A run that makes no progress for a minute is stopped
	// and reported, then the writes are run again with half the writers
	// (they are upserts of the same values, so the end state is the same).
	peak.start()
	stopProfile, err := startProfile(*writeProfile)
	if err != nil {
		return err
	}
	for w := *writers; ; w /= 2 {
		var next atomic.Int64
		var progress atomic.Int64
		r.Writes = make([]time.Duration, len(plan))
		r.Writers = w
		wctx, cancel := context.WithCancel(sys)
		stalled := make(chan struct{})
		go func() {
			last := int64(-1)
			for {
				select {
				case <-wctx.Done():
					return
				case <-time.After(time.Minute):
				}
				if n := progress.Load(); n == last {
					close(stalled)
					cancel()
					return
				} else {
					last = n
				}
			}
		}()
		r.WriteWall, err = parallelTime(len(plan), w, func() error {
			i := int(next.Add(1)) - 1
			t0 := time.Now()
			err := plan[i].apply(wctx, db)
			r.Writes[i] = time.Since(t0)
			progress.Add(1)
			return err
		})
		cancel()
		select {
		case <-stalled:
			r.Stalled = append(r.Stalled, w)
			if w > 1 {
				continue
			}
		default:
		}
		if err != nil {
			return err
		}
		break
	}
	stopProfile()
	r.Peaks = append(r.Peaks, peak.stop("writes"))
	// The raw transaction floor, right after, with the same writers.
	if r.Floor, err = writeFloor(ctx, *dsn, len(plan), *writers); err != nil {
		return err
	}
	rep, err := db.Indicators(sys, demo.NationPlanID, demo.NationCode)
	if err != nil {
		return err
	}
	r.After = rep.Unit.Figures

	// (c) The rebuild, and maintained == rebuilt.
	maintained, err := db.IndicatorState(sys, demo.NationPlanID)
	if err != nil {
		return err
	}
	peak.start()
	if stopProfile, err = startProfile(*rebuildProfile); err != nil {
		return err
	}
	res, err := db.Rebuild(sys, demo.NationPlanID)
	stopProfile()
	if err != nil {
		return err
	}
	r.Peaks = append(r.Peaks, peak.stop("rebuild"))
	r.Rebuild, r.RebuildUnits = res.Duration, res.Units
	rebuilt, err := db.IndicatorState(sys, demo.NationPlanID)
	if err != nil {
		return err
	}
	r.SameAsRebuilt, r.StateLines = maintained == rebuilt, strings.Count(rebuilt, "\n")
	return writeJSON(*outFile, r)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

// faster says how much faster ANTQ's time is than the baseline's.
func faster(base, antq time.Duration) string {
	if antq <= 0 || base <= 0 {
		return "-"
	}
	if r := float64(base) / float64(antq); r >= 1 {
		return fmt.Sprintf("%.0f× faster", r)
	} else {
		return fmt.Sprintf("%.1f× slower", 1/r)
	}
}

// slower says how much slower ANTQ is: a is the baseline's rate or
// ANTQ's time, b ANTQ's rate or the baseline's time.
func slower(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "-"
	}
	if r := a / b; r >= 1 {
		return fmt.Sprintf("%.0f× slower", r)
	} else {
		return fmt.Sprintf("%.1f× faster", 1/r)
	}
}

// sameFigures compares the numerators and denominators of two figure lists.
func sameFigures(got, want []indicator.Figure) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d figures, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Num != w.Num || g.Den != w.Den {
			return fmt.Errorf("%s = %d/%d, in memory %s = %d/%d", g.ID, g.Num, g.Den, w.ID, w.Num, w.Den)
		}
	}
	return nil
}

// ---- memory ----

// memPeak measures the peak resident set (VmHWM, reset through
// /proc/self/clear_refs) and the peak Go heap (sampled) of a phase.
type memPeak struct {
	stopc chan struct{}
	done  chan struct{}
	heap  atomic.Uint64
}

func (p *memPeak) start() {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // Linux: reset the peak RSS
	p.stopc, p.done = make(chan struct{}), make(chan struct{})
	p.heap.Store(heapInUse())
	go func() {
		defer close(p.done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stopc:
				return
			case <-t.C:
				if h := heapInUse(); h > p.heap.Load() {
					p.heap.Store(h)
				}
			}
		}
	}()
}

func (p *memPeak) stop(phase string) phasePeak {
	close(p.stopc)
	<-p.done
	return phasePeak{Phase: phase, RSSMiB: float64(peakRSSKiB()) / 1024, HeapMiB: float64(p.heap.Load()) / (1 << 20)}
}

// heapInUse is the bytes of live and not yet swept heap objects.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakRSSKiB reads VmHWM from /proc/self/status (0 when unknown).
func peakRSSKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(v)), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// ---- the in-memory baseline ----

// memNation is the nation demo held in memory: the generator's units and
// facts, and the plan's rules, computed with package indicator only.
type memNation struct {
	rules *indicator.Rules
	units []memUnit // parents before children; a province's units are contiguous
	codes map[string]int32
	facts int

	// Maintained for the write baseline: each unit's status and the counts
	// of each unit with children (its subtree, itself included).
	mu       sync.Mutex
	status   []indicator.Status
	counts   map[int32]indicator.Counts
	children map[int32][]int32 // residential areas of each commune
	cov      []indicator.Coverage
	pristine []indicator.Facts
}

type memUnit struct {
	code       string
	kind       antq.UnitKind
	flags      antq.UnitFlags
	parent     int32 // -1 for the root
	begin, end int32 // for the root and provinces: the units below them are units[begin:end]
	households int64 // residential areas and communes
	persons    int64 // organisations
	facts      indicator.Facts
}

func newMemNation() (*memNation, error) {
	cat, err := rules.Embedded()
	if err != nil {
		return nil, err
	}
	plan, err := rules.LoadPlan("vn-2025.json", demo.NationPlan())
	if err != nil {
		return nil, err
	}
	sets, err := cat.RuleSetsOf(plan)
	if err != nil {
		return nil, err
	}
	m := &memNation{rules: indicator.NewRules(plan, sets), codes: map[string]int32{}, children: map[int32][]int32{}}
	add := func(u *antq.Unit) {
		mu := memUnit{code: u.Code, kind: u.Kind, flags: u.Flags, parent: -1}
		if p, ok := m.codes[u.ParentCode]; ok {
			mu.parent = p
		}
		if u.Size.Households != nil {
			mu.households = *u.Size.Households
		}
		if p := u.Size.Persons(); p != nil {
			mu.persons = *p
		}
		m.codes[u.Code] = int32(len(m.units))
		if u.Kind == antq.KindResidentialArea {
			m.children[mu.parent] = append(m.children[mu.parent], int32(len(m.units)))
		}
		m.units = append(m.units, mu)
	}
	o := demo.NationOptions{}
	roots, err := o.Roots()
	if err != nil {
		return nil, err
	}
	for i := range roots {
		add(&roots[i].Unit)
	}
	err = o.EachProvince(func(p *demo.NationProvince) error {
		m.units[m.codes[p.Code]].begin = int32(len(m.units))
		for i := range p.Units {
			add(&p.Units[i].Unit)
		}
		m.units[m.codes[p.Code]].end = int32(len(m.units))
		return p.Facts((*memSink)(m))
	})
	if err != nil {
		return nil, err
	}
	m.units[0].begin, m.units[0].end = 1, int32(len(m.units))
	m.pristine = make([]indicator.Facts, len(m.units))
	for i := range m.units {
		m.pristine[i] = m.units[i].facts
	}
	m.cov = make([]indicator.Coverage, len(m.units))
	return m, nil
}

// memSink records the generated facts in the units.
type memSink memNation

func (s *memSink) unit(code string) *indicator.Facts {
	s.facts++
	return &s.units[s.codes[code]].facts
}

func (s *memSink) Registration(code string, _ antq.Registration) error {
	s.unit(code).Registered = true
	return nil
}

func (s *memSink) Propaganda(code string, p antq.Propaganda) error {
	s.unit(code).Propaganda = &indicator.Coverage{Reached: p.Reached, Total: p.Total}
	return nil
}

func (s *memSink) Model(code string, m antq.Model) error {
	f := s.unit(code)
	f.Models = append(f.Models, indicator.ModelFact{Status: m.Status, Effective: m.Effective})
	return nil
}

func (s *memSink) Recognition(code string, r antq.Recognition) error {
	s.unit(code).Recognised = r.Result == antq.RecognitionMet
	return nil
}

func (s *memSink) Grade(code string, g antq.GradeRecord) error {
	s.unit(code).Grade = g.Grade
	return nil
}

// reset puts the generated facts back (each engine starts from them) and
// recomputes the maintained statuses and counts.
func (m *memNation) reset() {
	for i := range m.units {
		m.units[i].facts = m.pristine[i]
	}
	m.rebuild()
}

// childCount is the number of units directly under code.
func (m *memNation) childCount(code string) int {
	p := m.codes[code]
	n := 0
	for i := range m.units {
		if m.units[i].parent == p {
			n++
		}
	}
	return n
}

// evaluate computes a unit's status from its facts; a commune's household
// coverage sums its residential areas (the household count where an area
// does not report).
func (m *memNation) evaluate(i int32) indicator.Status {
	u := &m.units[i]
	f := u.facts
	if u.kind == antq.KindCommune {
		for _, c := range m.children[i] {
			a := &m.units[c]
			if a.facts.Propaganda != nil {
				f.AreaCoverage.Reached += a.facts.Propaganda.Reached
				f.AreaCoverage.Total += a.facts.Propaganda.Total
			} else {
				f.AreaCoverage.Total += a.households
			}
		}
	}
	return m.rules.Evaluate(u.kind, u.flags, f)
}

// figuresLoop is the read baseline: one plain loop over the subtree of code
// (the nation or a province) evaluating every unit from its facts and
// adding it up.
func (m *memNation) figuresLoop(code string) []indicator.Figure {
	root := m.codes[code]
	lo, hi := m.units[root].begin, m.units[root].end
	cov := m.cov
	clear(cov[lo:hi])
	for i := lo; i < hi; i++ { // residential areas into their communes
		if u := &m.units[i]; u.kind == antq.KindResidentialArea {
			c := &cov[u.parent]
			if p := u.facts.Propaganda; p != nil {
				c.Reached += p.Reached
				c.Total += p.Total
			} else {
				c.Total += u.households
			}
		}
	}
	c := indicator.Counts{}
	visit := func(i int32) {
		u := &m.units[i]
		f := u.facts
		f.AreaCoverage = cov[i]
		c.Add(u.kind, m.rules.Evaluate(u.kind, u.flags, f), 1)
	}
	visit(root)
	for i := lo; i < hi; i++ {
		visit(i)
	}
	return m.rules.Figures(c)
}

// rebuild is the rebuild baseline: every status from the facts, then the
// counts of every unit with children, children before parents.
func (m *memNation) rebuild() {
	m.status = make([]indicator.Status, len(m.units))
	for i := range m.units {
		m.status[i] = m.evaluate(int32(i))
	}
	m.counts = map[int32]indicator.Counts{}
	for i := int32(len(m.units)) - 1; i >= 0; i-- {
		u := &m.units[i]
		own, has := m.counts[i]
		if !has && (u.kind == antq.KindNation || u.kind == antq.KindProvince || u.kind == antq.KindCommune) {
			own, has = indicator.Counts{}, true
			m.counts[i] = own
		}
		if has {
			own.Add(u.kind, m.status[i], 1)
		}
		if u.parent < 0 {
			continue
		}
		pc := m.counts[u.parent]
		if pc == nil {
			pc = indicator.Counts{}
			m.counts[u.parent] = pc
		}
		if has {
			pc.Merge(own)
		} else {
			pc.Add(u.kind, m.status[i], 1)
		}
	}
}

// factWrite is one write of the write benchmark.
type factWrite struct {
	Code     string    `json:"code"`
	Register bool      `json:"register"` // else a propaganda figure
	On       antq.Date `json:"on"`
	Reached  int64     `json:"reached"`
	Total    int64     `json:"total"`
}

func (w *factWrite) apply(ctx context.Context, db *store.DB) error {
	if w.Register {
		_, err := db.PutRegistration(ctx, demo.NationPlanID, w.Code, antq.Registration{RegisteredOn: w.On})
		return err
	}
	_, err := db.PutPropaganda(ctx, demo.NationPlanID, w.Code, antq.PropagandaInput{Reached: &w.Reached, Total: &w.Total, AsOf: w.On})
	return err
}

// writePlan picks n writes on distinct (unit, fact) pairs: registrations of
// eligible units, propaganda figures of residential areas, communes and
// eligible organisations.
func (m *memNation) writePlan(n int) []factWrite {
	rng := rand.New(rand.NewPCG(4, 2025))
	seen := map[[2]int32]bool{}
	out := make([]factWrite, 0, n)
	for len(out) < n {
		i := int32(rng.IntN(len(m.units)))
		u := &m.units[i]
		eligible, _ := m.rules.Recognition.Eligible(u.kind, rules.UnitFlags(u.flags)...)
		if !eligible {
			continue
		}
		w := factWrite{Code: u.code, Register: rng.IntN(2) == 0}
		key := [2]int32{i, 0}
		if !w.Register {
			key[1] = 1
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if w.Register {
			w.On = antq.NewDate(2025, 7, 1).AddDays(rng.IntN(60))
		} else {
			w.Total = u.households
			if u.kind.Organisation() {
				w.Total = u.persons
			}
			w.Reached = w.Total/2 + rng.Int64N(w.Total/2+1)
			w.On = antq.NewDate(2025, 10, 1).AddDays(rng.IntN(30))
		}
		out = append(out, w)
	}
	return out
}

// apply is the write baseline: the same write, maintained in memory — the
// unit's facts change, its status (and its commune's, for a residential
// area) is re-evaluated and the difference added to every ancestor.
func (m *memNation) apply(w factWrite) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.codes[w.Code]
	u := &m.units[i]
	if w.Register {
		u.facts.Registered = true
	} else {
		u.facts.Propaganda = &indicator.Coverage{Reached: w.Reached, Total: w.Total}
	}
	m.refresh(i)
	if u.kind == antq.KindResidentialArea {
		m.refresh(u.parent)
	}
}

func (m *memNation) refresh(i int32) {
	next := m.evaluate(i)
	old := m.status[i]
	if next == old {
		return
	}
	m.status[i] = next
	u := &m.units[i]
	delta := indicator.Counts{}
	delta.Add(u.kind, old, -1)
	delta.Add(u.kind, next, +1)
	for j := i; j >= 0; j = m.units[j].parent {
		if c, ok := m.counts[j]; ok {
			c.Merge(delta)
		}
	}
}

var _ demo.FactSink = (*memSink)(nil)
var _ demo.FactSink = (*store.FactLoader)(nil)
