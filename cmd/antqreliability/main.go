// Command antqreliability runs ANTQ's reliability harnesses against the
// built binary (test plan T2, T8, T16 of
// shared/reference/performance-and-security.md §2.4) and prints the
// figures docs/RELIABILITY.md records.
//
//	antqreliability crash [flags]   SIGKILL during concurrent writes, checks after every restart
//	antqreliability drill [flags]   backup under write load, restore into a fresh instance, upgrade drill
//	antqreliability overload [flags] admission control at 10× a November day and saturated (T13)
//	antqreliability two [flags]     two servers on one PostgreSQL behind nginx, one killed mid-load
//	antqreliability diskfull [flags] uploads, writes and imports on a full volume (T4; root: mounts a tmpfs)
//	antqreliability conflicts [flags] many clients editing few facts with If-Match (T5)
//
// Everything runs on loopback: the server listens on 127.0.0.1, databases
// are created (and dropped) on the PostgreSQL server named by --postgres.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "antqreliability:", err)
			os.Exit(1)
		}
	}
}

const usage = `Cách dùng (usage): antqreliability crash|drill|overload|two|diskfull|conflicts [flags]   (-h for the flags)`

// harnesses are the commands by name; each parses its own flags from args.
var harnesses = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"crash":     cmdCrash,
	"drill":     cmdDrill,
	"overload":  cmdOverload,
	"two":       cmdTwo,
	"diskfull":  cmdDiskFull,
	"conflicts": cmdConflicts,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return flag.ErrHelp
	}
	if cmd, ok := harnesses[args[0]]; ok {
		return cmd(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// common are the flags both harnesses have.
type common struct {
	fs       *flag.FlagSet
	antq     *string
	engines  *string
	postgres *string
	work     *string
	keep     *bool
}

func newCommon(name string, stderr io.Writer) *common {
	fs := flag.NewFlagSet("antqreliability "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	pg := os.Getenv("ANTQ_TEST_POSTGRES")
	engines := "sqlite"
	if pg != "" {
		engines = "sqlite,postgres"
	}
	return &common{fs: fs,
		antq:     fs.String("antq", "./bin/antq", "the antq binary to test"),
		engines:  fs.String("engines", engines, "engines: sqlite, postgres (default: postgres too when ANTQ_TEST_POSTGRES is set)"),
		postgres: fs.String("postgres", pg, "PostgreSQL URL to create the instances' databases from (ANTQ_TEST_POSTGRES); each instance gets a new database, dropped at the end"),
		work:     fs.String("work", "", "work directory (default: a new temporary directory, removed at the end)"),
		keep:     fs.Bool("keep", false, "keep the work directory"),
	}
}

// setup parses the command's flags from args and returns the absolute
// binary, the engines, the PostgreSQL server and a work directory with its
// clean-up.
func (c *common) setup(args []string, stdout io.Writer) (bin string, engines []string, pg *pgServer, work string, done func(), err error) {
	if err = c.fs.Parse(args); err != nil {
		return
	}
	bin, err = filepath.Abs(*c.antq)
	if err != nil {
		return
	}
	if _, err = os.Stat(bin); err != nil {
		err = fmt.Errorf("antq binary: %w (make build)", err)
		return
	}
	for _, e := range strings.Split(*c.engines, ",") {
		switch e = strings.TrimSpace(e); e {
		case "sqlite", "postgres":
			engines = append(engines, e)
		case "":
		default:
			err = fmt.Errorf("unknown engine %q", e)
			return
		}
	}
	pg = &pgServer{admin: *c.postgres}
	work = *c.work
	if work == "" {
		if work, err = os.MkdirTemp("", "antqreliability-"); err != nil {
			return
		}
	} else if err = os.MkdirAll(work, 0o700); err != nil {
		return
	}
	keep := *c.keep || *c.work != ""
	done = func() {
		pg.dropAll()
		if keep {
			fmt.Fprintln(stdout, "work directory kept:", work)
		} else {
			os.RemoveAll(work)
		}
	}
	return
}

func cmdCrash(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("crash", stderr)
	cycles := c.fs.Int("cycles", 500, "SIGKILL cycles per engine")
	writers := c.fs.Int("writers", 8, "concurrent writers")
	areas := c.fs.Int("areas", 48, "residential areas the writers work on")
	killMin := c.fs.Duration("kill-min", 50*time.Millisecond, "earliest kill after the writers start")
	killMax := c.fs.Duration("kill-max", 1500*time.Millisecond, "latest kill after the writers start")
	seed := c.fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed (printed, to replay a run's choices)")
	quiet := c.fs.Bool("quiet", false, "no line per cycle")
	bin, engines, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(stdout, "crash harness: %s, seed %d, %d writers, %d areas\n", machine(), *seed, *writers, *areas)
	return eachEngine(engines, work, "crash", stdout, func(e, dir string) (fmt.Stringer, error) {
		cfg := crashConfig{antq: bin, work: dir, engine: e, pg: pg, cycles: *cycles,
			writers: *writers, areas: *areas, killMin: *killMin, killMax: *killMax, seed: *seed}
		if !*quiet {
			cfg.progress = stdout
		}
		return runCrash(ctx, cfg)
	})
}

// eachEngine runs one harness per engine in a work directory of its own,
// prints each report and returns every failure.
func eachEngine(engines []string, work, name string, stdout io.Writer, run func(engine, dir string) (fmt.Stringer, error)) error {
	var failed []error
	for _, e := range engines {
		dir := filepath.Join(work, name+"-"+e)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		rep, err := run(e, dir)
		fmt.Fprintln(stdout, rep)
		if err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

func cmdOverload(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("overload", stderr)
	areas := c.fs.Int("areas", 48, "residential areas written to")
	// A province's November day: about 2,300 units, each with some 20
	// writes and 100 reads over an 8-hour day, is 10 requests a second;
	// ten times that is 100.
	rate := c.fs.Int("rate", 100, "requests per second of the open-loop phase (10× a November day)")
	nominal := c.fs.Duration("nominal", 20*time.Second, "length of the open-loop phase")
	clients := c.fs.Int("clients", 200, "clients of the saturated phase")
	saturate := c.fs.Duration("saturate", 15*time.Second, "length of the saturated phase")
	limits := c.fs.String("limits", "", "server admission settings, e.g. ANTQ_MAX_READS=8,ANTQ_MAX_WRITES=2 (default: the server's own)")
	bin, engines, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	var env []string
	for _, kv := range strings.Split(*limits, ",") {
		if kv = strings.TrimSpace(kv); kv != "" {
			if !strings.HasPrefix(kv, "ANTQ_") || !strings.Contains(kv, "=") {
				return fmt.Errorf("--limits: %q is not ANTQ_NAME=value", kv)
			}
			env = append(env, kv)
		}
	}
	fmt.Fprintf(stdout, "overload harness: %s; server settings %v\n", machine(), env)
	return eachEngine(engines, work, "overload", stdout, func(e, dir string) (fmt.Stringer, error) {
		return runOverload(ctx, overloadConfig{antq: bin, work: dir, engine: e, pg: pg, areas: *areas,
			rate: *rate, nominal: *nominal, clients: *clients, saturate: *saturate, env: env})
	})
}

func cmdTwo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("two", stderr)
	nginx := c.fs.String("nginx", envOr("ANTQ_TEST_NGINX", "nginx"), "the nginx binary (ANTQ_TEST_NGINX)")
	writers := c.fs.Int("writers", 8, "concurrent writers through the proxy")
	areas := c.fs.Int("areas", 48, "residential areas the writers work on")
	load := c.fs.Duration("load", 10*time.Second, "length of each write phase (both servers; one killed; both again)")
	seed := c.fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	bin, _, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	path, err := exec.LookPath(*nginx)
	if err != nil {
		return fmt.Errorf("nginx: %w (apt-get install nginx-light)", err)
	}
	fmt.Fprintf(stdout, "two servers harness: %s, seed %d, %d writers, %d areas\n", machine(), *seed, *writers, *areas)
	rep, err := runTwoServers(ctx, twoConfig{antq: bin, work: work, nginx: path, pg: pg, writers: *writers, areas: *areas, load: *load, seed: *seed})
	fmt.Fprintln(stdout, rep)
	return err
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func cmdDiskFull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("diskfull", stderr)
	size := c.fs.Int("size", 48, "size of the tmpfs volume in MiB")
	bin, engines, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(stdout, "disk-full harness: %s, a %d MiB tmpfs\n", machine(), *size)
	return eachEngine(engines, work, "disk", stdout, func(e, dir string) (fmt.Stringer, error) {
		return runDiskFull(ctx, diskConfig{antq: bin, work: dir, engine: e, pg: pg, sizeMiB: *size})
	})
}

func cmdConflicts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := newCommon("conflicts", stderr)
	facts := c.fs.Int("facts", 100, "facts edited (one propaganda figure per residential area)")
	clients := c.fs.Int("clients", 50, "concurrent clients")
	edits := c.fs.Int("edits", 10000, "write attempts in all")
	seed := c.fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed")
	bin, engines, pg, work, done, err := c.setup(args, stdout)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintf(stdout, "concurrent edits harness: %s, seed %d, %d facts, %d clients, %d attempts\n", machine(), *seed, *facts, *clients, *edits)
	return eachEngine(engines, work, "conflicts", stdout, func(e, dir string) (fmt.Stringer, error) {
		return runConflicts(ctx, conflictConfig{antq: bin, work: dir, engine: e, pg: pg, facts: *facts, clients: *clients, edits: *edits, seed: *seed})
	})
}
