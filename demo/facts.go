package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

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
var bpFacts = factProfile{
	registered:   0.94,
	registeredOn: days{antq.NewDate(2023, 1, 5), antq.NewDate(2023, 3, 31)},
	late:         0.08,
	lateOn:       days{antq.NewDate(2023, 4, 1), antq.NewDate(2023, 5, 31)},
	registration: docs{share: 1, numbers: numbered("%02d/ĐK", 1, 1, 40),
		title: "Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2023"},

	areas: coverage{share: 0.88, reach: [2]float64{0.70, 0.30}, low: 0.12, asOf: oneDay(antq.NewDate(2023, 10, 25)),
		doc: docs{share: 1, numbers: numbered("%02d/BC-KDC", 1, 1, 30), title: "Báo cáo kết quả tuyên truyền"}},
	communes: coverage{share: 0.2, reach: [2]float64{0.72, 0.28}, asOf: oneDay(antq.NewDate(2023, 11, 4)),
		doc: docs{share: 1, numbers: numbered("%02d/BC-CAX", 1, 1, 60), title: "Báo cáo kết quả tuyên truyền năm 2023"}},
	organisations: coverage{share: 0.9, reach: [2]float64{0.88, 0.12}, asOf: oneDay(antq.NewDate(2023, 11, 9))},

	communeNew: 0.86, communeNewEffective: 0.95, communeConsolidated: 0.6,
	orgModel: 0.82, orgModelNew: 0.4, orgModelEffective: 0.92, modelAssessed: antq.NewDate(2023, 10, 20),
	areaMaintained:  0.3,
	newModelStarted: days{antq.NewDate(2023, 1, 10), antq.NewDate(2023, 9, 30)},
	oldModelStarted: days{antq.NewDate(2018, 1, 1), antq.NewDate(2022, 10, 31)},

	vetoed:   0.02,
	vetoedOn: days{antq.NewDate(2023, 2, 1), antq.NewDate(2023, 9, 30)},

	decided:           0.93,
	areasDecided:      days{antq.NewDate(2023, 11, 10), antq.NewDate(2023, 11, 17)},
	othersDecided:     days{antq.NewDate(2023, 11, 20), antq.NewDate(2023, 11, 28)},
	areasDecidedFirst: true,
	recognised:        0.8,
	decision: docs{share: 1, numbers: numbered("%d/QĐ-UBND", 100, 1, 800),
		title: "Quyết định công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2023"},

	graded:    0.9,
	gradeCuts: [3]float64{0.30, 0.62, 0.93},
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
