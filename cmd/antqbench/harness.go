package main

// What the benchmarks share: their common flags, the temporary directory,
// a fresh database per engine, the store opened as antq opens it, and the
// printing of the machine and of the results.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"antq/store"
)

// defaultPostgres is the server the benchmarks create their databases on
// when neither --postgres nor ANTQ_BENCH_POSTGRES names one.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// benchFlags are the flags every benchmark has; each adds its own to the
// embedded FlagSet.
type benchFlags struct {
	*flag.FlagSet
	postgres *string // the PostgreSQL server URL
	engines  *string // comma-separated: sqlite, postgres
	markdown *bool   // also print the results as a Markdown table
}

// newBenchFlags starts the flags of the benchmark name; databases says what
// it does on the PostgreSQL server ("a database antq_bench_<random> is
// created and dropped").
func newBenchFlags(e *env, name, databases string) *benchFlags {
	fs := flag.NewFlagSet("antqbench "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	pg := e.getenv("ANTQ_BENCH_POSTGRES")
	if pg == "" {
		pg = defaultPostgres
	}
	return &benchFlags{
		FlagSet:  fs,
		postgres: fs.String("postgres", pg, "PostgreSQL server URL (ANTQ_BENCH_POSTGRES); "+databases),
		engines:  fs.String("engines", "sqlite,postgres", "engines to measure"),
		markdown: fs.Bool("markdown", false, "also print the results as a Markdown table"),
	}
}

// antqFlag adds --antq, the antq binary: the one given to "all", else
// ./bin/antq.
func (f *benchFlags) antqFlag(e *env, usage string) *string {
	bin := e.antq
	if bin == "" {
		bin = "./bin/antq"
	}
	return f.String("antq", bin, usage)
}

// printMarkdown prints the results again as a Markdown table when
// --markdown asks for it.
func (f *benchFlags) printMarkdown(w io.Writer, header []string, rows [][]string) {
	if *f.markdown {
		fmt.Fprintln(w)
		markdownTable(w, header, rows)
	}
}

// workDir makes the benchmark's temporary directory. done removes it, unless
// keep, in which case its path is printed and it stays.
func workDir(e *env, name string, keep bool) (dir string, done func(), err error) {
	dir, err = os.MkdirTemp("", "antqbench-"+name+"-")
	if err != nil {
		return "", nil, err
	}
	if keep {
		fmt.Fprintln(e.stdout, "temporary directory:", dir)
		return dir, func() {}, nil
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// startBench begins a benchmark's run: it prints the machine and its load
// average, then makes the temporary directory (see workDir).
func startBench(e *env, name string, keep bool) (dir string, done func(), err error) {
	fmt.Fprintf(e.stdout, "machine: %s; load average %s\n", machine(), loadAverage())
	return workDir(e, name, keep)
}

// engineDatabase returns an empty database of engine: the file sqlitePath,
// or a new database on the PostgreSQL server pgURL, which drop removes.
func engineDatabase(ctx context.Context, engine, pgURL, sqlitePath string) (dsn string, drop func(), err error) {
	switch engine {
	case "sqlite":
		return sqlitePath, func() {}, nil
	case "postgres":
		return createBenchDatabase(ctx, pgURL)
	}
	return "", nil, fmt.Errorf("unknown engine %q", engine)
}

// openStore opens dsn as antq does, then migrates it (a fresh database) or
// checks that its schema is current (a database antq built).
func openStore(ctx context.Context, dsn string, opts store.Options, migrate bool) (*store.DB, error) {
	db, err := store.Open(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	prepare := db.CheckSchema
	if migrate {
		prepare = db.Migrate
	}
	if err := prepare(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// machine describes the processor and the Go runtime, for the record.
func machine() string {
	return fmt.Sprintf("%s, %d CPUs (GOMAXPROCS %d), %s/%s, %s", cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0),
		runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// printEngineTable prints the rows of one engine with the load average after
// them (the benchmarks that measure one engine after the other).
func printEngineTable(w io.Writer, header []string, rows [][]string) {
	fmt.Fprintln(w)
	table(w, header, rows)
	fmt.Fprintf(w, "load average: %s\n\n", loadAverage())
}
