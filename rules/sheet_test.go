package rules_test

import (
	"strings"
	"testing"

	"antq/rules"
)

func TestEmbeddedSheets(t *testing.T) {
	sheets, err := rules.EmbeddedSheets()
	if err != nil {
		t.Fatal(err)
	}
	c, err := rules.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(sheets) < 2 {
		t.Fatalf("%d embedded sheets, want the cụm and khối sheets", len(sheets))
	}
	for _, s := range sheets {
		if err := s.CheckPlan(c); err != nil {
			t.Error(err)
		}
		if s.Verified() {
			t.Errorf("%s: marked verified, but QĐ 700/QĐ-UBND's table was not retrieved", s.ID)
		}
		if s.Max() != 1050 {
			t.Errorf("%s: max %s, want 100 + 5 bonus", s.ID, s.Max())
		}
	}
}

func TestLoadSheetErrors(t *testing.T) {
	_, body, err := rules.EmbeddedSheet("binh-phuoc-cum-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"target": "0.70"`, `"target": "1.70"`, "groups[0].criteria[1].target"},
		{`{"from": "0.95", "points": 3.5}`, `{"from": "0.85", "points": 3.5}`, "ascending"},
		{`"kind": "vote"`, `"kind": "coin"`, "tie-break kind"},
		{`"max": 15`, `"max": 15.25`, "decimal point"},
	} {
		bad := strings.Replace(string(body), c.from, c.to, 1)
		_, err := rules.LoadSheet("sheet.json", []byte(bad))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "sheet.json:") {
			t.Errorf("%s → %s: got %v, want an error with %q", c.from, c.to, err, c.want)
		}
	}
}
