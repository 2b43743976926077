package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"antq"
	"antq/store"
	"antq/unitfile"
	"antq/yearend"
)

// Today's Đồng Nai in the demo (`make run`): above the history of Bình
// Phước 2023, the 2025 reform applied through the reorganisation path,
// Thành phố Đồng Nai with its 95 communes of units-2026.csv, generated
// residential areas and organisations, the demo plan of 2026 and the facts
// of the year in progress.

const (
	// DemoNationCode is the root of `make run`: the nation above Bình
	// Phước (history) and Đồng Nai (today), so that its admin sees both.
	DemoNationCode = "VN"
	// TodayPlanID is the 2026 demo plan of Thành phố Đồng Nai.
	TodayPlanID = "dong-nai-2026"
	// TodayCode is today's province of the demo.
	TodayCode = dongNaiCode
	// TodayYearEndCommune is the commune whose year-end is under way in
	// the 2026 demo: Phường Đồng Xoài.
	TodayYearEndCommune = "25210"

	todayPlanFile = "demo/data/plans/dong-nai-2026.json"
	todaySource   = "demo/dong-nai-2026"
)

//go:embed data/plans/dong-nai-2026.json
var todayPlanJSON []byte

// TodayPlan returns the 2026 demo plan file.
func TodayPlan() []byte { return slices.Clone(todayPlanJSON) }

// LoadUnitsUnderNation is LoadUnits with Bình Phước hung under the nation
// unit DemoNationCode (in force from BinhPhuocFrom, open-ended), so that a
// root account sees the old province and, once LoadToday has run, the new
// one. It reports whether it loaded them.
func LoadUnitsUnderNation(ctx context.Context, db *store.DB) (bool, error) {
	return loadBinhPhuoc(ctx, db, underNation)
}

// underNation puts the nation unit first and hangs the province under it.
func underNation(recs []antq.UnitRecord) []antq.UnitRecord {
	nation := antq.UnitRecord{Row: 1, Unit: antq.Unit{Code: DemoNationCode, Kind: antq.KindNation, Name: "Việt Nam", Type: "Quốc gia", ValidFrom: BinhPhuocFrom}}
	for i := range recs {
		if recs[i].Unit.Code == RootCode {
			recs[i].Unit.ParentCode = DemoNationCode
		}
		recs[i].Row++
	}
	return append([]antq.UnitRecord{nation}, recs...)
}

// TodayResult says what LoadToday did.
type TodayResult struct {
	Reform      *store.ReorgResult // the 2025 reform of Bình Phước
	Units       int                // units imported for Đồng Nai
	Changes2026 *store.ReorgResult
	Facts       *store.BulkFactsResult
	YearEnd     YearEndResult
	Duration    time.Duration
}

// LoadToday builds today's Đồng Nai over the demo's Bình Phước (LoadUnits
// or LoadUnitsUnderNation first): the 2025 reform (LoadReform); the 55
// communes of the new Đồng Nai that did not come from Bình Phước, in force
// from 01/07/2025; residential areas and organisations for all 95 communes
// generated as for Bình Phước, the communes' households their areas' sum;
// the changes of 30/04/2026 (Thành phố Đồng Nai, 10 communes become
// phường) through the reorganisation file path; the plan TodayPlanID; the
// facts of 2026 so far (bulk, as facts of record) and the year-end of
// Phường Đồng Xoài's residential areas under way. It does nothing when the
// plan is there already; ctx must carry a root user.
func LoadToday(ctx context.Context, db *store.DB) (*TodayResult, bool, error) {
	start := time.Now()
	if _, _, err := db.Plan(ctx, TodayPlanID); err == nil {
		return nil, false, nil
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return nil, false, err
	}
	res := &TodayResult{}
	var err error
	if res.Reform, _, err = LoadReform(ctx, db); err != nil {
		return nil, false, fmt.Errorf("demo reform 2025: %w", err)
	}
	if res.Units, err = loadDongNaiUnits(ctx, db); err != nil {
		return nil, false, fmt.Errorf("demo Đồng Nai units: %w", err)
	}
	rows, err := Changes2026()
	if err != nil {
		return nil, false, err
	}
	if res.Changes2026, err = reorganiseThroughFile(ctx, db, "demo/changes-2026-dong-nai.csv", rows); err != nil {
		return nil, false, fmt.Errorf("demo changes 2026: %w", err)
	}
	if _, err := db.LoadPlan(ctx, todayPlanFile, todayPlanJSON); err != nil {
		return nil, false, fmt.Errorf("demo plan 2026: %w", err)
	}
	units, err := db.PlanTreeUnits(ctx, TodayPlanID)
	if err != nil {
		return nil, false, err
	}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	res.Facts, err = db.BulkFacts(ctx, TodayPlanID, todaySource, func(l *store.FactLoader) error {
		g := &factGen{p: &todayFacts, rng: rand.New(rand.NewPCG(2026, 75)), sink: l}
		for _, u := range units {
			viaDossier := u.Code == TodayYearEndCommune || parent[u.Code] == TodayYearEndCommune
			if err := g.unit(&antq.Unit{Code: u.Code, Kind: u.Kind, Flags: u.Flags, Size: u.Size}, viaDossier); err != nil {
				return fmt.Errorf("%s: %w", u.Code, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("demo facts 2026: %w", err)
	}
	if _, err := db.Rebuild(ctx, TodayPlanID); err != nil {
		return nil, false, err
	}
	if res.YearEnd, _, err = loadYearEnd(ctx, db, TodayPlanID, 2026, rand.New(rand.NewPCG(2026, 11)), func(parent map[string]string, code string) bool {
		return parent[code] == TodayYearEndCommune
	}); err != nil {
		return nil, false, err
	}
	res.Duration = time.Since(start)
	return res, true, nil
}

// reorganiseThroughFile writes rows as a reorganisation file, reads it
// back as `antq units reorganise` does, and applies it.
func reorganiseThroughFile(ctx context.Context, db *store.DB, name string, rows []antq.ReorgRow) (*store.ReorgResult, error) {
	var file bytes.Buffer
	if err := WriteReorgCSV(&file, rows); err != nil {
		return nil, err
	}
	read, err := unitfile.ReadReorganisation(name, &file)
	if err != nil {
		return nil, err
	}
	res, err := db.Reorganise(ctx, name, read)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// loadDongNaiUnits imports, valid from 01/07/2025, the communes of the new
// Đồng Nai the reform did not create (their predecessors, in the former
// Đồng Nai, are not in the demo), and under every commune and the province
// the generated units; the communes created by the reform get their
// households as a dated size.
func loadDongNaiUnits(ctx context.Context, db *store.DB) (int, error) {
	recs, err := Units2025()
	if err != nil {
		return 0, err
	}
	g := &generator{rng: rand.New(rand.NewPCG(2026, 75)), from: ReformDate, era: "2025"}
	var sizes []store.UnitSizeRecord
	var communes []antq.Unit
	for _, r := range recs {
		if r.Unit.Kind == antq.KindCommune && r.Unit.ParentCode == dongNaiCode {
			communes = append(communes, r.Unit)
		}
	}
	if len(communes) != 95 {
		return 0, fmt.Errorf("demo: units-2025.csv has %d communes of Đồng Nai, not 95", len(communes))
	}
	for _, c := range communes {
		_, err := db.FindUnitByCode(ctx, c.Code, ReformDate)
		created := err == nil
		if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
			return 0, err
		}
		if !created {
			c.ValidFrom, c.ValidTo = ReformDate, antq.Date{}
			g.row++
			g.recs = append(g.recs, antq.UnitRecord{Row: g.row, Unit: c})
		}
		ci := len(g.recs) - 1
		hh := g.residentialAreas(c)
		if created {
			sizes = append(sizes, store.UnitSizeRecord{Row: len(sizes) + 1, Code: c.Code, Size: antq.UnitSize{AsOf: ReformDate, Households: &hh}})
		} else {
			g.recs[ci].Unit.Size = antq.UnitSize{AsOf: ReformDate, Households: &hh}
		}
		g.communeOrgs(c, "")
	}
	g.todayProvinceOrgs(dongNaiCode)
	if _, err := db.ImportUnits(ctx, todaySource, g.recs); err != nil {
		return 0, err
	}
	if err := db.RecordUnitSizes(ctx, todaySource+"/sizes", sizes); err != nil {
		return 0, err
	}
	return len(g.recs), nil
}

// todayProvinceOrgs adds the province's departments (after the 2025
// mergers of departments), enterprises and upper-secondary schools.
func (g *generator) todayProvinceOrgs(code string) {
	for i, d := range nationDepartments {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-CQ%03d", code, i+1), Kind: antq.KindAgency, Name: d + " tỉnh Đồng Nai", Type: "Cơ quan cấp tỉnh",
			ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(40, 600))}})
	}
	used := map[string]bool{}
	for i := range g.between(30, 40) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-DN%03d", code, i+1), Kind: antq.KindEnterprise, Name: g.firmName(used),
			Type: "Doanh nghiệp", ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(100, 2500))}})
	}
	names := g.rng.Perm(len(schoolNames))
	for i := range 16 {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-TR%03d", code, i+1), Kind: antq.KindSchool, Name: fmt.Sprintf("Trường THPT %s %d", schoolNames[names[i]], i/len(schoolNames)+1),
			Type: "Trung học phổ thông", ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(50, 110)), Pupils: count(g.between(700, 1800))}})
	}
}

// todayFacts are the 2026 facts so far (the demo's today is December
// 2026): registrations of the first quarter, propaganda reported in
// October, models, and the year-end under way — about half of the
// recognitions and grades decided in November.
var todayFacts = func() factProfile {
	p := binhPhuocYear(2026)
	p.registered, p.late = 0.95, 0.05
	p.lateOn.to = antq.NewDate(2026, 5, 29)
	p.areas.share, p.areas.reach, p.areas.low = 0.9, [2]float64{0.72, 0.28}, 0.1
	p.areas.asOf = oneDay(antq.NewDate(2026, 10, 26))
	p.communeNew, p.orgModel = 0.88, 0.84
	p.decided, p.graded = 0.55, 0.5
	return p
}()

// Counts are the dossiers by state, for messages.
func (r YearEndResult) Counts() (decided, reviewed, submitted, draft int) {
	return r[yearend.Decided], r[yearend.Reviewed], r[yearend.Submitted], r[yearend.Draft]
}
