package rules

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"antq"
)

func embeddedRuleSet(t *testing.T, id string) *RuleSet {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.RuleSet(id)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func date(s string) antq.Date { return antq.MustDate(s) }

// Every embedded file loads on its own, not only through Embedded.
func TestEmbeddedFilesLoad(t *testing.T) {
	n := 0
	err := fs.WalkDir(dataFS, "data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		data, _ := dataFS.ReadFile(path)
		if strings.HasPrefix(path, "data/plans/") {
			_, err = LoadPlan(path, data)
		} else {
			_, err = LoadRuleSet(path, data)
		}
		if err != nil {
			t.Errorf("%v", err)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("walked %d files, err %v; want 3 files", n, err)
	}
}

func TestEmbeddedCatalog(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, rs := range c.RuleSets() {
		ids = append(ids, rs.ID)
	}
	if got := strings.Join(ids, ","); got != "qd510-2022,tt124-2021" {
		t.Errorf("rule sets = %s", got)
	}
	if _, err := c.RuleSet("tt23-2012"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown rule set: err = %v, want ErrNotFound", err)
	}
	if _, err := c.Plan("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown plan: err = %v, want ErrNotFound", err)
	}

	p, err := c.Plan("binh-phuoc-2023")
	if err != nil {
		t.Fatal(err)
	}
	if p.Document.Number != "31/KH-UBND" || p.Document.Date != date("2023-02-02") ||
		p.Document.Issuer != "UBND tỉnh Bình Phước" || p.Year != 2023 || p.RootUnit != "70" {
		t.Errorf("plan header = %+v", p.Document)
	}
	if p.Window != (Period{date("2023-01-01"), date("2023-12-31")}) {
		t.Errorf("window = %+v", p.Window)
	}
	if p.GradeReading.Code != ReadingCumulative {
		t.Errorf("reading = %s, want R2", p.GradeReading.Code)
	}
	sets, err := c.RuleSetsOf(p)
	if err != nil || len(sets) != 2 {
		t.Errorf("RuleSetsOf = %v, %v", sets, err)
	}
	wantTargets := []struct {
		ind       Indicator
		share     Ratio
		threshold string
	}{
		{IndicatorRegistration, Ratio{100, 100}, ""},
		{IndicatorRecognition, Ratio{70, 100}, ""},
		{IndicatorPropagandaHouseholds, Ratio{100, 100}, "0.80"},
		{IndicatorPropagandaStaff, Ratio{100, 100}, "0.90"},
		{IndicatorModels, Ratio{100, 100}, ""},
		{IndicatorGradeAverageOrBetter, Ratio{80, 100}, ""},
		{IndicatorGradeGoodOrBetter, Ratio{50, 100}, ""},
		{IndicatorGradeExcellent, Ratio{30, 100}, ""},
	}
	if len(p.Targets) != len(wantTargets) {
		t.Errorf("%d targets, want %d", len(p.Targets), len(wantTargets))
	}
	for _, w := range wantTargets {
		tg, ok := p.Target(w.ind)
		if !ok {
			t.Errorf("no target %s", w.ind)
			continue
		}
		if tg.Share != w.share {
			t.Errorf("%s share = %v, want %v", w.ind, tg.Share, w.share)
		}
		got := ""
		if tg.UnitThreshold != nil {
			got = tg.UnitThreshold.String()
		}
		if got != w.threshold {
			t.Errorf("%s unit threshold = %q, want %q", w.ind, got, w.threshold)
		}
	}
	// The recognition target is the 70 % of the plan: 16/25 misses, 18/25 meets.
	rec, _ := p.Target(IndicatorRecognition)
	if rec.Met(Ratio{16, 25}) || !rec.Met(Ratio{18, 25}) || !rec.Met(Ratio{7, 10}) {
		t.Error("recognition target does not compare exactly")
	}
	ph, _ := p.Target(IndicatorPropagandaHouseholds)
	if ph.UnitMeets(Ratio{79, 100}) || !ph.UnitMeets(Ratio{4, 5}) || !ph.Counts(antq.KindCommune) || ph.Counts(antq.KindSchool) {
		t.Error("propaganda_households per-commune threshold or kinds wrong")
	}
	models, _ := p.Target(IndicatorModels)
	if r, ok := models.ModelRequirement(antq.KindCommune); !ok || len(r.Statuses) != 1 || r.Statuses[0] != ModelNew || !r.Effective {
		t.Errorf("commune model requirement = %+v", r)
	}
	if r, ok := models.ModelRequirement(antq.KindSchool); !ok || len(r.Statuses) != 2 {
		t.Errorf("school model requirement = %+v", r)
	}
	if d, ok := p.Deadline("registration"); !ok || d.On(p.Year) != date("2023-03-31") {
		t.Errorf("registration deadline = %+v", d)
	}
}

// Each call to Embedded returns its own catalog: a plan added to one is not
// in the next.
func TestEmbeddedCatalogsAreIndependent(t *testing.T) {
	data, err := os.ReadFile("testdata/plan-valid.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadPlan("testdata/plan-valid.json", data)
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := Embedded()
	if err := c1.AddPlan(p); err != nil {
		t.Fatal(err)
	}
	if len(c1.Plans()) != 2 {
		t.Errorf("c1 has %d plans, want 2", len(c1.Plans()))
	}
	err = c1.AddPlan(p)
	var le *LoadError
	if !errors.As(err, &le) || le.Path != "id" || le.Reason != `plan "thu-nghiem-2023" is already loaded` || le.Line != 3 {
		t.Errorf("adding the plan twice: %v", err)
	}
	c2, _ := Embedded()
	if len(c2.Plans()) != 1 {
		t.Errorf("c2 has %d plans, want 1", len(c2.Plans()))
	}
}

func TestCriteria(t *testing.T) {
	rs := embeddedRuleSet(t, "tt124-2021")
	for _, tt := range []struct {
		kind antq.UnitKind
		ids  string
	}{
		{antq.KindResidentialArea, "kdc.1 kdc.2 kdc.3 kdc.4 kdc.5"},
		{antq.KindCommune, "xa.1a xa.1b xa.2 xa.3 xa.4"},
		{antq.KindAgency, "cqdn.1a cqdn.1b cqdn.1c cqdn.1d cqdn.2 cqdn.3"},
		{antq.KindEnterprise, "cqdn.1a cqdn.1b cqdn.1c cqdn.1d cqdn.2 cqdn.3"},
		{antq.KindSchool, "csgd.1 csgd.2 csgd.3 csgd.4 csgd.5 csgd.6"},
	} {
		cl, ok := rs.Checklist(tt.kind)
		if !ok {
			t.Errorf("no checklist for %s", tt.kind)
			continue
		}
		var ids []string
		for _, c := range cl.Criteria {
			ids = append(ids, c.ID)
		}
		if got := strings.Join(ids, " "); got != tt.ids {
			t.Errorf("%s criteria = %s, want %s", tt.kind, got, tt.ids)
		}
	}
	if _, ok := rs.Checklist(antq.KindDistrict); ok {
		t.Error("TT 124 has no checklist for districts")
	}
	xa4, _ := rs.Criterion("xa.4")
	if xa4.Kind != CriterionSubordinateRecognition || *xa4.RegistrationMin != (Ratio{100, 100}) ||
		*xa4.RecognitionMin != (Ratio{70, 100}) || !xa4.Verified {
		t.Errorf("xa.4 = %+v", xa4)
	}
	// Unverified facts of the reference are loaded as unverified.
	for id, verified := range map[string]bool{"kdc.1": true, "kdc.3": true, "kdc.4": false, "kdc.5": false, "cqdn.2": false, "csgd.2": false} {
		if c, ok := rs.Criterion(id); !ok || c.Verified != verified {
			t.Errorf("%s verified = %v, want %v", id, c.Verified, verified)
		}
	}
	kdc1, _ := rs.Criterion("kdc.1")
	if kdc1.Deadline.On(2023) != date("2023-03-31") || kdc1.ShareOf != ShareHouseholds {
		t.Errorf("kdc.1 = %+v", kdc1)
	}
}

func TestEligible(t *testing.T) {
	rs := embeddedRuleSet(t, "tt124-2021")
	tests := []struct {
		kind     antq.UnitKind
		flags    []Flag
		ok       bool
		excluded string
	}{
		{antq.KindResidentialArea, nil, true, ""},
		{antq.KindCommune, nil, true, ""},
		{antq.KindAgency, nil, true, ""},
		{antq.KindAgency, []Flag{FlagArmedForces}, false, "excl.armed_forces"},
		{antq.KindEnterprise, []Flag{FlagSmallMicroEnterprise}, false, "excl.small_micro"},
		{antq.KindEnterprise, []Flag{FlagArmedForces}, true, ""}, // the flag excludes agencies only
		{antq.KindSchool, []Flag{FlagPrimaryPreschool}, false, "excl.primary_preschool"},
		{antq.KindSchool, nil, true, ""},
		{antq.KindReligiousOrg, nil, false, ""}, // not a TT 124 unit at all
		{antq.KindDistrict, nil, false, ""},
	}
	for _, tt := range tests {
		ok, ex := rs.Eligible(tt.kind, tt.flags...)
		got := ""
		if ex != nil {
			got = ex.ID
		}
		if ok != tt.ok || got != tt.excluded {
			t.Errorf("Eligible(%s, %v) = %v, %q; want %v, %q", tt.kind, tt.flags, ok, got, tt.ok, tt.excluded)
		}
	}
	// QĐ 510 grades districts, TT 124 does not recognise them.
	if ok, _ := embeddedRuleSet(t, "qd510-2022").Eligible(antq.KindDistrict); !ok {
		t.Error("districts are graded under QĐ 510")
	}
}

func TestWindow(t *testing.T) {
	rs := embeddedRuleSet(t, "tt124-2021")
	tests := []struct {
		kind     antq.UnitKind
		year     int
		from, to string
	}{
		{antq.KindResidentialArea, 2023, "2022-11-01", "2023-10-31"},
		{antq.KindCommune, 2023, "2022-11-16", "2023-11-15"},
		{antq.KindAgency, 2023, "2022-11-16", "2023-11-15"},
		{antq.KindEnterprise, 2024, "2023-11-16", "2024-11-15"},
		{antq.KindSchool, 2023, "2022-11-16", "2023-11-15"},
	}
	for _, tt := range tests {
		w, err := rs.Window(tt.kind, tt.year)
		if err != nil || w.From.String() != tt.from || w.To.String() != tt.to {
			t.Errorf("Window(%s, %d) = %v – %v, %v; want %s – %s", tt.kind, tt.year, w.From, w.To, err, tt.from, tt.to)
		}
	}
	w, _ := rs.Window(antq.KindResidentialArea, 2023)
	if !w.Contains(date("2022-11-01")) || !w.Contains(date("2023-10-31")) || w.Contains(date("2023-11-01")) {
		t.Error("window ends are not inclusive")
	}
	if _, err := rs.Window(antq.KindDistrict, 2023); !errors.Is(err, ErrNotFound) {
		t.Errorf("district window: err = %v, want ErrNotFound", err)
	}
}

func TestAuthority(t *testing.T) {
	rs := embeddedRuleSet(t, "tt124-2021")
	tests := []struct {
		kind, level antq.UnitKind
		on          string
		authority   string
		verified    bool
	}{
		{antq.KindResidentialArea, antq.KindCommune, "2023-10-31", "ubnd_xa", true},
		{antq.KindSchool, antq.KindCommune, "2023-11-15", "ubnd_xa", true},
		{antq.KindCommune, antq.KindDistrict, "2023-11-15", "ubnd_huyen", false},
		{antq.KindCommune, antq.KindDistrict, "2025-06-30", "ubnd_huyen", false},
		{antq.KindCommune, antq.KindDistrict, "2025-07-01", "", false}, // no district level any more
		{antq.KindCommune, antq.KindProvince, "2025-07-01", "ubnd_tinh", false},
		// An organisation still recorded as managed by a district after the
		// districts ended: the province takes the district's role.
		{antq.KindSchool, antq.KindDistrict, "2025-06-30", "ubnd_huyen", false},
		{antq.KindSchool, antq.KindDistrict, "2025-11-15", "ubnd_tinh", false},
		{antq.KindEnterprise, antq.KindDistrict, "2026-11-15", "ubnd_tinh", false},
		{antq.KindCommune, antq.KindProvince, "2023-11-15", "", false},
		{antq.KindEnterprise, antq.KindProvince, "2023-11-15", "ubnd_tinh", false},
		{antq.KindResidentialArea, antq.KindCommune, "2025-11-01", "ubnd_xa", false},
	}
	for _, tt := range tests {
		a, err := rs.Authority(tt.kind, tt.level, date(tt.on))
		if tt.authority == "" {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Authority(%s, %s, %s) = %v, %v; want ErrNotFound", tt.kind, tt.level, tt.on, a, err)
			}
			continue
		}
		if err != nil || a.Authority != tt.authority || a.Verified != tt.verified {
			t.Errorf("Authority(%s, %s, %s) = %+v, %v; want %s verified=%v", tt.kind, tt.level, tt.on, a, err, tt.authority, tt.verified)
		}
	}
}

func TestModelKindsAndIncidents(t *testing.T) {
	rs := embeddedRuleSet(t, "tt124-2021")
	for code, label := range map[string]string{"tu_quan": "Tự quản", "tu_phong": "Tự phòng", "tu_bao_ve": "Tự bảo vệ", "tu_hoa_giai": "Tự hòa giải", "khac": "Khác"} {
		if m, ok := rs.ModelKind(code); !ok || m.Label != label {
			t.Errorf("ModelKind(%s) = %+v", code, m)
		}
	}
	if _, ok := rs.ModelKind("camera"); ok {
		t.Error("unknown model kind found")
	}
	tests := []struct {
		code, criterion string
		veto, verified  bool
	}{
		{"veto.a", "kdc.3", true, false}, // letters a–e are [P] (REFERENCE §2.3)
		{"veto.g", "kdc.3", true, false},
		{"veto.csgd.d", "csgd.4", true, false},
		{"fire_explosion", "kdc.4", false, false},
		{"traffic_accident", "kdc.4", false, false},
	}
	for _, tt := range tests {
		ic, ok := rs.IncidentCategory(tt.code)
		if !ok || ic.Criterion != tt.criterion || ic.Veto != tt.veto || ic.Verified != tt.verified || ic.Label == "" {
			t.Errorf("IncidentCategory(%s) = %+v, %v", tt.code, ic, ok)
		}
	}
	if _, ok := rs.IncidentCategory("kdc.3"); ok {
		t.Error("a criterion id is not an incident category")
	}
	for _, code := range []string{"to_trinh", "bao_cao_ket_qua", "bien_ban_hop", "ban_dang_ky", "bang_tu_danh_gia"} {
		if d, ok := rs.DossierDocument(code); !ok || !d.Required {
			t.Errorf("dossier document %s = %+v", code, d)
		}
	}
}

func TestDeadlines(t *testing.T) {
	rs := embeddedRuleSet(t, "qd510-2022")
	for _, tt := range []struct {
		kind    antq.UnitKind
		due     string
		onTime  string
		tooLate string
	}{
		{antq.KindResidentialArea, "2023-11-20", "2023-11-19", "2023-11-20"},
		{antq.KindCommune, "2023-11-30", "2023-11-29", "2023-11-30"},
		{antq.KindSchool, "2023-11-30", "2023-11-29", "2023-12-01"},
		{antq.KindDistrict, "2023-12-15", "2023-12-14", "2023-12-15"},
	} {
		ds := rs.DeadlinesFor(tt.kind)
		if len(ds) != 1 {
			t.Errorf("%s: %d deadlines, want 1", tt.kind, len(ds))
			continue
		}
		d := ds[0]
		if d.On(2023).String() != tt.due || d.Late(2023, date(tt.onTime)) || !d.Late(2023, date(tt.tooLate)) || !d.Verified {
			t.Errorf("%s deadline %+v: due %s, late(%s)=%v, late(%s)=%v", tt.kind, d, d.On(2023),
				tt.onTime, d.Late(2023, date(tt.onTime)), tt.tooLate, d.Late(2023, date(tt.tooLate)))
		}
	}
	p, _ := mustCatalog(t).Plan("binh-phuoc-2023")
	reg, _ := p.Deadline("registration")
	if reg.Late(2023, date("2023-03-31")) || !reg.Late(2023, date("2023-04-01")) {
		t.Error("registration is due on or before 31/03")
	}
}

func mustCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Writing a loaded file back as JSON and loading it again gives the same
// values: the schema has no field the loader cannot read back.
func TestJSONRoundTrip(t *testing.T) {
	c := mustCatalog(t)
	for _, rs := range c.RuleSets() {
		data, err := json.MarshalIndent(rs, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		back, err := LoadRuleSet(rs.ID+".json", data)
		if err != nil {
			t.Fatalf("%s: %v", rs.ID, err)
		}
		a, b := *rs, *back
		a.src, b.src = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s changed in a JSON round trip", rs.ID)
		}
	}
	for _, p := range c.Plans() {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := LoadPlan(p.ID+".json", data)
		if err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		a, b := *p, *back
		a.src, b.src = nil, nil
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s changed in a JSON round trip", p.ID)
		}
	}
}

// README.md documents every field of the file format.
func TestReadmeDocumentsEveryField(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] || typ == reflect.TypeFor[antq.Date]() || typ == reflect.TypeFor[Ratio]() {
			return
		}
		seen[typ] = true
		for _, f := range reflect.VisibleFields(typ) {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !strings.Contains(string(readme), "`"+name+"`") {
				t.Errorf("README.md does not document %s.%s (`%s`)", typ.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeFor[RuleSet]())
	walk(reflect.TypeFor[Plan]())
}

func TestRelDate(t *testing.T) {
	r := RelDate{YearOffset: -1, Month: 11, Day: 16}
	if got := r.On(2023); got != antq.NewDate(2022, time.November, 16) {
		t.Errorf("On = %v", got)
	}
	for _, tt := range []struct {
		r   RelDate
		bad bool
	}{
		{RelDate{0, 2, 28}, false}, {RelDate{0, 2, 29}, true}, {RelDate{0, 4, 31}, true},
		{RelDate{0, 13, 1}, true}, {RelDate{0, 12, 31}, false}, {RelDate{0, 1, 0}, true},
	} {
		if got := tt.r.check() != ""; got != tt.bad {
			t.Errorf("%+v check = %q", tt.r, tt.r.check())
		}
	}
}

// The verified flags of issue 12 item 7 agree with REFERENCE.md's tags:
// the veto items' letters are [P] (§2.3), the QĐ 510 exclusions are known
// only through Yên Bái's text (§3.1), the plan itself only through the
// province's news item (§0), and the schools' Quý I requirement is as
// unverified in the plan as in the rule set (§2.6).
func TestVerifiedFlagsFollowReference(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tt124, _ := c.RuleSet("tt124-2021")
	qd510, _ := c.RuleSet("qd510-2022")
	plan, _ := c.Plan("binh-phuoc-2023")
	for _, code := range []string{"veto.a", "veto.b", "veto.c", "veto.d", "veto.dd", "veto.e", "veto.g"} {
		if ic, ok := tt124.IncidentCategory(code); !ok || ic.Verified {
			t.Errorf("%s verified = %v (found %v), want false", code, ic.Verified, ok)
		}
	}
	if cr, ok := tt124.Criterion("kdc.3"); !ok || !cr.Verified {
		t.Error("kdc.3 itself (no listed event occurs) is [V]")
	}
	for _, e := range qd510.Exclusions {
		if e.Verified {
			t.Errorf("QĐ 510 exclusion %s verified, want false (known through a provincial text)", e.ID)
		}
	}
	for _, e := range tt124.Exclusions {
		if !e.Verified {
			t.Errorf("TT 124 exclusion %s unverified, want true (§2.1 [V])", e.ID)
		}
	}
	if plan.Document.Verified {
		t.Error("plan document verified, want false (known from the news item only)")
	}
	csgd, _ := tt124.Criterion("csgd.1")
	for _, d := range plan.Deadlines {
		for _, k := range d.UnitKinds {
			if k == antq.KindSchool && strings.HasPrefix(d.ID, "registration") && d.Verified != csgd.Verified {
				t.Errorf("plan deadline %s for schools verified %v, rule set csgd.1 %v", d.ID, d.Verified, csgd.Verified)
			}
		}
	}
}

// Units managed by the centre compete in the province's plan (seed "Đối
// tượng thi đua") and find a deciding authority — unverified.
func TestCentreManagedAuthority(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := c.RuleSet("tt124-2021")
	for _, kind := range []antq.UnitKind{antq.KindAgency, antq.KindEnterprise, antq.KindSchool} {
		a, err := rs.Authority(kind, antq.KindNation, antq.MustDate("2023-11-15"))
		if err != nil || a.Authority != "ubnd_tinh" || a.Verified {
			t.Errorf("%s managed by the centre: %+v, %v; want ubnd_tinh, unverified", kind, a, err)
		}
	}
}
