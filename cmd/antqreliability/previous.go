package main

// The previous schema version, for the upgrade drill: the newest commit of
// the repository whose migrations are a strict prefix of the working
// tree's (same files, fewer of them), built from its own sources. A
// commit whose migrations are not a prefix — a file renamed or renumbered
// since — is no ancestor an installation can upgrade from, and is skipped
// (and reported).

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

type previousBuild struct {
	bin     string
	commit  string
	version int      // its schema version
	skipped []string // commits with a migration history this one cannot follow
}

// migrationNames lists the SQLite migrations (the PostgreSQL folder has
// the same names).
func migrationNames(names []string) []string {
	var out []string
	for _, n := range names {
		if n = filepath.Base(n); strings.HasSuffix(n, ".sql") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func git(ctx context.Context, repo string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "git", append([]string{"-C", repo}, args...)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, ee.Stderr)
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// buildPrevious finds and builds the previous schema version of the
// repository at repo into dir.
func buildPrevious(ctx context.Context, repo, dir string) (*previousBuild, error) {
	entries, err := os.ReadDir(filepath.Join(repo, "store", "migrations", "sqlite"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	current := migrationNames(names)
	log, err := git(ctx, repo, "log", "--format=%H", "--", "store/migrations/sqlite")
	if err != nil {
		return nil, err
	}
	p := &previousBuild{}
	newer := ""
	for _, c := range strings.Fields(log) {
		tree, err := git(ctx, repo, "ls-tree", "--name-only", c, "store/migrations/sqlite/")
		if err != nil {
			return nil, err
		}
		set := migrationNames(strings.Fields(tree))
		switch {
		case len(set) < len(current) && slices.Equal(set, current[:len(set)]) && newer != "":
			// The last commit with this set is the one before the next
			// change — in a line of commits. Where a branch that changed
			// the migrations was merged, the next change's parent may hold
			// another set (the branch's base): then the commit that made
			// this set is the one to build.
			if p.commit, err = git(ctx, repo, "rev-parse", newer+"^"); err != nil {
				return nil, err
			}
			p.commit = strings.TrimSpace(p.commit)
			before, err := git(ctx, repo, "ls-tree", "--name-only", p.commit, "store/migrations/sqlite/")
			if err != nil {
				return nil, err
			}
			if !slices.Equal(migrationNames(strings.Fields(before)), set) {
				p.commit = c
			}
			if p.version, err = strconv.Atoi(strings.SplitN(set[len(set)-1], "_", 2)[0]); err != nil {
				return nil, fmt.Errorf("migration %s: %w", set[len(set)-1], err)
			}
			return p, p.build(ctx, repo, dir)
		case !slices.Equal(set, current[:min(len(set), len(current))]):
			p.skipped = append(p.skipped, fmt.Sprintf("%.10s (%s)", c, strings.Join(set, " ")))
		}
		newer = c
	}
	return nil, errors.New("no earlier commit with a prefix of the current migrations")
}

// build extracts the commit's tree (git archive) and builds its antq.
func (p *previousBuild) build(ctx context.Context, repo, dir string) error {
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o700); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "git", "-C", repo, "archive", "--format=tar", p.commit)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := untar(out, src); err != nil {
		cmd.Wait()
		return err
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w", p.commit, err)
	}
	p.bin = filepath.Join(dir, "antq-previous")
	b := exec.CommandContext(ctx, "go", "build", "-o", p.bin, "./cmd/antq")
	b.Dir = src
	b.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := b.CombinedOutput(); err != nil {
		return fmt.Errorf("build antq at %s: %v\n%s", p.commit, err, out)
	}
	return nil
}

func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		name := filepath.Join(dst, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, filepath.Clean(dst)+string(os.PathSeparator)) {
			return fmt.Errorf("archive entry %q outside the directory", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o755|0o600)
			if err != nil {
				return err
			}
			if _, err := io.Copy(f, tr); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
	}
}
