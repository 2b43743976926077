package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"antq"
	"antq/store"
)

// PlanID is the demo's plan: Kế hoạch 31/KH-UBND of Bình Phước, 2023.
const PlanID = "binh-phuoc-2023"

// FactsResult counts what LoadFacts recorded.
type FactsResult struct {
	Registrations, Propaganda, Models, Incidents, Recognitions, Grades int
}

// LoadFacts records plausible 2023 facts for the demo province through the
// same validated, audited store calls as the API: most but not all units
// registered, some communes below 80 % of households, some organisations
// below 90 % of staff, models in most communes, recognitions and grades
// spread so that some targets are met and some are not. It is deterministic
// and does nothing if the plan already has facts.
func LoadFacts(ctx context.Context, db *store.DB) (*FactsResult, bool, error) {
	units, err := db.PlanTreeUnits(ctx, PlanID)
	if err != nil {
		return nil, false, err
	}
	if n, err := db.FactCount(ctx, PlanID); err != nil || n > 0 {
		return nil, false, err
	}
	res := &FactsResult{}
	g := &factGen{p: &bpFacts, rng: rand.New(rand.NewPCG(31, 2023)), sink: &storeSink{ctx: ctx, db: db, res: res}}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	for _, u := range units {
		// Units of YearEndDistrict get their results through year-end
		// dossiers (LoadYearEnd), not by direct entry.
		viaDossier := parent[u.Code] == YearEndDistrict || parent[parent[u.Code]] == YearEndDistrict
		if err := g.unit(&antq.Unit{Code: u.Code, Kind: u.Kind, Flags: u.Flags, Size: u.Size}, viaDossier); err != nil {
			return res, false, fmt.Errorf("demo facts for %s: %w", u.Code, err)
		}
	}
	return res, true, nil
}

// YearEndDistrict is the district whose year-end is in progress in the
// demo: Thành phố Đồng Xoài.
const YearEndDistrict = "689"

// bpFacts are the 2023 facts of the demo province.
var bpFacts = func() factProfile {
	p := binhPhuocYear(2023)
	p.registered, p.late = 0.94, 0.08
	p.areas.share, p.areas.reach, p.areas.low = 0.88, [2]float64{0.70, 0.30}, 0.12
	p.areas.asOf = oneDay(antq.NewDate(2023, 10, 25))
	p.communeNew, p.orgModel = 0.86, 0.82
	p.vetoed, p.vetoedOn = 0.02, days{antq.NewDate(2023, 2, 1), antq.NewDate(2023, 9, 30)}
	p.decided, p.graded = 0.93, 0.9
	return p
}()

// binhPhuocYear is what every year of the demo province's facts shares:
// its calendar (registrations in the first quarter, late ones to the end of
// May, propaganda reported from late October, recognitions decided in
// November), its documents and the shares that do not change from year to
// year. The profiles of the years set the rest.
func binhPhuocYear(year int) factProfile {
	on := func(month time.Month, day int) antq.Date { return antq.NewDate(year, month, day) }
	return factProfile{
		registeredOn: days{on(1, 5), on(3, 31)},
		lateOn:       days{on(4, 1), on(5, 31)},
		registration: docs{share: 1, numbers: numbered("%02d/ĐK", 1, 1, 40),
			title: fmt.Sprintf("Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm %d", year)},

		areas: coverage{doc: docs{share: 1, numbers: numbered("%02d/BC-KDC", 1, 1, 30), title: "Báo cáo kết quả tuyên truyền"}},
		communes: coverage{share: 0.2, reach: [2]float64{0.72, 0.28}, asOf: oneDay(on(11, 4)),
			doc: docs{share: 1, numbers: numbered("%02d/BC-CAX", 1, 1, 60), title: fmt.Sprintf("Báo cáo kết quả tuyên truyền năm %d", year)}},
		organisations: coverage{share: 0.9, reach: [2]float64{0.88, 0.12}, asOf: oneDay(on(11, 9))},

		communeNewEffective: 0.95, communeConsolidated: 0.6,
		orgModelNew: 0.4, orgModelEffective: 0.92, modelAssessed: on(10, 20),
		areaMaintained:  0.3,
		newModelStarted: days{on(1, 10), on(9, 30)},
		oldModelStarted: days{antq.NewDate(2018, 1, 1), antq.NewDate(year-1, 10, 31)},

		areasDecided:      days{on(11, 10), on(11, 17)},
		othersDecided:     days{on(11, 20), on(11, 28)},
		areasDecidedFirst: true,
		recognised:        0.8,
		decision: docs{share: 1, numbers: numbered("%d/QĐ-UBND", 100, 1, 800),
			title: fmt.Sprintf("Quyết định công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm %d", year)},

		gradeCuts: [3]float64{0.30, 0.62, 0.93},
	}
}

func oneDay(d antq.Date) days { return days{d, d} }

// storeSink records the generated facts through the store's validated,
// audited calls, as the API does, and counts them. A propaganda figure goes
// without its total: the store takes it from the unit's size, as for a form.
type storeSink struct {
	ctx context.Context
	db  *store.DB
	res *FactsResult
}

func (s *storeSink) Registration(code string, r antq.Registration) error {
	return wrote(&s.res.Registrations)(s.db.PutRegistration(s.ctx, PlanID, code, r))
}

func (s *storeSink) Propaganda(code string, p antq.Propaganda) error {
	in := antq.PropagandaInput{Reached: &p.Reached, AsOf: p.AsOf, Document: p.Document}
	return wrote(&s.res.Propaganda)(s.db.PutPropaganda(s.ctx, PlanID, code, in))
}

func (s *storeSink) Model(code string, m antq.Model) error {
	in := antq.ModelInput{Name: &m.Name, Kind: &m.Kind, Status: &m.Status, Effective: &m.Effective, StartedOn: &m.StartedOn, Members: &m.Members,
		Assessment: m.Assessment}
	return wrote(&s.res.Models)(s.db.CreateModel(s.ctx, PlanID, code, in))
}

func (s *storeSink) Incident(code string, i antq.Incident) error {
	in := antq.IncidentInput{OccurredOn: i.OccurredOn, Category: i.Category, Description: i.Description, Verified: i.Verified}
	return wrote(&s.res.Incidents)(s.db.CreateIncident(s.ctx, PlanID, code, in))
}

func (s *storeSink) Recognition(code string, r antq.Recognition) error {
	return wrote(&s.res.Recognitions)(s.db.PutRecognition(s.ctx, PlanID, code, r))
}

func (s *storeSink) Grade(code string, g antq.GradeRecord) error {
	return wrote(&s.res.Grades)(s.db.PutGrade(s.ctx, PlanID, code, g))
}

// wrote takes the result of a store call and counts it in n when it
// succeeded.
func wrote(n *int) func(any, error) error {
	return func(_ any, err error) error {
		if err == nil {
			*n++
		}
		return err
	}
}
