package yearend_test

import (
	"testing"

	"antq/rules"
)

func loadSets(t *testing.T) []*rules.RuleSet {
	t.Helper()
	c, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	sets, err := c.RuleSetsOf(p)
	if err != nil {
		t.Fatal(err)
	}
	return sets
}
