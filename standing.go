package antq

import (
	"time"
	"unicode/utf8"
)

// Standings on a person (issue 15 item 4: "no award while under
// prosecution or review"). The award catalogue's rules (rules.StandingRule)
// name these codes; a person's standing is dated (From, To; To zero: still
// open) and comes from a decision or another source. Standings are
// personal data: shown in scope to those who read people, audited, never
// on the public page. REFERENCE §4.3 names them for individuals only, so
// units carry none.

// Standing is a state that excludes or postpones an award.
type Standing string

const (
	StandingProsecuted          Standing = "prosecuted"
	StandingCompulsoryEducation Standing = "compulsory_education"
	StandingDisciplinaryReview  Standing = "disciplinary_review"
	StandingDismissed           Standing = "dismissed"
	StandingBetrayal            Standing = "betrayal"
)

// Standings lists the standings in display order.
var Standings = standings.Codes()

var standings = CodeList[Standing]{
	{StandingProsecuted, "Bị truy cứu trách nhiệm hình sự"},
	{StandingCompulsoryEducation, "Bị đưa vào cơ sở giáo dục bắt buộc"},
	{StandingDisciplinaryReview, "Đang xem xét kỷ luật"},
	{StandingDismissed, "Bị cách chức, buộc thôi việc"},
	{StandingBetrayal, "Phản bội, đầu hàng, chiêu hàng"},
}

// Label is the Vietnamese name ("" when unknown).
func (s Standing) Label() string { return standings.LabelOr(s, "") }

// Valid reports whether s is a known standing.
func (s Standing) Valid() bool { return standings.Valid(s) }

// PersonStanding is one dated standing of a person.
type PersonStanding struct {
	ID       int64    `json:"id"`
	PersonID int64    `json:"person_id"`
	Standing Standing `json:"standing"`
	From     Date     `json:"from"`
	To       Date     `json:"to"` // zero: still open
	// Source is the decision or document the standing comes from
	// ("Quyết định khởi tố bị can số 12/QĐ-CSHS ngày …").
	Source    string    `json:"source"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// On reports whether the standing is in force on day d.
func (s *PersonStanding) On(d Date) bool {
	return !d.Before(s.From) && (s.To.IsZero() || !d.After(s.To))
}

// StandingInput is a standing as typed in.
type StandingInput struct {
	Standing Standing `json:"standing"`
	From     Date     `json:"from"`
	To       Date     `json:"to"`
	Source   string   `json:"source"`
	Note     string   `json:"note"`
}

// Check validates a standing on day today.
func (in StandingInput) Check(today Date) (*PersonStanding, error) {
	f := FieldErrors{}
	if !in.Standing.Valid() {
		f.Add("standing", "chọn tình trạng trong danh mục")
	}
	f.addPastDate("from", "ngày bắt đầu", in.From, today)
	if !in.To.IsZero() && in.To.Before(in.From) {
		f.Add("to", "ngày kết thúc trước ngày bắt đầu")
	}
	switch n := utf8.RuneCountInString(tidy(in.Source)); {
	case n == 0:
		f.Add("source", "cần căn cứ (số, ngày quyết định hoặc văn bản)")
	case n > 300:
		f.Add("source", "căn cứ quá 300 ký tự")
	}
	if utf8.RuneCountInString(in.Note) > 2000 {
		f.Add("note", "ghi chú quá 2.000 ký tự")
	}
	if err := f.Err("Tình trạng không hợp lệ"); err != nil {
		return nil, err
	}
	return &PersonStanding{Standing: in.Standing, From: in.From, To: in.To, Source: tidy(in.Source), Note: tidy(in.Note)}, nil
}

// DocumentKind is what a file of a nomination's dossier is.
type DocumentKind string

const (
	DocumentProposal     DocumentKind = "proposal"     // tờ trình
	DocumentAchievements DocumentKind = "achievements" // báo cáo thành tích
	DocumentMinutes      DocumentKind = "minutes"      // biên bản họp hội đồng thi đua, khen thưởng
	DocumentOther        DocumentKind = "other"
)

// DocumentKinds lists the kinds in display order.
var DocumentKinds = documentKinds.Codes()

var documentKinds = CodeList[DocumentKind]{
	{DocumentProposal, "Tờ trình"},
	{DocumentAchievements, "Báo cáo thành tích"},
	{DocumentMinutes, "Biên bản họp Hội đồng thi đua, khen thưởng"},
	{DocumentOther, "Tài liệu khác"},
}

// Label is the Vietnamese name ("" when unknown).
func (k DocumentKind) Label() string { return documentKinds.LabelOr(k, "") }

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool { return documentKinds.Valid(k) }

// NominationDocument is an uploaded file of a nomination's dossier.
type NominationDocument struct {
	ID           int64        `json:"id"`
	NominationID int64        `json:"nomination_id"`
	Kind         DocumentKind `json:"kind"`
	Filename     string       `json:"filename"`
	ContentType  string       `json:"content_type"`
	Size         int64        `json:"size"`
	SHA256       string       `json:"sha256"`
	UploadedAt   time.Time    `json:"uploaded_at"`
	UploadedBy   string       `json:"uploaded_by"`
}
