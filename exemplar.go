package antq

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ExemplarSubject is who or what an exemplary case is about.
type ExemplarSubject string

const (
	SubjectPerson     ExemplarSubject = "person"     // gương người tốt, việc tốt
	SubjectCollective ExemplarSubject = "collective" // a unit: tập thể điển hình tiên tiến
	SubjectModel      ExemplarSubject = "model"      // a model (mô hình) of the unit
)

var exemplarSubjects = CodeList[ExemplarSubject]{
	{SubjectPerson, "Cá nhân"},
	{SubjectCollective, "Tập thể"},
	{SubjectModel, "Mô hình"},
}

// Valid reports whether s is a known subject.
func (s ExemplarSubject) Valid() bool { return exemplarSubjects.Valid(s) }

// Label is the Vietnamese name ("" when unknown).
func (s ExemplarSubject) Label() string { return exemplarSubjects.LabelOr(s, "") }

// ExemplarState is where a case stands: reported → reviewed (the facts
// checked by someone other than the reporter) → published (needs recorded
// consent); a reported case may be returned, a published one withdrawn.
type ExemplarState string

const (
	ExemplarReported  ExemplarState = "reported"
	ExemplarReviewed  ExemplarState = "reviewed"
	ExemplarReturned  ExemplarState = "returned"
	ExemplarPublished ExemplarState = "published"
	ExemplarWithdrawn ExemplarState = "withdrawn"
)

var exemplarStates = CodeList[ExemplarState]{
	{ExemplarReported, "Đã báo cáo, chờ thẩm tra"},
	{ExemplarReviewed, "Đã thẩm tra"},
	{ExemplarReturned, "Bị trả lại"},
	{ExemplarPublished, "Đã công bố"},
	{ExemplarWithdrawn, "Đã gỡ khỏi trang công khai"},
}

// Label is the Vietnamese name ("" when unknown).
func (s ExemplarState) Label() string { return exemplarStates.LabelOr(s, "") }

// ExemplarAction is a step on a case.
type ExemplarAction string

const (
	ExemplarReview   ExemplarAction = "review"   // the facts checked
	ExemplarReturn   ExemplarAction = "return"   // back to the reporter, with a reason
	ExemplarConsent  ExemplarAction = "consent"  // record the consent to publish
	ExemplarPublish  ExemplarAction = "publish"  // onto the public page
	ExemplarWithdraw ExemplarAction = "withdraw" // off the public page, with a reason
)

// Consent is the recorded consent of the person shown (or, for a collective
// or a model, of its representative) to publication, field by field
// (Nghị định 13/2023 on personal data). Without the name a person appears by
// initials; without the birth year or photos those are not shown.
type Consent struct {
	On        Date   `json:"on"`
	By        string `json:"by"`       // who consented
	Document  string `json:"document"` // the signed form, e.g. "Phiếu đồng ý ngày 10/08/2023"
	Name      bool   `json:"name"`
	BirthYear bool   `json:"birth_year"`
	Photos    bool   `json:"photos"`
}

// CasePhoto is a photo of a case, an evidence file stored by content.
type CasePhoto struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	Caption     string `json:"caption"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Exemplar is an exemplary case (gương người tốt, việc tốt; điển hình
// tiên tiến): a person, a collective (the unit) or a model of the unit.
type Exemplar struct {
	ID         int64           `json:"id"`
	UnitCode   string          `json:"unit_code"`
	UnitName   string          `json:"unit_name"`
	Subject    ExemplarSubject `json:"subject"`
	PersonID   int64           `json:"person_id,omitempty"`
	PersonName string          `json:"person_name,omitempty"`
	ModelID    int64           `json:"model_id,omitempty"`
	ModelName  string          `json:"model_name,omitempty"`
	Title      string          `json:"title"`
	Deed       string          `json:"deed"` // what was done, in one or two sentences
	OccurredOn Date            `json:"occurred_on"`
	Place      string          `json:"place"`
	Story      string          `json:"story"`
	Source     string          `json:"source"` // who reported it first (a person, a unit, a newspaper)
	State      ExemplarState   `json:"state"`
	ReportedBy string          `json:"reported_by"`
	ReportedAt time.Time       `json:"reported_at"`
	ReviewedBy string          `json:"reviewed_by,omitempty"`
	ReviewNote string          `json:"review_note,omitempty"`
	Reason     string          `json:"reason,omitempty"` // of the last return or withdrawal
	Consent    *Consent        `json:"consent"`
	Published  *time.Time      `json:"published_at"`
	Photos     []CasePhoto     `json:"photos"`
}

// ExemplarInput is a case as reported.
type ExemplarInput struct {
	UnitCode   string          `json:"unit_code"`
	Subject    ExemplarSubject `json:"subject"`
	PersonID   int64           `json:"person_id"`
	ModelID    int64           `json:"model_id"`
	Title      string          `json:"title"`
	Deed       string          `json:"deed"`
	OccurredOn Date            `json:"occurred_on"`
	Place      string          `json:"place"`
	Story      string          `json:"story"`
	Source     string          `json:"source"`
}

// StepInput is what a step carries.
type ExemplarStep struct {
	Note    string   // review note, or the reason of a return or withdrawal
	Consent *Consent // for ExemplarConsent
}

func tidy(s string) string { return strings.TrimSpace(s) }

// Check validates a reported case on day today.
func (in ExemplarInput) Check(today Date) (*Exemplar, error) {
	f := FieldErrors{}
	if tidy(in.UnitCode) == "" {
		f.Add("unit_code", "cần đơn vị")
	}
	switch in.Subject {
	case SubjectPerson:
		if in.PersonID <= 0 {
			f.Add("person_id", "chọn người được nêu gương")
		}
	case SubjectModel:
		if in.ModelID <= 0 {
			f.Add("model_id", "chọn mô hình")
		}
	case SubjectCollective:
	default:
		f.Add("subject", "chọn cá nhân, tập thể hoặc mô hình")
	}
	lengths := []struct {
		field, value, what string
		min, max           int
	}{
		{"title", in.Title, "tiêu đề", 5, 200},
		{"deed", in.Deed, "việc làm", 10, 1000},
		{"place", in.Place, "nơi diễn ra", 2, 200},
		{"story", in.Story, "bài viết", 50, 20000},
		{"source", in.Source, "nguồn tin", 3, 200},
	}
	for _, l := range lengths {
		n := utf8.RuneCountInString(tidy(l.value))
		switch {
		case n == 0:
			f.Add(l.field, "cần "+l.what)
		case n < l.min:
			f.Add(l.field, l.what+" quá ngắn")
		case n > l.max:
			f.Add(l.field, l.what+" quá dài")
		}
	}
	f.addPastDate("occurred_on", "ngày diễn ra", in.OccurredOn, today)
	if err := f.Err("Gương điển hình không hợp lệ"); err != nil {
		return nil, err
	}
	e := &Exemplar{UnitCode: tidy(in.UnitCode), Subject: in.Subject, Title: tidy(in.Title), Deed: tidy(in.Deed),
		OccurredOn: in.OccurredOn, Place: tidy(in.Place), Story: tidy(in.Story), Source: tidy(in.Source), State: ExemplarReported}
	switch in.Subject {
	case SubjectPerson:
		e.PersonID = in.PersonID
	case SubjectModel:
		e.ModelID = in.ModelID
	}
	return e, nil
}

// CheckStep says whether user may take action on the case on day today and
// returns the case as it will be. Reviewing needs case:review and someone
// other than the reporter; publishing needs case:publish, a reviewed case
// and the consent recorded; consent may be recorded (or corrected) until the
// case is published.
func (e *Exemplar) CheckStep(user *User, action ExemplarAction, in ExemplarStep, today Date) (*Exemplar, error) {
	if err := stepAllowed(exemplarSteps, action, user, e.State, "Gương điển hình"); err != nil {
		return nil, err
	}
	next := *e
	note := tidy(in.Note)
	switch action {
	case ExemplarReview:
		if user.ID != 0 && user.Username == e.ReportedBy { // the command line (demo) takes every step alone
			return nil, Errorf(EFORBIDDEN, "Người báo cáo không tự thẩm tra gương điển hình của mình")
		}
		next.State, next.ReviewedBy, next.ReviewNote, next.Reason = ExemplarReviewed, user.Username, note, ""
	case ExemplarReturn:
		if note == "" {
			return nil, Invalid("Cần lý do trả lại", map[string]string{"note": "cần lý do trả lại"})
		}
		next.State, next.Reason = ExemplarReturned, note
	case ExemplarConsent:
		if e.State == ExemplarPublished {
			return nil, Errorf(ECONFLICT, "Gương điển hình đã công bố: gỡ khỏi trang công khai trước khi sửa sự đồng ý")
		}
		c, err := in.Consent.check(today)
		if err != nil {
			return nil, err
		}
		next.Consent = c
	case ExemplarPublish:
		if e.Consent == nil {
			return nil, Invalid("Chưa ghi nhận sự đồng ý công bố", map[string]string{"consent": "cần ghi nhận sự đồng ý công bố của người được nêu (hoặc người đại diện tập thể) trước khi công bố"})
		}
		next.State, next.Reason = ExemplarPublished, ""
	case ExemplarWithdraw:
		if note == "" {
			return nil, Invalid("Cần lý do gỡ", map[string]string{"note": "cần lý do gỡ khỏi trang công khai"})
		}
		next.State, next.Reason = ExemplarWithdrawn, note
	}
	return &next, nil
}

// exemplarSteps are the steps of an exemplary case, each with the
// permission it needs and the states it starts from (recording consent
// checks its own: any state until published).
var exemplarSteps = map[ExemplarAction]workflowStep[ExemplarState]{
	ExemplarReview:   {PermCaseReview, []ExemplarState{ExemplarReported}},
	ExemplarReturn:   {PermCaseReview, []ExemplarState{ExemplarReported, ExemplarReviewed}},
	ExemplarConsent:  {PermCaseWrite, nil},
	ExemplarPublish:  {PermCasePublish, []ExemplarState{ExemplarReviewed, ExemplarWithdrawn}},
	ExemplarWithdraw: {PermCasePublish, []ExemplarState{ExemplarPublished}},
}

func (c *Consent) check(today Date) (*Consent, error) {
	f := FieldErrors{}
	if c == nil {
		c = &Consent{}
	}
	out := *c
	out.By, out.Document = tidy(c.By), tidy(c.Document)
	if out.By == "" {
		f.Add("consent_by", "cần tên người đồng ý")
	}
	if out.Document == "" {
		f.Add("consent_document", "cần văn bản ghi nhận sự đồng ý (phiếu, biên bản)")
	}
	f.addPastDate("consent_on", "ngày đồng ý", c.On, today)
	if err := f.Err("Sự đồng ý công bố không hợp lệ"); err != nil {
		return nil, err
	}
	return &out, nil
}

// PublicCase is all of a published case that anyone may read: what was
// consented to and nothing else.
type PublicCase struct {
	ID           int64       `json:"id"`
	Title        string      `json:"title"`
	Subject      string      `json:"subject"`
	Shown        string      `json:"shown"` // the name, the initials, the unit or the model
	BirthYear    int         `json:"birth_year,omitempty"`
	RoleLabel    string      `json:"role,omitempty"`
	Deed         string      `json:"deed"`
	OccurredOn   Date        `json:"occurred_on"`
	Place        string      `json:"place"`
	Story        string      `json:"story"`
	Source       string      `json:"source"`
	UnitName     string      `json:"unit_name"`
	CommuneCode  string      `json:"commune_code"`
	CommuneName  string      `json:"commune_name"`
	ProvinceCode string      `json:"province_code"`
	ProvinceName string      `json:"province_name"`
	ModelName    string      `json:"model_name,omitempty"`
	Photos       []CasePhoto `json:"photos"`
	PublishedAt  time.Time   `json:"published_at"`
}

// Public returns what of a published case the public page shows, given
// the person it is about (nil for a collective or a model); nil when the
// case is not published. It is the one place that decides.
func (e *Exemplar) Public(p *Person) *PublicCase {
	if e.State != ExemplarPublished || e.Consent == nil || e.Published == nil {
		return nil
	}
	pc := &PublicCase{ID: e.ID, Title: e.Title, Subject: e.Subject.Label(), Deed: e.Deed, OccurredOn: e.OccurredOn,
		Place: e.Place, Story: e.Story, Source: e.Source, UnitName: e.UnitName, PublishedAt: *e.Published, Photos: []CasePhoto{}}
	switch e.Subject {
	case SubjectPerson:
		if p == nil {
			return nil
		}
		pc.Shown = Initials(p.FullName)
		if e.Consent.Name {
			pc.Shown = p.FullName
		}
		if e.Consent.BirthYear {
			pc.BirthYear = p.Birth
		}
		pc.RoleLabel = p.Role.Label()
	case SubjectModel:
		pc.Shown, pc.ModelName = e.ModelName, e.ModelName
	default:
		pc.Shown = e.UnitName
	}
	if e.Consent.Photos {
		for _, ph := range e.Photos {
			pc.Photos = append(pc.Photos, CasePhoto{ID: ph.ID, Caption: ph.Caption, ContentType: ph.ContentType, Size: ph.Size, Filename: ph.Filename})
		}
	}
	return pc
}
