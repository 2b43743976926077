// Package report composes a unit's year-end report (báo cáo tổng kết) or
// interim report (báo cáo sơ kết) for a plan: structured by the plan's
// contents of emulation, each with the plan's words, the narrative the unit
// writes and the figures that belong to it; then the year-end results, the
// models, the awards proposed, and the document's frame in the layout of
// Nghị định 30/2020/NĐ-CP (issuer, national title, number, place and date,
// recipients, signature). It is pure: the store supplies the figures and
// the stored narrative, the web layer renders HTML and DOCX.
package report

import (
	"fmt"
	"strings"
	"time"

	"antq"
	"antq/indicator"
	"antq/rules"
	"antq/yearend"
)

// Kind is a report's kind.
type Kind string

const (
	// YearEnd is the báo cáo tổng kết: figures at the end of the plan's window.
	YearEnd Kind = "tong_ket"
	// Interim is the báo cáo sơ kết: figures as of a chosen date.
	Interim Kind = "so_ket"
)

// Validate checks the kind.
func (k Kind) Validate() error {
	if k != YearEnd && k != Interim {
		return antq.Invalid("Loại báo cáo không hợp lệ", map[string]string{"kind": "chỉ nhận tong_ket (tổng kết) hoặc so_ket (sơ kết)"})
	}
	return nil
}

// Label is the kind in words.
func (k Kind) Label() string {
	if k == Interim {
		return "Sơ kết"
	}
	return "Tổng kết"
}

// The narrative sections every report has besides one per content.
const (
	SectionIntro      = "intro"
	SectionResults    = "results"
	SectionModels     = "models"
	SectionAwards     = "awards"
	SectionAssessment = "assessment"
	SectionDirections = "directions"
)

// ContentKey is the narrative section of the plan's content n.
func ContentKey(n int) string { return fmt.Sprintf("content-%d", n) }

// SectionKeys lists a plan's narrative sections in the report's order.
func SectionKeys(plan *rules.Plan) []string {
	keys := []string{SectionIntro}
	for _, c := range plan.Contents {
		keys = append(keys, ContentKey(c.Number))
	}
	return append(keys, SectionResults, SectionModels, SectionAwards, SectionAssessment, SectionDirections)
}

// Draft is what the unit writes: the document's frame and its narrative
// sections (section key → text).
type Draft struct {
	Number     string            `json:"number"`
	Place      string            `json:"place"`
	SignedOn   antq.Date         `json:"signed_on"`
	SignerRole string            `json:"signer_role"`
	SignerName string            `json:"signer_name"`
	Recipients string            `json:"recipients"`
	Sections   map[string]string `json:"sections"`
	UpdatedAt  time.Time         `json:"updated_at"`
	UpdatedBy  string            `json:"updated_by"`
}

// Limits on what a draft holds.
const (
	maxSection = 20_000
	maxLine    = 200
)

// Check validates a draft against the plan's sections; every problem names
// its field in Vietnamese.
func (d *Draft) Check(plan *rules.Plan, asOf antq.Date) error {
	fe := antq.FieldErrors{}
	known := map[string]bool{}
	for _, k := range SectionKeys(plan) {
		known[k] = true
	}
	for k, v := range d.Sections {
		if !known[k] {
			fe.Add("sections."+k, "không có mục này trong báo cáo")
		} else if len([]rune(v)) > maxSection {
			fe.Add("sections."+k, fmt.Sprintf("dài quá %d ký tự", maxSection))
		}
	}
	for field, v := range map[string]string{"number": d.Number, "place": d.Place, "signer_role": d.SignerRole, "signer_name": d.SignerName} {
		if len([]rune(v)) > maxLine {
			fe.Add(field, fmt.Sprintf("dài quá %d ký tự", maxLine))
		} else if strings.ContainsAny(v, "\r\n") {
			fe.Add(field, "chỉ được một dòng")
		}
	}
	if len([]rune(d.Recipients)) > 2000 {
		fe.Add("recipients", "dài quá 2000 ký tự")
	}
	if !d.SignedOn.IsZero() && d.SignedOn.Before(asOf) {
		fe.Add("signed_on", "ngày ký không được trước ngày số liệu của báo cáo ("+asOf.VN()+")")
	}
	return fe.Err("Báo cáo chưa lưu được")
}

// Failing is a target's failing units, the first of them listed.
type Failing struct {
	Units []FailingUnit
	Total int
}

// FailingUnit is a unit that misses a target.
type FailingUnit struct {
	Name, Parent, Reason string
}

// Model is a model (mô hình) of the report.
type Model struct {
	Unit, Name, Kind string
	Status           antq.ModelStatus
	Members          *int64
	Effective        bool
}

// AwardProposal is a collective or person proposed for an award. The
// commendation module (issue of the emulation board) replaces the default
// proposals by its own nominations through Input.Proposals.
type AwardProposal struct {
	Name   string
	Reason string
	Form   string // the award form proposed; "" = for the emulation board to decide
}

// ProposeFromGrades is the default source of proposals until the
// commendation module exists: the units graded "Xuất sắc" by a decision,
// each for the emulation board to consider.
func ProposeFromGrades(results []yearend.ResultRow) []AwardProposal {
	var out []AwardProposal
	for _, r := range results {
		if r.Grade == antq.GradeExcellent && r.GradeDoc != "" {
			out = append(out, AwardProposal{Name: r.Unit.Name, Reason: "Xếp loại phong trào “Xuất sắc” (Quyết định " + r.GradeDoc + ")"})
		}
	}
	return out
}

// Input is everything a report is made of.
type Input struct {
	Kind    Kind
	Plan    *rules.Plan
	Unit    *antq.Unit
	AsOf    antq.Date
	Figures []indicator.Figure
	Failing map[rules.Indicator]Failing
	Results []yearend.ResultRow
	Models  []Model
	// Proposals are the awards proposed (nil: ProposeFromGrades).
	Proposals []AwardProposal
	Draft     Draft
	Today     antq.Date
	// DefaultPlace is the place name when the draft names none ("": the
	// unit's own name without its type, right for a locality).
	DefaultPlace string
}
