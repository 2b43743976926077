// Command antqbench measures ANTQ against the targets of DESIGN §5 and
// against baselines measured in the same run, and prints the figures.
//
//	antqbench import [flags]   unit import throughput (≥ 50,000 rows/s)
//	antqbench auth [flags]     logins per second, authenticated request latency
//	antqbench all [--antq BIN] [--postgres URL]   every benchmark with its defaults
//
// Each benchmark is a subcommand in its own file, registered in benchmarks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// benchmark is one subcommand. Its run parses its own flags from args.
type benchmark struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
	hidden  bool // helpers the benchmarks start as child processes
}

func benchmarks() []benchmark {
	return []benchmark{
		{name: "import", summary: "unit import throughput on SQLite and PostgreSQL (antq units import)", run: runImportBench},
		{name: "auth", summary: "logins per second and authenticated request latency on SQLite and PostgreSQL", run: runAuthBench},
		{name: "indicators", summary: "nation-scale indicator reads, fact writes, rebuild and memory against an in-memory loop", run: runIndicatorsBench},
		{name: "indicators-db", run: runIndicatorsDB, hidden: true},
		{name: "dashboard", summary: "dashboard page for the nation and a province against the JSON endpoint, on SQLite and PostgreSQL", run: runDashboardBench},
		{name: "pages", summary: "every read a page makes at nation scale (failing and decision lists, inbox, results, unit pages, search) against an authenticated trivial read, on SQLite and PostgreSQL", run: runPagesBench},
		{name: "cluster", summary: "ranking a cụm of 30 provinces at nation scale against one indicators read, on SQLite and PostgreSQL", run: runClusterBench},
		{name: "reorganise", summary: "the whole official 2025 conversion table through antq units reorganise's path, on SQLite and PostgreSQL", run: runReorganiseBench},
		{name: "mixed", summary: "the memory of antq serve under ten minutes of mixed reads and writes on the nation demo, on SQLite and PostgreSQL", run: runMixedBench},
		{name: "export", summary: "100,000 rows through the streaming XLSX writer of every table export, against CSV", run: runExportBench},
		{name: "import-parse-only", run: runParseOnly, hidden: true},
		{name: "import-minimal-insert", run: runMinimalInsert, hidden: true},
	}
}

// env is what a benchmark runs with.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	antq           string // the antq binary given to "all" ("" = each benchmark's default)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if err := run(ctx, e, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "antqbench:", err)
			os.Exit(1)
		}
	}
}

func run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return errors.New("missing benchmark name")
		}
		return nil
	}
	if args[0] == "all" {
		// Only the flags every benchmark understands; each runs with its
		// own defaults otherwise.
		fs := flag.NewFlagSet("antqbench all", flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		antqBin := fs.String("antq", "./bin/antq", "antq binary, for the benchmarks that run it")
		pg := fs.String("postgres", "", "PostgreSQL server URL (default ANTQ_BENCH_POSTGRES or the local server)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		all := *e
		all.antq = *antqBin
		if *pg != "" {
			all.getenv = func(k string) string {
				if k == "ANTQ_BENCH_POSTGRES" {
					return *pg
				}
				return e.getenv(k)
			}
		}
		for _, b := range benchmarks() {
			if b.hidden {
				continue
			}
			fmt.Fprintf(e.stdout, "== %s ==\n", b.name)
			if err := b.run(ctx, &all, nil); err != nil {
				return fmt.Errorf("%s: %w", b.name, err)
			}
		}
		return nil
	}
	for _, b := range benchmarks() {
		if b.name == args[0] {
			return b.run(ctx, e, args[1:])
		}
	}
	usage(e.stderr)
	return fmt.Errorf("unknown benchmark %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: antqbench BENCHMARK [flags]   (antqbench BENCHMARK --help for its flags)\n\nbenchmarks:")
	for _, b := range benchmarks() {
		if !b.hidden {
			fmt.Fprintf(w, "  %-10s %s\n", b.name, b.summary)
		}
	}
	fmt.Fprintf(w, "  %-10s %s\n", "all", "every benchmark above with its defaults (flags: --antq BIN, --postgres URL)")
}

// table prints rows of cells aligned in columns.
func table(w io.Writer, header []string, rows [][]string) {
	widths := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c + strings.Repeat(" ", widths[i]-len([]rune(c))))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
}

// markdownTable prints rows as a Markdown table.
func markdownTable(w io.Writer, header []string, rows [][]string) {
	fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(header)))
	for _, r := range rows {
		fmt.Fprintln(w, "| "+strings.Join(r, " | ")+" |")
	}
}
