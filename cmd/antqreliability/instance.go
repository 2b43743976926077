package main

// An instance is one ANTQ installation as an operator has it: the built
// binary, a data directory and a database, configured only through
// ANTQ_DATA, ANTQ_DB and ANTQ_ADDR. The harnesses reach the store through
// this binary and its command line, never through package store, so they
// test what is shipped.

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the harness's own PostgreSQL connections
	_ "modernc.org/sqlite"             // the harness's own SQLite integrity checks
)

type instance struct {
	bin     string // the antq binary
	dataDir string // ANTQ_DATA
	dsn     string // ANTQ_DB: "" is antq.db in the data directory
	logPath string // the server's standard error, appended across restarts
	// extraEnv are more variables for the server (admission limits).
	extraEnv []string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	base   string // http://host:port of the running server
}

func (in *instance) engine() string {
	if isPostgres(in.dsn) {
		return "postgres"
	}
	return "sqlite"
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqlitePath is the SQLite file of the instance.
func (in *instance) sqlitePath() string {
	if in.dsn != "" {
		return in.dsn
	}
	return filepath.Join(in.dataDir, "antq.db")
}

// filesDir is where the instance keeps evidence files.
func (in *instance) filesDir() string { return filepath.Join(in.dataDir, "files") }

// environ is the process environment with the instance's configuration and
// no other ANTQ_ variable (a developer's own settings must not leak in).
func (in *instance) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ANTQ_") {
			env = append(env, kv)
		}
	}
	env = append(env, "ANTQ_DATA="+in.dataDir, "ANTQ_DB="+in.dsn, "ANTQ_ADDR=127.0.0.1:0")
	return append(env, in.extraEnv...)
}

// run runs an antq command to completion and returns its standard output;
// a non-zero exit is an error carrying both streams.
func (in *instance) run(ctx context.Context, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, in.bin, args...)
	cmd.Env = in.environ()
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("antq %s: %w\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String(), nil
}

var servingLine = regexp.MustCompile(`http://(\S+)/`)

// start runs antq serve on a free loopback port and waits until /readyz
// answers 200.
func (in *instance) start(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cmd != nil {
		return errors.New("instance already running")
	}
	logf, err := os.OpenFile(in.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(in.bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = in.environ()
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	exited := make(chan struct{})
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		cmd.Wait()
		logf.Close()
		close(exited)
	}()
	in.cmd, in.exited = cmd, exited
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-exited:
		in.cmd = nil
		return fmt.Errorf("antq serve exited at start (%v); see %s", cmd.ProcessState, in.logPath)
	case <-time.After(60 * time.Second):
		in.killLocked()
		return fmt.Errorf("antq serve did not start within 60 s; see %s", in.logPath)
	case <-ctx.Done():
		in.killLocked()
		return ctx.Err()
	}
	probe := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := probe.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			in.killLocked()
			return fmt.Errorf("antq serve not ready within 60 s (%v)", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.base = base
	return nil
}

// kill sends SIGKILL to the server, as a crash or the OOM killer would,
// and waits for it to be gone.
func (in *instance) kill() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.killLocked()
}

func (in *instance) killLocked() {
	if in.cmd == nil {
		return
	}
	in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.exited
	in.cmd, in.base = nil, ""
}

// stop asks the server to shut down (SIGTERM) and waits.
func (in *instance) stop() {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cmd == nil {
		return
	}
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		in.cmd.Process.Signal(syscall.SIGKILL)
		<-in.exited
	}
	in.cmd, in.base = nil, ""
}

func (in *instance) url() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.base
}

// ---- PostgreSQL databases for instances ----

// pgServer creates fresh databases on one PostgreSQL server, one per
// instance, and drops them at the end.
type pgServer struct {
	admin   string // URL of a database to connect to for CREATE DATABASE
	mu      sync.Mutex
	created []string
}

// newDatabase creates an empty database named prefix_<random> and returns
// its URL (same server, user and options as the admin URL).
func (p *pgServer) newDatabase(ctx context.Context, prefix string) (string, error) {
	u, err := url.Parse(p.admin)
	if err != nil {
		return "", fmt.Errorf("postgres URL: %w", err)
	}
	name := randomDatabaseName(prefix)
	if err := p.createDatabase(ctx, name, "", "create database "+name); err != nil {
		return "", err
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// cloneDatabase creates a new database as a copy of the one at dsn (which
// must have no connections) and returns its URL.
func (p *pgServer) cloneDatabase(ctx context.Context, dsn, prefix string) (string, error) {
	src, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(p.admin)
	if err != nil {
		return "", err
	}
	name := randomDatabaseName(prefix)
	if err := p.createDatabase(ctx, name, " TEMPLATE "+strings.TrimPrefix(src.Path, "/"), "copy database"); err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// randomDatabaseName is prefix_<10 random hex digits>.
func randomDatabaseName(prefix string) string {
	b := make([]byte, 5)
	rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

// createDatabase runs CREATE DATABASE name, followed by clause, on the
// admin connection and records the database for dropAll. A failed
// statement's error is prefixed with what.
func (p *pgServer) createDatabase(ctx context.Context, name, clause, what string) error {
	db, err := sql.Open("pgx", p.admin)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name+clause); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	p.mu.Lock()
	p.created = append(p.created, name)
	p.mu.Unlock()
	return nil
}

// dropAll drops every database newDatabase created.
func (p *pgServer) dropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	db, err := sql.Open("pgx", p.admin)
	if err != nil {
		return
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, name := range p.created {
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	p.created = nil
}

// newInstance makes a fresh instance of engine ("sqlite" or "postgres") in
// dir: an empty data directory and, for PostgreSQL, an empty database.
func newInstance(ctx context.Context, bin, dir, engine string, pg *pgServer, prefix string) (*instance, error) {
	in := &instance{bin: bin, dataDir: filepath.Join(dir, "data"), logPath: filepath.Join(dir, "server.log")}
	if err := os.MkdirAll(in.dataDir, 0o700); err != nil {
		return nil, err
	}
	if engine == "postgres" {
		if pg == nil || pg.admin == "" {
			return nil, errors.New("postgres: no server URL (--postgres or ANTQ_TEST_POSTGRES)")
		}
		dsn, err := pg.newDatabase(ctx, prefix)
		if err != nil {
			return nil, err
		}
		in.dsn = dsn
	}
	return in, nil
}

// copyTail returns the last n bytes of a file, for error messages.
func copyTail(path string, n int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > n {
		f.Seek(st.Size()-n, io.SeekStart)
	}
	b, _ := io.ReadAll(f)
	return string(b)
}
