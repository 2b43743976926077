package antq

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DocumentRef cites a paper behind a fact: a plan, registration, minutes,
// report or decision ("12/BC-CAX" of 10/03/2023 by Công an xã …).
type DocumentRef struct {
	Number string `json:"number"`
	Date   Date   `json:"date"`
	Issuer string `json:"issuer"`
	Title  string `json:"title"`
}

// Validate checks a document reference; prefix names the field in errors.
func (d *DocumentRef) Validate(f FieldErrors, prefix string) {
	if d == nil {
		return
	}
	d.Number, d.Issuer, d.Title = strings.TrimSpace(d.Number), strings.TrimSpace(d.Issuer), strings.TrimSpace(d.Title)
	if d.Number == "" {
		f.Add(prefix+".number", "cần số, ký hiệu văn bản (ví dụ 12/BC-CAX)")
	} else if utf8.RuneCountInString(d.Number) > 60 {
		f.Add(prefix+".number", "số, ký hiệu quá dài (tối đa 60 ký tự)")
	}
	if utf8.RuneCountInString(d.Issuer) > 200 {
		f.Add(prefix+".issuer", "cơ quan ban hành quá dài (tối đa 200 ký tự)")
	}
	if utf8.RuneCountInString(d.Title) > 500 {
		f.Add(prefix+".title", "trích yếu quá dài (tối đa 500 ký tự)")
	}
}

// FactKind names a kind of fact a unit records for a plan.
type FactKind string

const (
	FactRegistration FactKind = "registration"
	FactPropaganda   FactKind = "propaganda"
	FactModel        FactKind = "model"
	FactIncident     FactKind = "incident"
	FactRecognition  FactKind = "recognition"
	FactGrade        FactKind = "grade"
)

// Valid reports whether k is a known fact kind.
func (k FactKind) Valid() bool {
	switch k {
	case FactRegistration, FactPropaganda, FactModel, FactIncident, FactRecognition, FactGrade, FactCollectiveAssessment:
		return true
	}
	return false
}

// Undoable reports whether a change of this kind can be undone from the
// history (issue 16 item 8): the facts data entry records, the ones that go
// through approval. Recognition, grades and collective assessments are
// decisions: a decided result changes only by a decision that replaces it,
// never by taking a change back.
func (k FactKind) Undoable() bool { return k.Approvable() }

// Stamp says who last changed a fact and when.
type Stamp struct {
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy string    `json:"updated_by"`
}

// Registration is a unit's commitment (đăng ký phấn đấu) for the plan year.
type Registration struct {
	RegisteredOn Date         `json:"registered_on"`
	Document     *DocumentRef `json:"document"`
	Stamp
	Approval
}

// Propaganda is a unit's coverage: unique households (residential areas and
// communes) or unique persons (organisations) reached out of Total.
type Propaganda struct {
	Reached  int64        `json:"reached"`
	Total    int64        `json:"total"`
	AsOf     Date         `json:"as_of"`
	Document *DocumentRef `json:"document"`
	// RegisteredTotal is the unit's registered size on AsOf (nil: none
	// registered); a Total other than it carries TotalReason.
	RegisteredTotal *int64 `json:"registered_total"`
	TotalReason     string `json:"total_reason"`
	Stamp
	Approval
}

// TotalDiffers reports whether the total is not the unit's registered size
// (the figure is flagged on the unit and in the failing lists).
func (p *Propaganda) TotalDiffers() bool {
	return p != nil && p.RegisteredTotal != nil && *p.RegisteredTotal != p.Total
}

// PropagandaInput is a propaganda figure as submitted; a nil Total takes the
// unit's size on AsOf (households, or staff plus pupils).
type PropagandaInput struct {
	Reached     *int64       `json:"reached"`
	Total       *int64       `json:"total"`
	AsOf        Date         `json:"as_of"`
	Document    *DocumentRef `json:"document"`
	TotalReason string       `json:"total_reason"` // why Total is not the registered size
}

// ModelStatus is where a model stands this year.
type ModelStatus string

const (
	ModelNew          ModelStatus = "new"          // xây dựng mới
	ModelConsolidated ModelStatus = "consolidated" // củng cố
	ModelMaintained   ModelStatus = "maintained"   // duy trì
)

// ModelStatuses lists every status.
var ModelStatuses = modelStatuses.Codes()

var modelStatuses = CodeList[ModelStatus]{
	{ModelNew, "Xây dựng mới"},
	{ModelConsolidated, "Củng cố"},
	{ModelMaintained, "Duy trì"},
}

// Valid reports whether s is a known status.
func (s ModelStatus) Valid() bool { return modelStatuses.Valid(s) }

// Label is the Vietnamese name of the status.
func (s ModelStatus) Label() string { return modelStatuses.Label(s) }

// Model is a self-management model (mô hình) of a unit.
type Model struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	Kind      string       `json:"kind"`
	Status    ModelStatus  `json:"status"`
	Effective bool         `json:"effective"`
	StartedOn Date         `json:"started_on"`
	Members   int64        `json:"members"`
	Document  *DocumentRef `json:"document"`
	// Assessment is who judged the model's effectiveness, when and on what
	// basis; nil is "not yet assessed", and only an assessed model is
	// effective.
	Assessment *ModelAssessment `json:"assessment"`
	// Identity is the model's entry in the registry of models: the same
	// model in every plan year it is recorded (0 when not yet linked).
	Identity int64 `json:"identity"`
	Stamp
	Approval
}

// ModelAssessment is the explicit judgement behind a model's Effective.
type ModelAssessment struct {
	On    Date   `json:"on"`
	By    string `json:"by"`
	Basis string `json:"basis"`
}

// ModelInput is a model as submitted; for a PATCH only the fields present
// change.
type ModelInput struct {
	Name      *string      `json:"name"`
	Kind      *string      `json:"kind"`
	Status    *ModelStatus `json:"status"`
	Effective *bool        `json:"effective"`
	StartedOn *Date        `json:"started_on"`
	Members   *int64       `json:"members"`
	Document  *DocumentRef `json:"document"`
	// Assessment, when given, replaces the model's assessment.
	Assessment *ModelAssessment `json:"assessment"`
	// Continues, when given, is the registry entry (identity) of the model
	// of an earlier year this one continues (tiếp nối); without it a new
	// model joins the entry of the unit's model of the same kind and name,
	// or a new entry.
	Continues *int64 `json:"continues,omitempty"`
	// Replicates, when given, is the registry entry of the model this one
	// replicates (nhân rộng từ); 0 clears it.
	Replicates *int64 `json:"replicates,omitempty"`
}

// Apply sets the fields present in in on m (the name trimmed).
func (in ModelInput) Apply(m *Model) {
	if in.Name != nil {
		m.Name = strings.TrimSpace(*in.Name)
	}
	setIfGiven(&m.Kind, in.Kind)
	setIfGiven(&m.Status, in.Status)
	setIfGiven(&m.Effective, in.Effective)
	setIfGiven(&m.StartedOn, in.StartedOn)
	setIfGiven(&m.Members, in.Members)
	if in.Document != nil {
		m.Document = in.Document
	}
	if in.Assessment != nil {
		a := *in.Assessment
		a.By, a.Basis = strings.TrimSpace(a.By), strings.TrimSpace(a.Basis)
		m.Assessment = &a
	}
}

// setIfGiven sets *dst to *v when v is given (not nil).
func setIfGiven[T any](dst, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Incident is an event that may veto a criterion (an item of the veto list)
// or count against the outcome criterion.
type Incident struct {
	ID          int64        `json:"id"`
	OccurredOn  Date         `json:"occurred_on"`
	Category    string       `json:"category"`
	Description string       `json:"description"`
	Verified    bool         `json:"verified"`
	Document    *DocumentRef `json:"document"`
	Stamp
	Approval
}

// IncidentInput is an incident as submitted.
type IncidentInput struct {
	OccurredOn  Date         `json:"occurred_on"`
	Category    string       `json:"category"`
	Description string       `json:"description"`
	Verified    bool         `json:"verified"`
	Document    *DocumentRef `json:"document"`
}

// RecognitionResult is the outcome of the "An toàn về ANTT" review.
type RecognitionResult string

const (
	RecognitionMet    RecognitionResult = "dat"      // đạt
	RecognitionNotMet RecognitionResult = "chua_dat" // chưa đạt
)

// Valid reports whether r is a known result.
func (r RecognitionResult) Valid() bool { return r == RecognitionMet || r == RecognitionNotMet }

// Label is the Vietnamese name of the result.
func (r RecognitionResult) Label() string {
	if r == RecognitionMet {
		return "Đạt"
	}
	return "Chưa đạt"
}

// Recognition is the decided result of the "An toàn về ANTT" review.
type Recognition struct {
	Result    RecognitionResult `json:"result"`
	DecidedOn Date              `json:"decided_on"`
	Decision  *DocumentRef      `json:"decision"`
	// Replaces, on input, is the number of the decision a new decision
	// replaces; a decided result changes only that way.
	Replaces string `json:"-"`
	// ReplacedDecision is the earlier decision this one replaced.
	ReplacedDecision *DocumentRef `json:"replaced_decision"`
	Stamp
}

// Grade is a movement grade under QĐ 510, best first.
type Grade string

const (
	GradeExcellent Grade = "xuat_sac"
	GradeGood      Grade = "kha"
	GradeAverage   Grade = "trung_binh"
	GradeWeak      Grade = "yeu"
)

// Grades lists the grades, best first.
var Grades = grades.Codes()

var grades = CodeList[Grade]{
	{GradeExcellent, "Xuất sắc"},
	{GradeGood, "Khá"},
	{GradeAverage, "Trung bình"},
	{GradeWeak, "Yếu"},
}

// Valid reports whether g is a known grade.
func (g Grade) Valid() bool { return grades.Valid(g) }

// Rank orders grades: 3 for xuất sắc down to 0 for yếu, -1 if unknown.
func (g Grade) Rank() int {
	if i := slices.Index(Grades, g); i >= 0 {
		return len(Grades) - 1 - i
	}
	return -1
}

// Label is the Vietnamese name of the grade ("Chưa xếp loại" for none).
func (g Grade) Label() string {
	if g == "" {
		return "Chưa xếp loại"
	}
	return grades.Label(g)
}

// GradeRecord is a unit's decided grade with its score in tenths of a point
// (fixed point: 92.5 points is 925).
type GradeRecord struct {
	Grade    Grade        `json:"grade"`
	Score    *Tenths      `json:"score"`
	Decision *DocumentRef `json:"decision"`
	// RubricGrade is the grade the rule set's bands and gates give Score
	// ("" without a score); a Grade other than it is overridden and
	// carries OverrideReason.
	RubricGrade    Grade  `json:"rubric_grade"`
	Overridden     bool   `json:"overridden"`
	OverrideReason string `json:"override_reason"`
	// Replaces, on input, is the number of the decision a new decision
	// replaces; ReplacedDecision is the earlier decision this one replaced.
	Replaces         string       `json:"-"`
	ReplacedDecision *DocumentRef `json:"replaced_decision"`
	Stamp
}

// Evidence is a file attached to a fact, stored by its SHA-256.
type Evidence struct {
	ID          int64     `json:"id"`
	Fact        FactKind  `json:"fact"`
	FactID      int64     `json:"fact_id,omitempty"` // model or incident id
	SHA256      string    `json:"sha256"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	UploadedAt  time.Time `json:"uploaded_at"`
	UploadedBy  string    `json:"uploaded_by"`
}

// UnitFacts is everything a unit recorded for a plan.
type UnitFacts struct {
	Registration *Registration `json:"registration"`
	Propaganda   *Propaganda   `json:"propaganda"`
	Models       []*Model      `json:"models"`
	Incidents    []*Incident   `json:"incidents"`
	Recognition  *Recognition  `json:"recognition"`
	Grade        *GradeRecord  `json:"grade"`
	// CollectiveAssessment is set for a collective of the grass-roots
	// forces that has been assessed.
	CollectiveAssessment *CollectiveAssessment `json:"collective_assessment"`
	Evidence             []*Evidence           `json:"evidence"`
}

// AtLeast reports whether g is o or better; "" (not graded) is below every
// grade.
func (g Grade) AtLeast(o Grade) bool { return g.Rank() >= 0 && g.Rank() >= o.Rank() }
