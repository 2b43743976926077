package yearend

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"antq"
	"antq/rules"
)

// CriterionInput is a verdict on one criterion. A verdict that departs from
// the software's suggestion needs a reason.
type CriterionInput struct {
	ID             string  `json:"id"`
	Verdict        Verdict `json:"verdict"`
	Note           string  `json:"note"`
	OverrideReason string  `json:"override_reason"`
}

// DocumentInput names a dossier document: its number and date, and/or an
// evidence file of the unit.
type DocumentInput struct {
	Code       string    `json:"code"`
	Number     string    `json:"number"`
	Date       antq.Date `json:"date"`
	EvidenceID int64     `json:"evidence_id"`
}

// ScoreInput is one rubric item's scores.
type ScoreInput struct {
	ItemID   string       `json:"item"`
	Self     *antq.Tenths `json:"self"`
	Reviewed *antq.Tenths `json:"reviewed"`
	Note     string       `json:"note"`
}

// DossierInput changes a dossier's content. Only the parts given change.
type DossierInput struct {
	Criteria  []CriterionInput `json:"criteria"`
	Documents []DocumentInput  `json:"documents"`
	Scores    []ScoreInput     `json:"scores"`
	// Grade overrides the grade the bands give (grading; needs Reason).
	Grade          antq.Grade `json:"grade"`
	OverrideReason string     `json:"override_reason"`
}

// EvidenceIDs lists the evidence files the input's documents name.
func (in DossierInput) EvidenceIDs() []int64 {
	var ids []int64
	for _, d := range in.Documents {
		if d.EvidenceID != 0 {
			ids = append(ids, d.EvidenceID)
		}
	}
	return ids
}

// maxNote bounds a note or a reason, in characters.
const maxNote = 2000

// CheckDossierInput decides whether in may change d, a dossier loaded for
// its caller (d.Duty.Actor). A decided or reviewed dossier is locked
// (ECONFLICT); otherwise every verdict, document, score and grade must fit
// the dossier's kind and lists, and departing from the software — a
// verdict against a definite suggestion, a reviewed score, a grade
// override — needs a reason and the decide permission. evidence holds
// which of the evidence files in names belong to the unit; a document's
// date may not be after today. Field errors name the input's fields.
func CheckDossierInput(d *Dossier, in DossierInput, evidence map[int64]bool, today antq.Date) error {
	if !d.State.Editable() {
		return antq.Errorf(antq.ECONFLICT, "Hồ sơ đang ở trạng thái “%s”: không sửa được. Hồ sơ đã quyết định chỉ thay đổi bằng quyết định mới (mở lại hồ sơ).", d.State.Label())
	}
	f := antq.FieldErrors{}
	checkCriteria(f, d, in.Criteria)
	checkDocuments(f, d, in.Documents, evidence, today)
	checkScores(f, d, in.Scores)
	if in.Grade != "" {
		switch {
		case d.Kind != DossierGrading:
			f.Add("grade", "chỉ hồ sơ xếp loại có xếp loại")
		case !in.Grade.Valid():
			f.Add("grade", fmt.Sprintf("xếp loại %q không hợp lệ", in.Grade))
		case strings.TrimSpace(in.OverrideReason) == "":
			f.Add("override_reason", "xếp loại khác với kết quả tính theo ngưỡng: cần nêu lý do")
		case !d.Duty.Actor.MayDecide:
			f.Add("grade", "chỉ người thẩm định được thay đổi xếp loại")
		}
	}
	return f.Err("Hồ sơ không hợp lệ")
}

func checkCriteria(f antq.FieldErrors, d *Dossier, in []CriterionInput) {
	byID := map[string]CriterionView{}
	for _, c := range d.Criteria {
		byID[c.Criterion.ID] = c
	}
	for i, c := range in {
		field := fmt.Sprintf("criteria[%d]", i)
		cv, known := byID[c.ID]
		s := cv.Suggestion
		switch {
		case d.Kind != DossierRecognition:
			f.Add(field, "hồ sơ xếp loại không có tiêu chí công nhận")
		case !known:
			f.Add(field+".id", fmt.Sprintf("tiêu chí %q không có trong danh mục của %s", c.ID, d.Unit.Kind.Label()))
		case c.Verdict != Met && c.Verdict != NotMet && c.Verdict != Unknown:
			f.Add(field+".verdict", "đánh giá phải là met, not_met hoặc unknown")
		case s.Verdict == Pending && c.Verdict != Unknown:
			f.Add(field+".verdict", "tiêu chí chờ kết quả các đơn vị trực thuộc: "+s.Reason)
		case s.Verdict.Definite() && c.Verdict != s.Verdict && c.Verdict != Unknown:
			if strings.TrimSpace(c.OverrideReason) == "" {
				f.Add(field+".override_reason", fmt.Sprintf("khác với đề xuất (%s: %s): cần nêu lý do", s.Verdict.Label(), s.Reason))
			} else if !d.Duty.Actor.MayDecide {
				f.Add(field+".override_reason", "chỉ người thẩm định được thay đổi đề xuất của hệ thống")
			}
		}
		if utf8.RuneCountInString(c.Note) > maxNote || utf8.RuneCountInString(c.OverrideReason) > maxNote {
			f.Add(field+".note", "ghi chú quá dài (tối đa 2000 ký tự)")
		}
	}
}

func checkDocuments(f antq.FieldErrors, d *Dossier, in []DocumentInput, evidence map[int64]bool, today antq.Date) {
	codes := map[string]bool{}
	for _, doc := range d.Documents {
		codes[doc.Doc.Code] = true
	}
	for i, doc := range in {
		field := fmt.Sprintf("documents[%d]", i)
		if !codes[doc.Code] {
			f.Add(field+".code", fmt.Sprintf("loại văn bản %q không có trong danh mục hồ sơ", doc.Code))
		}
		if !doc.Date.IsZero() {
			rules.CheckNotFuture(f, field+".date", doc.Date, today)
		}
		if doc.EvidenceID != 0 && !evidence[doc.EvidenceID] {
			f.Add(field+".evidence_id", "không có minh chứng này của đơn vị")
		}
	}
}

func checkScores(f antq.FieldErrors, d *Dossier, in []ScoreInput) {
	if len(in) == 0 {
		return
	}
	if d.Kind != DossierGrading {
		f.Add("scores", "hồ sơ công nhận không chấm điểm")
		return
	}
	var scores []ItemScore
	for _, s := range in {
		scores = append(scores, ItemScore{ItemID: s.ItemID, Self: s.Self, Reviewed: s.Reviewed})
		if s.Reviewed != nil && !d.Duty.Actor.MayDecide {
			f.Add("scores."+s.ItemID, "chỉ cấp thẩm định chấm điểm thẩm định")
		}
	}
	_, _, errs := Score(d.Rubric, scores)
	for item, reason := range errs {
		f.Add("scores."+item, reason)
	}
}
