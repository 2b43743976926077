// Command vulndb keeps the offline snapshot of the Go vulnerability
// database that make vulncheck gives govulncheck (-db): the OSV entries
// that concern this module's dependency graph (go list -m all), the
// standard library and the toolchain, one file per entry (govulncheck
// indexes such a flat directory itself). ANTQ is built and checked on
// networks without access to vuln.go.dev (a police network, this CI), so
// the snapshot is kept in the repository and refreshed where the database
// can be reached.
//
//	go run ./tools/vulndb -osv DIR      refresh from a directory of OSV entries
//	                                    (data/osv of a golang/vulndb checkout)
//	go run ./tools/vulndb -check        fail if a module of the graph is not covered
//	                                    by the snapshot (a new dependency: refresh)
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const (
	dir      = "tools/vulndb/osv"
	manifest = "tools/vulndb/SNAPSHOT"
)

func main() {
	from := flag.String("osv", "", "directory of OSV entries (GO-*.json) to refresh the snapshot from")
	source := flag.String("source", "", "where the entries come from, recorded in the manifest (e.g. golang/vulndb@<commit>, <date>)")
	check := flag.Bool("check", false, "check that the snapshot covers every module of the graph")
	flag.Parse()
	var err error
	switch {
	case *check:
		err = checkCoverage()
	case *from != "":
		err = refresh(*from, *source)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

// modules lists the module paths of the graph, without versions.
func modules() ([]string, error) {
	out, err := exec.Command("go", "list", "-m", "all").Output()
	if err != nil {
		return nil, fmt.Errorf("go list -m all: %w", err)
	}
	var mods []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			mods = append(mods, f[0])
		}
	}
	slices.Sort(mods)
	return slices.Compact(mods), nil
}

type entry struct {
	ID       string     `json:"id"`
	Affected []affected `json:"affected"`
}

type affected struct {
	Package struct {
		Name string `json:"name"`
	} `json:"package"`
}

func refresh(from, source string) error {
	mods, err := modules()
	if err != nil {
		return err
	}
	want := map[string]bool{"stdlib": true, "toolchain": true}
	for _, m := range mods {
		want[m] = true
	}
	files, err := filepath.Glob(filepath.Join(from, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no OSV entries in %s", from)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	kept := 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(body, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || filepath.Base(f) != e.ID+".json" {
			return fmt.Errorf("%s: not an OSV entry named by its id", f)
		}
		if !slices.ContainsFunc(e.Affected, func(a affected) bool { return want[a.Package.Name] }) {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, e.ID+".json"), body, 0o644); err != nil {
			return err
		}
		kept++
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Offline snapshot of the Go vulnerability database (OSV entries, CC-BY-4.0,\n")
	fmt.Fprintf(&b, "# https://go.dev/security/vuln/database), pruned to this module's graph.\n")
	fmt.Fprintf(&b, "# Refreshed with: go run ./tools/vulndb -osv DIR -source '…'\n")
	fmt.Fprintf(&b, "source: %s\n", source)
	fmt.Fprintf(&b, "pruned: %s\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(&b, "entries: %d of %d\n", kept, len(files))
	fmt.Fprintf(&b, "modules:\n")
	for _, m := range mods {
		fmt.Fprintf(&b, "  %s\n", m)
	}
	if err := os.WriteFile(manifest, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("kept %d of %d entries for %d modules, stdlib and toolchain\n", kept, len(files), len(mods))
	return nil
}

// checkCoverage fails when the graph has a module the snapshot was not
// pruned for (its entries would be missing, and govulncheck silent).
func checkCoverage() error {
	f, err := os.Open(manifest)
	if err != nil {
		return err
	}
	defer f.Close()
	covered := map[string]bool{}
	var source, pruned string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "  "):
			covered[strings.TrimSpace(line)] = true
		case strings.HasPrefix(line, "source: "):
			source = strings.TrimPrefix(line, "source: ")
		case strings.HasPrefix(line, "pruned: "):
			pruned = strings.TrimPrefix(line, "pruned: ")
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	mods, err := modules()
	if err != nil {
		return err
	}
	var missing []string
	for _, m := range mods {
		if !covered[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return errors.New("the vulnerability snapshot does not cover " + strings.Join(missing, ", ") +
			": refresh it (go run ./tools/vulndb -osv DIR, see tools/vulndb/README.md)")
	}
	fmt.Printf("vulnerability database: offline snapshot %s, pruned %s, covers all %d modules\n", source, pruned, len(mods))
	return nil
}
