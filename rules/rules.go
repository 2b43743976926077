// Package rules holds the movement's rule sets and the provinces' plans as
// versioned JSON files embedded in the binary: the "An toàn về an ninh, trật
// tự" checklists of Thông tư 124/2021/TT-BCA, the grading rubric of Quyết
// định 510/QĐ-BCA-V05, and yearly plans such as Bình Phước's 31/KH-UBND of
// 02/02/2023 with their targets. Values the domain reference has not verified
// are loaded as data with verified=false, never hard-coded.
//
// The loaders are strict: unknown fields, wrong types, unknown codes and
// inconsistent values are rejected with the file, line, column and JSON path
// of the problem. The file format is described in README.md.
package rules

import (
	"fmt"
	"slices"

	"antq"
)

// LegalRef is a legal or administrative document: the source of a rule set
// or the plan itself.
type LegalRef struct {
	Number    string     `json:"number" rules:"required"` // số, ký hiệu: "124/2021/TT-BCA"
	Type      string     `json:"type" rules:"required"`   // "Thông tư", "Quyết định", "Kế hoạch"
	Title     string     `json:"title" rules:"required"`  // trích yếu
	Date      antq.Date  `json:"date" rules:"required"`   // ngày ký
	Issuer    string     `json:"issuer" rules:"required"` // "Bộ Công an", "UBND tỉnh Bình Phước"
	Effective *antq.Date `json:"effective,omitempty"`     // ngày có hiệu lực, when known
	Verified  bool       `json:"verified" rules:"required"`
	Note      string     `json:"note,omitempty"`
}

// Shown is the number as pages show it: a number not checked against the
// original document says so ("…/KH-UBND, chưa đối chiếu").
func (l LegalRef) Shown() string {
	if l.Verified {
		return l.Number
	}
	return l.Number + ", chưa đối chiếu"
}

// Citation says where a rule comes from: the article of the legal text it
// applies (Ref, "Điều 4 khoản 1 TT 124/2021/TT-BCA"), whether its value has
// been checked against the original document (Verified: a value that has not
// is loaded as data, never hard-coded), and a note.
type Citation struct {
	Ref      string `json:"ref" rules:"required"`
	Verified bool   `json:"verified" rules:"required"`
	Note     string `json:"note,omitempty"`
}

// CriterionKind tells the software how a criterion can be checked.
type CriterionKind string

const (
	// CriterionRegistrationQ1: the unit registered (with its resolution and
	// plan) by Deadline, in the first quarter.
	CriterionRegistrationQ1 CriterionKind = "registration_q1"
	// CriterionVeto: none of VetoItems occurred in the window.
	CriterionVeto CriterionKind = "veto"
	// CriterionSubordinateRecognition: of the subordinate units the unit
	// manages, at least RegistrationMin registered and at least
	// RecognitionMin of the registered were recognised.
	CriterionSubordinateRecognition CriterionKind = "subordinate_recognition"
	// CriterionModel: at least MinModels effective models in ModelStatuses.
	CriterionModel CriterionKind = "model"
	// CriterionOutcome: crime, social evils and accidents curbed; incidents
	// of OutcomeCategories count against it.
	CriterionOutcome CriterionKind = "outcome"
	// CriterionIncludes: met when every criterion in Includes is met for the
	// unit itself.
	CriterionIncludes CriterionKind = "includes"
	// CriterionManual: decided by the reviewer on the evidence.
	CriterionManual CriterionKind = "manual"
)

// CriterionKinds lists every criterion kind.
var CriterionKinds = []CriterionKind{
	CriterionRegistrationQ1, CriterionVeto, CriterionSubordinateRecognition,
	CriterionModel, CriterionOutcome, CriterionIncludes, CriterionManual,
}

// ShareOf names the population a criterion's MinShare is taken of.
type ShareOf string

const (
	ShareHouseholds ShareOf = "households" // hộ gia đình cư trú
	ShareStaff      ShareOf = "staff"      // cán bộ, công nhân viên, người lao động
)

// Flag is a property of a unit that can make it ineligible.
type Flag string

const (
	FlagArmedForces          Flag = "armed_forces"           // cơ quan, đơn vị thuộc lực lượng vũ trang
	FlagSmallMicroEnterprise Flag = "small_micro_enterprise" // doanh nghiệp nhỏ và siêu nhỏ
	FlagPrimaryPreschool     Flag = "primary_preschool"      // tiểu học, mầm non, nhà trẻ
	FlagNoLegalEntity        Flag = "no_legal_entity"        // doanh nghiệp không có tư cách pháp nhân
)

// Flags lists every flag.
var Flags = []Flag{FlagArmedForces, FlagSmallMicroEnterprise, FlagPrimaryPreschool, FlagNoLegalEntity}

// ModelStatus is what a unit did with a model in the year (the domain's
// codes: new, consolidated, maintained).
type ModelStatus = antq.ModelStatus

const (
	ModelNew          = antq.ModelNew          // xây dựng mới
	ModelConsolidated = antq.ModelConsolidated // củng cố
	ModelMaintained   = antq.ModelMaintained   // duy trì
)

// ModelStatuses lists every model status.
var ModelStatuses = antq.ModelStatuses

func init() {
	registerLiteral(stringNode, "a date string YYYY-MM-DD", parseDate)
	registerLiteral(numberNode, "a number of points such as 2.5", parsePoints)
	registerLiteral(stringNode, `a ratio string such as "0.70" or "7/10"`, ParseRatio)
	registerEnum("unit kind", func() []antq.UnitKind { return antq.UnitKinds })
	registerEnum("criterion kind", func() []CriterionKind { return CriterionKinds })
	registerEnum("share population", func() []ShareOf { return []ShareOf{ShareHouseholds, ShareStaff} })
	registerEnum("eligibility flag", func() []Flag { return Flags })
	registerEnum("model status", func() []ModelStatus { return ModelStatuses })
	registerEnum("grade", func() []Grade { return Grades })
	registerEnum("gate condition", func() []GateCondition { return []GateCondition{GateRecognised} })
	registerEnum("indicator", func() []Indicator { return Indicators })
	registerEnum("grade reading", func() []Reading { return Readings })
	registerEnum("target population", func() []Population { return Populations })
}

// RuleSet is one versioned set of rules with its legal source: the
// recognition checklists of TT 124 or the grading rubrics of QĐ 510.
type RuleSet struct {
	Format    int        `json:"format" rules:"required"` // file format version: 1
	ID        string     `json:"id" rules:"required"`     // "tt124-2021"
	Title     string     `json:"title" rules:"required"`
	Source    LegalRef   `json:"source" rules:"required"`
	ValidFrom antq.Date  `json:"valid_from" rules:"required"`
	ValidTo   *antq.Date `json:"valid_to,omitempty"` // nil: still in force
	Note      string     `json:"note,omitempty"`

	Checklists        []Checklist       `json:"checklists,omitempty"`
	Exclusions        []Exclusion       `json:"exclusions,omitempty"`
	Windows           []Window          `json:"windows,omitempty"`
	Authorities       []Authority       `json:"authorities,omitempty"`
	ModelKinds        []ModelKind       `json:"model_kinds,omitempty"`
	OutcomeCategories []OutcomeCategory `json:"outcome_categories,omitempty"`
	Dossier           []DossierDocument `json:"dossier,omitempty"`
	Rubrics           []Rubric          `json:"rubrics,omitempty"`
	GradeBands        []GradeBand       `json:"grade_bands,omitempty"`
	Gates             []Gate            `json:"gates,omitempty"`
	Deadlines         []Deadline        `json:"deadlines,omitempty"`

	src *source
}

// Checklist is the criteria a unit of UnitKinds must all meet (conjunctive)
// to be recognised.
type Checklist struct {
	ID        string          `json:"id" rules:"required"`
	Title     string          `json:"title" rules:"required"`
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Ref       string          `json:"ref" rules:"required"`
	// Complete is true when the list holds every criterion of the article
	// (each criterion's own text may still be unverified).
	Complete bool        `json:"complete" rules:"required"`
	Note     string      `json:"note,omitempty"`
	Criteria []Criterion `json:"criteria" rules:"required"`
}

// Criterion is one criterion of a checklist. Only the fields of its Kind may
// be set.
type Criterion struct {
	ID       string        `json:"id" rules:"required"` // "kdc.1"
	Title    string        `json:"title" rules:"required"`
	Ref      string        `json:"ref" rules:"required"` // "Điều 4 khoản 1 TT 124/2021/TT-BCA"
	Verified bool          `json:"verified" rules:"required"`
	Kind     CriterionKind `json:"kind,omitempty"` // "" means manual
	Note     string        `json:"note,omitempty"`

	// registration_q1
	Deadline *RelDate `json:"deadline,omitempty"`
	// registration_q1, manual: a share of a population that must take part.
	MinShare *Ratio  `json:"min_share,omitempty"`
	ShareOf  ShareOf `json:"share_of,omitempty"`
	// subordinate_recognition
	SubordinateKinds []antq.UnitKind `json:"subordinate_kinds,omitempty"`
	RegistrationMin  *Ratio          `json:"registration_min,omitempty"`
	RecognitionMin   *Ratio          `json:"recognition_min,omitempty"`
	// model
	MinModels     int           `json:"min_models,omitempty"`
	ModelStatuses []ModelStatus `json:"model_statuses,omitempty"`
	// veto
	VetoItems []VetoItem `json:"veto_items,omitempty"`
	// outcome
	OutcomeCategories []string `json:"outcome_categories,omitempty"`
	// includes
	Includes []string `json:"includes,omitempty"`
}

// EffectiveKind is Kind, with "" read as manual.
func (c *Criterion) EffectiveKind() CriterionKind {
	if c.Kind == "" {
		return CriterionManual
	}
	return c.Kind
}

// VetoItem is one event that, if it occurs, fails its criterion.
type VetoItem struct {
	ID    string `json:"id" rules:"required"` // "veto.a"
	Title string `json:"title" rules:"required"`
	Citation
}

// OutcomeCategory is a kind of incident that counts against an outcome
// criterion (crime, fire, traffic accident, ...).
type OutcomeCategory struct {
	Code  string `json:"code" rules:"required"`
	Label string `json:"label" rules:"required"`
	Citation
}

// IncidentCategory is what an incident record can be filed under: a veto
// item or an outcome category.
type IncidentCategory struct {
	Code      string // veto item id or outcome category code
	Label     string
	Veto      bool   // a veto item: one verified occurrence fails Criterion
	Criterion string // the criterion it belongs to ("" for an outcome category no criterion lists)
	Ref       string
	Verified  bool
}

// Exclusion makes units of UnitKinds that carry Flag ineligible.
type Exclusion struct {
	ID        string          `json:"id" rules:"required"`
	Title     string          `json:"title" rules:"required"`
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Flag      Flag            `json:"flag" rules:"required"`
	Citation
}

// Window is the evaluation period of UnitKinds, relative to the evaluation
// year: residential areas 01/11 of the year before to 31/10.
type Window struct {
	UnitKinds []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Start     RelDate         `json:"start" rules:"required"`
	End       RelDate         `json:"end" rules:"required"`
	Citation
}

// Authority is who decides for units of UnitKinds managed at ManagingLevel
// (a geographic kind: commune, district, province, nation) between
// ValidFrom and ValidTo (inclusive; nil ValidTo: open).
type Authority struct {
	UnitKinds     []antq.UnitKind `json:"unit_kinds" rules:"required"`
	ManagingLevel antq.UnitKind   `json:"managing_level" rules:"required"`
	Authority     string          `json:"authority" rules:"required"` // "ubnd_xa"
	Label         string          `json:"label" rules:"required"`     // "UBND cấp xã"
	ValidFrom     antq.Date       `json:"valid_from" rules:"required"`
	ValidTo       *antq.Date      `json:"valid_to,omitempty"`
	// DecidingLevel is the level of the unit whose People's Committee
	// decides, when it is not ManagingLevel: units the centre manages are
	// decided by the province they stand in (UBND cấp tỉnh).
	DecidingLevel antq.UnitKind `json:"deciding_level,omitempty"`
	Citation
}

// Decides is the level of the unit that decides: DecidingLevel, else the
// managing level.
func (a *Authority) Decides() antq.UnitKind {
	if a.DecidingLevel != "" {
		return a.DecidingLevel
	}
	return a.ManagingLevel
}

// Covers reports whether the authority is in force on d.
func (a *Authority) Covers(d antq.Date) bool { return antq.Covers(a.ValidFrom, openEnd(a.ValidTo), d) }

// openEnd is the end of an interval whose nil end is open: the zero Date,
// as antq.Covers reads it.
func openEnd(to *antq.Date) antq.Date {
	if to == nil {
		return antq.Date{}
	}
	return *to
}

// ModelKind is a category of model (mô hình).
type ModelKind struct {
	Code  string `json:"code" rules:"required"` // "tu_quan"
	Label string `json:"label" rules:"required"`
	Citation
}

// DossierDocument is one document of a recognition or grading dossier.
type DossierDocument struct {
	Code     string `json:"code" rules:"required"` // "to_trinh"
	Title    string `json:"title" rules:"required"`
	Required bool   `json:"required" rules:"required"`
	Citation
}

// Deadline is a due day relative to the plan or evaluation year. With
// StrictlyBefore the work must be done before Due ("trước ngày 20/11"),
// otherwise on or before it.
type Deadline struct {
	ID             string          `json:"id" rules:"required"`
	Title          string          `json:"title" rules:"required"`
	UnitKinds      []antq.UnitKind `json:"unit_kinds" rules:"required"`
	Due            RelDate         `json:"due" rules:"required"`
	StrictlyBefore bool            `json:"strictly_before" rules:"required"`
	Citation
}

// On returns the due date in year.
func (d *Deadline) On(year int) antq.Date { return d.Due.On(year) }

// Late reports whether work done on done misses the deadline of year.
func (d *Deadline) Late(year int, done antq.Date) bool {
	due := d.On(year)
	if d.StrictlyBefore {
		return !done.Before(due)
	}
	return done.After(due)
}

// Checklist returns the checklist for units of kind.
func (rs *RuleSet) Checklist(kind antq.UnitKind) (*Checklist, bool) {
	for i := range rs.Checklists {
		if slices.Contains(rs.Checklists[i].UnitKinds, kind) {
			return &rs.Checklists[i], true
		}
	}
	return nil, false
}

// Criterion returns the criterion with the given id, from any checklist.
func (rs *RuleSet) Criterion(id string) (*Criterion, bool) {
	for i := range rs.Checklists {
		for j := range rs.Checklists[i].Criteria {
			if c := &rs.Checklists[i].Criteria[j]; c.ID == id {
				return c, true
			}
		}
	}
	return nil, false
}

// Covers reports whether the rule set evaluates units of kind at all (a
// checklist or a rubric names it).
func (rs *RuleSet) Covers(kind antq.UnitKind) bool {
	_, ok := rs.Checklist(kind)
	if !ok {
		_, ok = rs.Rubric(kind)
	}
	return ok
}

// Eligible reports whether a unit of kind carrying flags falls under the
// rule set. When an exclusion applies it is returned; a kind the rule set
// does not cover at all (a religious organisation under TT 124, say) gives
// false and a nil exclusion.
func (rs *RuleSet) Eligible(kind antq.UnitKind, flags ...Flag) (bool, *Exclusion) {
	if !rs.Covers(kind) {
		return false, nil
	}
	for i := range rs.Exclusions {
		e := &rs.Exclusions[i]
		if slices.Contains(e.UnitKinds, kind) && slices.Contains(flags, e.Flag) {
			return false, e
		}
	}
	return true, nil
}

// Window returns the evaluation period of units of kind for the evaluation
// year (both ends inclusive).
func (rs *RuleSet) Window(kind antq.UnitKind, year int) (Period, error) {
	for _, w := range rs.Windows {
		if slices.Contains(w.UnitKinds, kind) {
			return Period{From: w.Start.On(year), To: w.End.On(year)}, nil
		}
	}
	return Period{}, fmt.Errorf("rule set %s: no evaluation window for unit kind %q: %w", rs.ID, kind, ErrNotFound)
}

// Authority returns who decides for a unit of kind managed at managingLevel
// on the given date (use the end of the evaluation window).
func (rs *RuleSet) Authority(kind, managingLevel antq.UnitKind, on antq.Date) (*Authority, error) {
	for i := range rs.Authorities {
		a := &rs.Authorities[i]
		if a.ManagingLevel == managingLevel && slices.Contains(a.UnitKinds, kind) && a.Covers(on) {
			return a, nil
		}
	}
	return nil, fmt.Errorf("rule set %s: no deciding authority for unit kind %q managed at level %q on %s: %w",
		rs.ID, kind, managingLevel, on, ErrNotFound)
}

// ModelKind returns the model category with the given code.
func (rs *RuleSet) ModelKind(code string) (*ModelKind, bool) {
	for i := range rs.ModelKinds {
		if rs.ModelKinds[i].Code == code {
			return &rs.ModelKinds[i], true
		}
	}
	return nil, false
}

// IncidentCategories lists the veto items of every checklist, then the
// outcome categories.
func (rs *RuleSet) IncidentCategories() []IncidentCategory {
	var out []IncidentCategory
	for _, cl := range rs.Checklists {
		for _, c := range cl.Criteria {
			for _, v := range c.VetoItems {
				out = append(out, IncidentCategory{Code: v.ID, Label: v.Title, Veto: true,
					Criterion: c.ID, Ref: v.Ref, Verified: v.Verified})
			}
		}
	}
	for _, o := range rs.OutcomeCategories {
		ic := IncidentCategory{Code: o.Code, Label: o.Label, Ref: o.Ref, Verified: o.Verified}
		for _, cl := range rs.Checklists {
			for _, c := range cl.Criteria {
				if ic.Criterion == "" && slices.Contains(c.OutcomeCategories, o.Code) {
					ic.Criterion = c.ID
				}
			}
		}
		out = append(out, ic)
	}
	return out
}

// IncidentCategory returns the veto item or outcome category with the given
// code.
func (rs *RuleSet) IncidentCategory(code string) (IncidentCategory, bool) {
	for _, ic := range rs.IncidentCategories() {
		if ic.Code == code {
			return ic, true
		}
	}
	return IncidentCategory{}, false
}

// DossierDocument returns the dossier document with the given code.
func (rs *RuleSet) DossierDocument(code string) (*DossierDocument, bool) {
	for i := range rs.Dossier {
		if rs.Dossier[i].Code == code {
			return &rs.Dossier[i], true
		}
	}
	return nil, false
}

// Rubric returns the grading rubric for units of kind.
func (rs *RuleSet) Rubric(kind antq.UnitKind) (*Rubric, bool) {
	for i := range rs.Rubrics {
		if slices.Contains(rs.Rubrics[i].UnitKinds, kind) {
			return &rs.Rubrics[i], true
		}
	}
	return nil, false
}

// DeadlinesFor lists the deadlines that apply to units of kind.
func (rs *RuleSet) DeadlinesFor(kind antq.UnitKind) []*Deadline {
	var out []*Deadline
	for i := range rs.Deadlines {
		if slices.Contains(rs.Deadlines[i].UnitKinds, kind) {
			out = append(out, &rs.Deadlines[i])
		}
	}
	return out
}

// InForce reports whether the rule set applies on d.
func (rs *RuleSet) InForce(d antq.Date) bool {
	return antq.Covers(rs.ValidFrom, openEnd(rs.ValidTo), d)
}

// link wires the derived state after validation: rubrics grade with the rule
// set's bands and gates.
func (rs *RuleSet) link() {
	for i := range rs.Rubrics {
		rs.Rubrics[i].bands = rs.GradeBands
		rs.Rubrics[i].gates = rs.Gates
	}
}
