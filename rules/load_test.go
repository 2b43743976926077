package rules

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// loadFixture loads testdata/name as a rule set or, for "plan-" files, as a
// plan added to the embedded catalog (which checks its references).
func loadFixture(t *testing.T, name string) error {
	t.Helper()
	file := "testdata/" + name
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "plan-") {
		_, err := LoadRuleSet(file, data)
		return err
	}
	p, err := LoadPlan(file, data)
	if err != nil {
		return err
	}
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c.AddPlan(p)
}

func TestValidFixturesLoad(t *testing.T) {
	for _, name := range []string{"ruleset-valid.json", "plan-valid.json"} {
		if err := loadFixture(t, name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Each broken fixture differs from a valid one in one place and must give
// exactly one error, at that place.
func TestBrokenFixtures(t *testing.T) {
	tests := []struct {
		file         string
		line, column int
		path, field  string
		reason       string
	}{
		{"ruleset-syntax.json", 15, 126, "checklists[0].criteria[0]", "criteria",
			`invalid JSON: invalid character '"' after object key:value pair`},
		{"ruleset-wrong-type.json", 16, 116, "checklists[0].criteria[1].verified", "verified",
			"want a boolean, got a string"},
		{"ruleset-unknown-field.json", 16, 134, "checklists[0].criteria[1].weight", "weight",
			`unknown field "weight"`},
		{"ruleset-unknown-kind.json", 11, 22, "checklists[0].unit_kinds[0]", "unit_kinds",
			`unknown unit kind "hamlet" (want one of: nation, province, district, commune, residential_area, agency, enterprise, school, religious_org, socio_political_org, commune_police, security_team, street_protection_board)`},
		{"ruleset-duplicate-id.json", 16, 10, "checklists[0].criteria[1].id", "id",
			`duplicate id "kdc.1" (first used at line 15)`},
		{"ruleset-missing-field.json", 16, 9, "checklists[0].criteria[1].ref", "ref",
			`missing required field "ref"`},
		{"ruleset-kind-field.json", 16, 134, "checklists[0].criteria[1].min_models", "min_models",
			"min_models is only allowed when kind is model (kind is manual)"},
		{"ruleset-rubric-total.json", 29, 7, "rubrics[0].items", "items",
			"items total 99.5 points, want 100.0"},
		{"ruleset-points-decimals.json", 31, 47, "rubrics[0].items[1].max_points", "max_points",
			"39.95 has more than one digit after the decimal point"},
		{"ruleset-bands-overlap.json", 37, 38, "grade_bands[1].min_points", "min_points",
			"min_points 90.0 is not below 90.0 of the band above (xuat_sac): bands overlap or are out of order"},
		{"ruleset-bands-order.json", 37, 6, "grade_bands[1].grade", "grade",
			`bands must run from the best grade down: "xuat_sac" after "kha"`},
		{"ruleset-bad-date.json", 6, 3, "valid_from", "valid_from",
			`invalid date "2022-02-30": day 30 out of range for 2022-02`},
		{"ruleset-window-inverted.json", 21, 95, "windows[0].end", "end",
			"window ends (31/10 of the year before) before it starts (01/11 of the year before)"},
		{"plan-target-range.json", 13, 103, "targets[1].share", "share",
			"1.20 is outside [0, 1]"},
		{"plan-unknown-indicator.json", 15, 6, "targets[3].indicator", "indicator",
			`unknown indicator "arrests" (want one of: registration, recognition, propaganda_households, propaganda_staff, models, grade_average_or_better, grade_good_or_better, grade_excellent)`},
		{"plan-threshold-missing.json", 14, 5, "targets[2].unit_threshold", "unit_threshold",
			`missing required field "unit_threshold" (indicator propaganda_households)`},
		{"plan-window-inverted.json", 9, 36, "window.to", "to",
			"window ends (2022-12-31) before it starts (2023-01-01)"},
		{"plan-unknown-ruleset.json", 8, 31, "rule_sets[1]", "rule_sets",
			`unknown rule set "tt999-2030" (known: qd510-2022, tt124-2021)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			err := loadFixture(t, tt.file)
			var errs LoadErrors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v (%T), want LoadErrors", err, err)
			}
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1:\n%v", len(errs), err)
			}
			e := errs[0]
			want := LoadError{File: "testdata/" + tt.file, Line: tt.line, Column: tt.column,
				Path: tt.path, Field: tt.field, Reason: tt.reason}
			if *e != want {
				t.Errorf("got  %#v\nwant %#v", *e, want)
			}
		})
	}
}

// A plan whose grade targets no rubric of its rule sets covers is rejected at
// each unit kind.
func TestPlanWithoutRubric(t *testing.T) {
	err := loadFixture(t, "plan-no-rubric.json")
	var errs LoadErrors
	if !errors.As(err, &errs) || len(errs) != 2 {
		t.Fatalf("got %v, want 2 errors", err)
	}
	for i, kind := range []string{"residential_area", "commune"} {
		if errs[i].Line != 15 || errs[i].Path != "targets[3].unit_kinds["+string(rune('0'+i))+"]" ||
			errs[i].Reason != `no rule set of the plan has a rubric for unit kind "`+kind+`"` {
			t.Errorf("error %d: %v", i, errs[i])
		}
	}
}

func TestLoadErrorsInline(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // Error() of each problem, in order
	}{
		{"empty", "", []string{"x.json:1:1: invalid JSON: unexpected end of JSON input"}},
		{"truncated", "{\n  \"format\": 1,\n", []string{"x.json:2:15: invalid JSON: unexpected end of JSON input"}},
		{"trailing data", `{"format": 1} {}`, []string{"x.json:1:15: invalid JSON: invalid character '{' after top-level value"}},
		{"not an object", `[1]`, []string{"x.json:1:1: want an object, got an array"}},
		{"duplicate key", "{\n\"format\": 1,\n\"format\": 1\n}", []string{`x.json:3:1: format: duplicate key "format" (first at line 2)`}},
		{"several problems, in file order", "{\n\"id\": \"Bad Id\",\n\"format\": 2,\n\"colour\": 1\n}", []string{
			`x.json:1:1: title: missing required field "title"`,
			`x.json:1:1: source: missing required field "source"`,
			`x.json:1:1: valid_from: missing required field "valid_from"`,
			`x.json:4:1: colour: unknown field "colour"`,
		}},
		{"validation after decoding", "{\"format\": 2, \"id\": \"Bad Id\", \"title\": \"t\", \"valid_from\": \"2022-01-01\",\n" +
			"\"source\": {\"number\": \"1\", \"type\": \"t\", \"title\": \"t\", \"date\": \"2022-01-01\", \"issuer\": \"i\", \"verified\": true}}", []string{
			"x.json:1:1: a rule set needs at least one checklist or rubric",
			"x.json:1:2: format: unsupported format 2 (want 1)",
			`x.json:1:15: id: invalid id "Bad Id": use lower-case letters, digits and single '.', '_' or '-' between them`,
		}},
		{"integer wanted", `{"format": 1.5, "id": "x", "title": "t", "valid_from": "2022-01-01", "source": {}}`, []string{
			"x.json:1:2: format: want an integer, got 1.5",
			`x.json:1:80: source.number: missing required field "number"`,
			`x.json:1:80: source.type: missing required field "type"`,
			`x.json:1:80: source.title: missing required field "title"`,
			`x.json:1:80: source.date: missing required field "date"`,
			`x.json:1:80: source.issuer: missing required field "issuer"`,
			`x.json:1:80: source.verified: missing required field "verified"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRuleSet("x.json", []byte(tt.data))
			var errs LoadErrors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want LoadErrors", err)
			}
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			var first *LoadError
			if !errors.As(err, &first) || first != errs[0] {
				t.Errorf("errors.As(*LoadError) = %v, want the first problem", first)
			}
		})
	}
}

func TestLoadErrorString(t *testing.T) {
	e := &LoadError{File: "a.json", Line: 3, Column: 7, Path: "targets[0].share", Field: "share", Reason: "bad"}
	if got, want := e.Error(), "a.json:3:7: targets[0].share: bad"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e = &LoadError{Reason: "bad"}
	if got, want := e.Error(), "<input>: bad"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
