package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"antq"
)

// The fact generator of both demos: the Bình Phước 2023 province
// (LoadFacts, through the store's validated calls) and the nation 2025
// (NationProvince.Facts, for BulkFacts and the benchmarks). They draw the
// same facts in the same order and differ only by their factProfile. The
// order of the random draws is part of each demo's data: a profile field
// that is 0 or 1 draws nothing, so that each demo keeps the facts it has
// always had.

// FactSink receives generated facts; *store.FactLoader is one, and the
// benchmark's in-memory baseline is another.
type FactSink interface {
	Registration(code string, r antq.Registration) error
	Propaganda(code string, p antq.Propaganda) error
	Model(code string, m antq.Model) error
	Recognition(code string, r antq.Recognition) error
	Grade(code string, g antq.GradeRecord) error
}

// incidentSink is a FactSink that also records incidents; a profile with
// incidents needs one.
type incidentSink interface {
	FactSink
	Incident(code string, in antq.Incident) error
}

// factProfile is how many units of one demo record what, on which days and
// with which documents. Shares are of the eligible units unless said.
type factProfile struct {
	registered   float64 // units that register
	registeredOn days
	late         float64 // of the registered, the late ones (after the first quarter)
	lateOn       days
	registration docs

	// Propaganda reported by residential areas, communes (their own figure)
	// and organisations (persons reached).
	areas, communes, organisations coverage

	communeNew          float64   // communes building a new model…
	communeNewEffective float64   // …effective
	communeConsolidated float64   // communes consolidating one (effective)
	orgModel            float64   // organisations with a model…
	orgModelNew         float64   // …new rather than consolidated…
	orgModelEffective   float64   // …effective
	modelAssessed       antq.Date // the day effective models were assessed: after every start, before 31/10
	areaMaintained      float64   // residential areas maintaining one (effective)
	newModelStarted     days
	oldModelStarted     days

	vetoed   float64 // residential areas with a verified veto incident
	vetoedOn days

	decided float64 // of the registered, decided (recognised or not)
	// Recognition decisions: each unit draws a day of the first range, then
	// the units of the second draw again (residential areas are decided
	// earlier than the others).
	areasDecided, othersDecided days
	areasDecidedFirst           bool
	recognised                  float64 // of the decided (and not vetoed)
	decision                    docs

	graded    float64
	gradeCuts [3]float64 // cumulative shares of xuất sắc (recognised units only), khá, trung bình
}

// days is the closed range of dates [from, to].
type days struct{ from, to antq.Date }

// daysFrom is the n days from from on.
func daysFrom(from antq.Date, n int) days { return days{from, from.AddDays(n - 1)} }

// docs is the document a kind of fact carries: its number drawn from
// numbers, in share of the facts (none when numbers is empty).
type docs struct {
	share   float64
	numbers []string
	title   string
}

// numbered returns n document numbers: format applied to first, first+step, …
func numbered(format string, first, step, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, first+step*i)
	}
	return out
}

// coverage is how a kind of unit reports its propaganda.
type coverage struct {
	share float64    // units that report
	reach [2]float64 // reached = total × (reach[0] + reach[1]×U(0,1))…
	low   float64    // …or, for this share of the reports, total × (0.45 + 0.3×U)
	asOf  days
	doc   docs
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

type factGen struct {
	p    *factProfile
	rng  *rand.Rand
	sink FactSink
}

// chance is true with probability p; 0 and 1 draw nothing.
func (g *factGen) chance(p float64) bool {
	switch {
	case p <= 0:
		return false
	case p >= 1:
		return true
	}
	return g.rng.Float64() < p
}

// day draws a day of d; a range of one day draws nothing.
func (g *factGen) day(d days) antq.Date {
	span := int(d.to.Time().Sub(d.from.Time()).Hours()/24) + 1
	if span <= 1 {
		return d.from
	}
	return d.from.AddDays(g.rng.IntN(span))
}

// doc draws the document of a fact dated on, or nil.
func (g *factGen) doc(d docs, on antq.Date) *antq.DocumentRef {
	if len(d.numbers) == 0 || !g.chance(d.share) {
		return nil
	}
	return &antq.DocumentRef{Number: d.numbers[g.rng.IntN(len(d.numbers))], Date: on, Title: d.title}
}

// eligible mirrors the rule sets of the demo plans: residential areas,
// communes, and agencies, enterprises and schools without an excluding flag.
func eligible(u *antq.Unit) bool {
	switch u.Kind {
	case antq.KindResidentialArea, antq.KindCommune:
		return true
	case antq.KindAgency, antq.KindEnterprise, antq.KindSchool:
		return !u.Flags.ArmedForces && !u.Flags.SmallEnterprise && !u.Flags.PrimarySchool
	}
	return false
}

// unit sends the facts of u, when eligible. A unit viaDossier gets its
// recognition and grade through a year-end dossier instead.
func (g *factGen) unit(u *antq.Unit, viaDossier bool) error {
	if !eligible(u) {
		return nil
	}
	p := g.p
	org := u.Kind.Organisation()
	registered := g.chance(p.registered)
	if registered {
		on := g.day(p.registeredOn)
		if g.chance(p.late) {
			on = g.day(p.lateOn) // fails the first-quarter criterion
		}
		if err := g.sink.Registration(u.Code, antq.Registration{RegisteredOn: on, Document: g.doc(p.registration, on)}); err != nil {
			return err
		}
	}
	if err := g.propaganda(u, org); err != nil {
		return err
	}
	if err := g.models(u, org); err != nil {
		return err
	}
	vetoed := false
	if u.Kind == antq.KindResidentialArea && g.chance(p.vetoed) {
		in := antq.Incident{OccurredOn: g.day(p.vetoedOn), Category: "veto.e",
			Description: "Tranh chấp đất đai kéo dài, phức tạp trong nhân dân", Verified: true}
		is, ok := g.sink.(incidentSink)
		if !ok {
			return errors.New("demo: the fact sink does not record incidents")
		}
		if err := is.Incident(u.Code, in); err != nil {
			return err
		}
		vetoed = true
	}
	recognised := false
	if registered && !viaDossier && g.chance(p.decided) {
		first, again := p.othersDecided, p.areasDecided
		if p.areasDecidedFirst {
			first, again = again, first
		}
		decided := g.day(first)
		if (u.Kind == antq.KindResidentialArea) != p.areasDecidedFirst {
			decided = g.day(again)
		}
		res := antq.RecognitionNotMet
		if !vetoed && g.chance(p.recognised) {
			res, recognised = antq.RecognitionMet, true
		}
		r := antq.Recognition{Result: res, DecidedOn: decided, Decision: g.doc(p.decision, decided)}
		if err := g.sink.Recognition(u.Code, r); err != nil {
			return err
		}
	}
	if !viaDossier && g.chance(p.graded) {
		x := g.rng.Float64()
		var grade antq.Grade
		var lo, hi int
		switch {
		case x < p.gradeCuts[0] && recognised:
			grade, lo, hi = antq.GradeExcellent, 900, 980
		case x < p.gradeCuts[1]:
			grade, lo, hi = antq.GradeGood, 700, 899
		case x < p.gradeCuts[2]:
			grade, lo, hi = antq.GradeAverage, 500, 699
		default:
			grade, lo, hi = antq.GradeWeak, 300, 499
		}
		score := antq.Tenths(lo + g.rng.IntN(hi-lo+1))
		if err := g.sink.Grade(u.Code, antq.GradeRecord{Grade: grade, Score: &score}); err != nil {
			return err
		}
	}
	return nil
}

// propaganda sends the unit's coverage: households for residential areas and
// communes, persons for organisations.
func (g *factGen) propaganda(u *antq.Unit, org bool) error {
	p := g.p
	switch {
	case u.Kind == antq.KindResidentialArea && u.Size.Households != nil && g.chance(p.areas.share):
		hh := *u.Size.Households
		return g.coverage(u.Code, p.areas, hh, int64(float64(hh)*g.reach(p.areas)))
	case u.Kind == antq.KindCommune && u.Size.Households != nil && g.chance(p.communes.share):
		hh := *u.Size.Households
		return g.coverage(u.Code, p.communes, hh, int64(float64(hh)*g.reach(p.communes)))
	case org && g.chance(p.organisations.share):
		if n := u.Size.Persons(); n != nil && *n > 0 {
			return g.coverage(u.Code, p.organisations, *n, min(*n, int64(float64(*n)*g.reach(p.organisations)+0.5)))
		}
	}
	return nil
}

// reach draws the share of a report's total that was reached.
func (g *factGen) reach(c coverage) float64 {
	share := c.reach[0] + c.reach[1]*g.rng.Float64()
	if g.chance(c.low) {
		share = 0.45 + 0.3*g.rng.Float64()
	}
	return share
}

func (g *factGen) coverage(code string, c coverage, total, reached int64) error {
	asOf := g.day(c.asOf)
	return g.sink.Propaganda(code, antq.Propaganda{Reached: reached, Total: total, AsOf: asOf, Document: g.doc(c.doc, asOf)})
}

// models sends the unit's models: new and consolidated ones in communes,
// one in most organisations, maintained ones in some residential areas.
func (g *factGen) models(u *antq.Unit, org bool) error {
	p := g.p
	model := func(status antq.ModelStatus, effective bool) error {
		m := modelNames[g.rng.IntN(len(modelNames))]
		started := g.day(p.newModelStarted)
		if status != antq.ModelNew {
			started = g.day(p.oldModelStarted)
		}
		// A model counts as effective only after an assessment; the
		// others are not yet assessed.
		var assessment *antq.ModelAssessment
		if effective {
			assessment = &antq.ModelAssessment{On: p.modelAssessed, By: "Công an cấp xã", Basis: "Biên bản kiểm tra, đánh giá hoạt động của mô hình"}
		}
		return g.sink.Model(u.Code, antq.Model{Name: m.name, Kind: m.kind, Status: status, Effective: effective,
			StartedOn: started, Members: int64(5 + g.rng.IntN(40)), Assessment: assessment})
	}
	var err error
	switch {
	case u.Kind == antq.KindCommune:
		if g.chance(p.communeNew) {
			err = model(antq.ModelNew, g.chance(p.communeNewEffective))
		}
		if err == nil && g.chance(p.communeConsolidated) {
			err = model(antq.ModelConsolidated, true)
		}
	case org && g.chance(p.orgModel):
		status := antq.ModelConsolidated
		if g.chance(p.orgModelNew) {
			status = antq.ModelNew
		}
		err = model(status, g.chance(p.orgModelEffective))
	case u.Kind == antq.KindResidentialArea && g.chance(p.areaMaintained):
		err = model(antq.ModelMaintained, true)
	}
	return err
}
