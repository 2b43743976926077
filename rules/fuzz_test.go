package rules_test

// Fuzz targets for the rule-set and plan loaders (test plan T7): a file is
// either loaded and valid, or refused with load errors naming the file —
// never a panic, never a half-checked value.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"antq/internal/fuzzstat"
	"antq/rules"
)

// addFiles seeds f with the embedded data and the test files whose names
// start with prefix.
func addFiles(f *testing.F, prefix string, dirs ...string) {
	for _, dir := range dirs {
		names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, n := range names {
			if !strings.HasPrefix(filepath.Base(n), prefix) && dir == "testdata" {
				continue
			}
			b, err := os.ReadFile(n)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

func checkLoaded(t *testing.T, err error, valid func() error) {
	t.Helper()
	if err != nil {
		var le rules.LoadErrors
		if !errors.As(err, &le) || len(le) == 0 {
			t.Fatalf("error %T %v is not a list of load errors", err, err)
		}
		if !strings.Contains(err.Error(), "fuzz.json") {
			t.Fatalf("error %q does not name the file", err)
		}
		return
	}
	if err := valid(); err != nil {
		t.Fatalf("loaded, but does not validate: %v", err)
	}
}

func FuzzLoadRuleSet(f *testing.F) {
	addFiles(f, "ruleset-", "data", "testdata")
	f.Add([]byte(`{"format":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzstat.Count("FuzzLoadRuleSet")
		rs, err := rules.LoadRuleSet("fuzz.json", data)
		checkLoaded(t, err, func() error { return rs.Validate() })
	})
}

func FuzzLoadPlan(f *testing.F) {
	addFiles(f, "plan-", "data/plans", "testdata")
	f.Add([]byte(`{"format":1,"id":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzstat.Count("FuzzLoadPlan")
		p, err := rules.LoadPlan("fuzz.json", data)
		checkLoaded(t, err, func() error { return p.Validate() })
	})
}
