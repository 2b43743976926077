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

var modelNames = []struct{ kind, name string }{
	{"tu_bao_ve", "Camera an ninh"},
	{"tu_quan", "Tổ tự quản về an ninh, trật tự"},
	{"tu_phong", "Tiếng kẻng an ninh"},
	{"tu_hoa_giai", "Tổ hòa giải ở cơ sở"},
	{"tu_quan", "Khu dân cư không có tội phạm và tệ nạn xã hội"},
	{"tu_phong", "Tổ liên gia an toàn phòng cháy, chữa cháy"},
	{"khac", "Câu lạc bộ pháp luật"},
	{"tu_bao_ve", "Tổ bảo vệ an ninh, trật tự ở cơ sở"},
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
	g := &factGen{rng: rand.New(rand.NewPCG(31, 2023)), db: db, ctx: ctx, res: &FactsResult{}}
	parent := map[string]string{}
	for _, u := range units {
		parent[u.Code] = u.ParentCode
	}
	for _, u := range units {
		// Units of YearEndDistrict get their results through year-end
		// dossiers (LoadYearEnd), not by direct entry.
		g.viaDossier = parent[u.Code] == YearEndDistrict || parent[parent[u.Code]] == YearEndDistrict
		if err := g.unit(u); err != nil {
			return g.res, false, fmt.Errorf("demo facts for %s: %w", u.Code, err)
		}
	}
	return g.res, true, nil
}

// YearEndDistrict is the district whose year-end is in progress in the
// demo: Thành phố Đồng Xoài.
const YearEndDistrict = "689"

type factGen struct {
	viaDossier bool
	rng        *rand.Rand
	db         *store.DB
	ctx        context.Context
	res        *FactsResult
}

func (g *factGen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *factGen) day(from, to antq.Date) antq.Date {
	span := int(to.Time().Sub(from.Time()).Hours()/24) + 1
	return from.AddDays(g.rng.IntN(span))
}

func eligible(u store.PlanTreeUnit) bool {
	switch u.Kind {
	case antq.KindResidentialArea, antq.KindCommune:
		return true
	case antq.KindAgency, antq.KindEnterprise, antq.KindSchool:
		return !u.Flags.ArmedForces && !u.Flags.SmallEnterprise && !u.Flags.PrimarySchool
	}
	return false
}

func (g *factGen) unit(u store.PlanTreeUnit) error {
	if !eligible(u) {
		return nil
	}
	ctx, db := g.ctx, g.db
	org := u.Kind.Organisation()
	// Registration: 94 % register, most in the first quarter.
	registered := g.chance(0.94)
	if registered {
		on := g.day(antq.NewDate(2023, 1, 5), antq.NewDate(2023, 3, 31))
		if g.chance(0.08) {
			on = g.day(antq.NewDate(2023, 4, 1), antq.NewDate(2023, 5, 31)) // late: fails the first-quarter criterion
		}
		doc := &antq.DocumentRef{Number: fmt.Sprintf("%02d/ĐK", 1+g.rng.IntN(40)), Date: on, Title: "Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2023"}
		if _, err := db.PutRegistration(ctx, PlanID, u.Code, antq.Registration{RegisteredOn: on, Document: doc}); err != nil {
			return err
		}
		g.res.Registrations++
	}
	// Propaganda: areas report households; some communes report their own
	// figure; organisations report persons.
	asOf := antq.NewDate(2023, 10, 25)
	switch {
	case u.Kind == antq.KindResidentialArea && u.Size.Households != nil && g.chance(0.88):
		hh := *u.Size.Households
		share := 0.70 + 0.30*g.rng.Float64()
		if g.chance(0.12) {
			share = 0.45 + 0.3*g.rng.Float64()
		}
		reached := int64(float64(hh) * share)
		if _, err := db.PutPropaganda(ctx, PlanID, u.Code, store.PropagandaInput{Reached: &reached, AsOf: asOf,
			Document: &antq.DocumentRef{Number: fmt.Sprintf("%02d/BC-KDC", 1+g.rng.IntN(30)), Date: asOf, Title: "Báo cáo kết quả tuyên truyền"}}); err != nil {
			return err
		}
		g.res.Propaganda++
	case u.Kind == antq.KindCommune && u.Size.Households != nil && g.chance(0.2):
		hh := *u.Size.Households
		reached := int64(float64(hh) * (0.72 + 0.28*g.rng.Float64()))
		if _, err := db.PutPropaganda(ctx, PlanID, u.Code, store.PropagandaInput{Reached: &reached, AsOf: asOf.AddDays(10),
			Document: &antq.DocumentRef{Number: fmt.Sprintf("%02d/BC-CAX", 1+g.rng.IntN(60)), Date: asOf.AddDays(10), Title: "Báo cáo kết quả tuyên truyền năm 2023"}}); err != nil {
			return err
		}
		g.res.Propaganda++
	case org && g.chance(0.9):
		persons := u.Size.Persons()
		if persons != nil && *persons > 0 {
			share := 0.88 + 0.12*g.rng.Float64()
			reached := min(*persons, int64(float64(*persons)*share+0.5))
			if _, err := db.PutPropaganda(ctx, PlanID, u.Code, store.PropagandaInput{Reached: &reached, AsOf: asOf.AddDays(15)}); err != nil {
				return err
			}
			g.res.Propaganda++
		}
	}
	// Models.
	addModel := func(status antq.ModelStatus, effective bool) error {
		m := modelNames[g.rng.IntN(len(modelNames))]
		started := g.day(antq.NewDate(2023, 1, 10), antq.NewDate(2023, 9, 30))
		if status != antq.ModelNew {
			started = g.day(antq.NewDate(2018, 1, 1), antq.NewDate(2022, 10, 31))
		}
		members := int64(5 + g.rng.IntN(40))
		_, err := db.CreateModel(ctx, PlanID, u.Code, store.ModelInput{Name: &m.name, Kind: &m.kind, Status: &status,
			Effective: &effective, StartedOn: &started, Members: &members})
		if err == nil {
			g.res.Models++
		}
		return err
	}
	switch {
	case u.Kind == antq.KindCommune:
		if g.chance(0.86) {
			if err := addModel(antq.ModelNew, g.chance(0.95)); err != nil {
				return err
			}
		}
		if g.chance(0.6) {
			if err := addModel(antq.ModelConsolidated, true); err != nil {
				return err
			}
		}
	case org && g.chance(0.82):
		status := antq.ModelConsolidated
		if g.chance(0.4) {
			status = antq.ModelNew
		}
		if err := addModel(status, g.chance(0.92)); err != nil {
			return err
		}
	case u.Kind == antq.KindResidentialArea && g.chance(0.3):
		if err := addModel(antq.ModelMaintained, true); err != nil {
			return err
		}
	}
	// Incidents: a few areas have a verified veto event.
	vetoed := false
	if u.Kind == antq.KindResidentialArea && g.chance(0.02) {
		on := g.day(antq.NewDate(2023, 2, 1), antq.NewDate(2023, 9, 30))
		if _, err := db.CreateIncident(ctx, PlanID, u.Code, store.IncidentInput{OccurredOn: on, Category: "veto.e",
			Description: "Tranh chấp đất đai kéo dài, phức tạp trong nhân dân", Verified: true}); err != nil {
			return err
		}
		g.res.Incidents++
		vetoed = true
	}
	// Recognition of registered units, decided after the window.
	recognised := false
	if registered && !g.viaDossier && g.chance(0.93) {
		decided := antq.NewDate(2023, 11, 10+g.rng.IntN(8))
		if u.Kind != antq.KindResidentialArea {
			decided = antq.NewDate(2023, 11, 20+g.rng.IntN(9))
		}
		res := antq.RecognitionChuaDat
		if !vetoed && g.chance(0.8) {
			res, recognised = antq.RecognitionDat, true
		}
		doc := &antq.DocumentRef{Number: fmt.Sprintf("%d/QĐ-UBND", 100+g.rng.IntN(800)), Date: decided, Title: "Quyết định công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2023"}
		if _, err := db.PutRecognition(ctx, PlanID, u.Code, antq.Recognition{Result: res, DecidedOn: decided, Decision: doc}); err != nil {
			return err
		}
		g.res.Recognitions++
	}
	// Grades: most units graded; xuất sắc only for recognised units.
	if !g.viaDossier && g.chance(0.9) {
		x := g.rng.Float64()
		var grade antq.Grade
		var lo, hi int
		switch {
		case x < 0.30 && recognised:
			grade, lo, hi = antq.GradeXuatSac, 900, 980
		case x < 0.62:
			grade, lo, hi = antq.GradeKha, 700, 899
		case x < 0.93:
			grade, lo, hi = antq.GradeTrungBinh, 500, 699
		default:
			grade, lo, hi = antq.GradeYeu, 300, 499
		}
		score := antq.Tenths(lo + g.rng.IntN(hi-lo+1))
		if _, err := db.PutGrade(ctx, PlanID, u.Code, antq.GradeRecord{Grade: grade, Score: &score}); err != nil {
			return err
		}
		g.res.Grades++
	}
	return nil
}
