package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"antq"
	"antq/xlsx"
	"antq/yearend"
)

type criterionJSON struct {
	ID             string          `json:"id"`
	Title          string          `json:"title"`
	Ref            string          `json:"ref"`
	Verified       bool            `json:"verified"`
	Suggested      yearend.Verdict `json:"suggested"`
	SuggestReason  string          `json:"suggested_reason"`
	Verdict        yearend.Verdict `json:"verdict"`
	Overridden     bool            `json:"overridden"`
	OverrideReason string          `json:"override_reason,omitempty"`
	Note           string          `json:"note,omitempty"`
}

type documentJSON struct {
	Code       string    `json:"code"`
	Title      string    `json:"title"`
	Required   bool      `json:"required"`
	Number     string    `json:"number,omitempty"`
	Date       antq.Date `json:"date"`
	EvidenceID int64     `json:"evidence_id,omitempty"`
	Missing    bool      `json:"missing"`
}

type scoreJSON struct {
	Item     string       `json:"item"`
	Title    string       `json:"title"`
	Max      antq.Tenths  `json:"max"`
	Verified bool         `json:"verified"`
	Self     *antq.Tenths `json:"self"`
	Reviewed *antq.Tenths `json:"reviewed"`
}

type dossierJSON struct {
	Plan           string                  `json:"plan"`
	Unit           unitRefJSON             `json:"unit"`
	Kind           yearend.DossierKind     `json:"kind"`
	State          yearend.State           `json:"state"`
	Criteria       []criterionJSON         `json:"criteria,omitempty"`
	Result         antq.RecognitionResult  `json:"result,omitempty"`
	Scores         []scoreJSON             `json:"scores,omitempty"`
	SelfTotal      *antq.Tenths            `json:"self_total,omitempty"`
	ReviewedTotal  *antq.Tenths            `json:"reviewed_total,omitempty"`
	ComputedGrade  antq.Grade              `json:"computed_grade,omitempty"`
	GradeReasons   []string                `json:"grade_reasons,omitempty"`
	Grade          antq.Grade              `json:"grade,omitempty"`
	OverrideReason string                  `json:"override_reason,omitempty"`
	Documents      []documentJSON          `json:"documents"`
	Missing        []string                `json:"missing"`
	Blocked        string                  `json:"blocked,omitempty"`
	ReturnReason   string                  `json:"return_reason,omitempty"`
	Decision       *decisionJSON           `json:"decision,omitempty"`
	Authority      string                  `json:"authority,omitempty"`
	AuthorityLabel string                  `json:"authority_label,omitempty"`
	AuthorityNote  string                  `json:"authority_note,omitempty"`
	Deadline       *yearend.DeadlineStatus `json:"deadline,omitempty"`
	Amended        bool                    `json:"amended"`
	UpdatedAt      time.Time               `json:"updated_at"`
	UpdatedBy      string                  `json:"updated_by"`
	// Who took the workflow's steps, and the steps separation of duties
	// refuses the caller, with the reason.
	SubmittedBy string                    `json:"submitted_by,omitempty"`
	ReviewedBy  string                    `json:"reviewed_by,omitempty"`
	DecidedBy   string                    `json:"decided_by,omitempty"`
	Refused     map[yearend.Action]string `json:"refused,omitempty"`
}

type decisionJSON struct {
	Number   string    `json:"number"`
	Date     antq.Date `json:"date"`
	Late     bool      `json:"late"`
	Previous string    `json:"previous,omitempty"`
	// The signature block and the certificate's number.
	SignerTitle   string `json:"signer_title,omitempty"`
	SignerName    string `json:"signer_name,omitempty"`
	CertificateNo int    `json:"certificate_no,omitempty"`
}

func toDossierJSON(d *yearend.Dossier) dossierJSON {
	j := dossierJSON{Plan: d.Plan.ID, Unit: unitRefJSON{d.Unit.Code, d.Unit.Name, string(d.Unit.Kind)}, Kind: d.Kind, State: d.State,
		Result: d.Result, Missing: d.Missing, Blocked: d.Blocked, ReturnReason: d.ReturnReason, Authority: d.Authority,
		AuthorityLabel: d.AuthorityLabel, AuthorityNote: d.AuthorityNote, Deadline: d.Deadline, Amended: d.Amended,
		OverrideReason: d.OverrideReason, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy, Documents: []documentJSON{},
		SubmittedBy: d.Submitted.By, ReviewedBy: d.Reviewed.By, DecidedBy: d.Decided.By, Refused: d.Refused}
	if j.Missing == nil {
		j.Missing = []string{}
	}
	for _, c := range d.Criteria {
		j.Criteria = append(j.Criteria, criterionJSON{ID: c.Criterion.ID, Title: c.Criterion.Title, Ref: c.Criterion.Ref, Verified: c.Criterion.Verified,
			Suggested: c.Suggestion.Verdict, SuggestReason: c.Suggestion.Reason, Verdict: c.Verdict, Overridden: c.Overridden,
			OverrideReason: c.OverrideReason, Note: c.Note})
	}
	if d.Kind == yearend.DossierGrading {
		self, rev := d.SelfTotal, d.ReviewedTotal
		j.SelfTotal, j.ReviewedTotal, j.ComputedGrade, j.GradeReasons, j.Grade = &self, &rev, d.ComputedGrade, d.GradeReasons, d.Grade
		for _, s := range d.Scores {
			j.Scores = append(j.Scores, scoreJSON{Item: s.Item.ID, Title: s.Item.Title, Max: s.Item.MaxPoints,
				Verified: s.Item.Verified, Self: s.Self, Reviewed: s.Reviewed})
		}
	}
	for _, doc := range d.Documents {
		j.Documents = append(j.Documents, documentJSON{Code: doc.Doc.Code, Title: doc.Doc.Title, Required: doc.Doc.Required,
			Number: doc.Number, Date: doc.Date, EvidenceID: doc.EvidenceID, Missing: doc.Missing})
	}
	if d.State == yearend.Decided || d.DecisionNumber != "" {
		j.Decision = &decisionJSON{Number: d.DecisionNumber, Date: d.DecisionDate, Late: d.DecidedLate, Previous: d.PreviousDecision,
			SignerTitle: d.SignerTitle, SignerName: d.SignerName, CertificateNo: d.CertificateNo}
	}
	return j
}

func dossierKind(r *http.Request) yearend.DossierKind {
	return yearend.DossierKind(r.PathValue("kind"))
}

// GET /api/v1/plans/{plan}/units/{code}/dossiers/{kind}
func (s *Server) apiDossier(w http.ResponseWriter, r *http.Request) {
	plan, code := factPath(r)
	d, err := s.DB.Dossier(r.Context(), plan, code, dossierKind(r))
	respondAs(s, w, r, d, err, toDossierJSON)
}

// PATCH /api/v1/plans/{plan}/units/{code}/dossiers/{kind}
func (s *Server) apiUpdateDossier(w http.ResponseWriter, r *http.Request) {
	var in yearend.DossierInput
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	d, err := s.DB.UpdateDossier(r.Context(), plan, code, dossierKind(r), in)
	respondAs(s, w, r, d, err, toDossierJSON)
}

// POST /api/v1/plans/{plan}/units/{code}/dossiers/{kind}/{action}
func (s *Server) apiDossierAction(w http.ResponseWriter, r *http.Request) {
	var in yearend.TransitionInput
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			s.error(w, r, err)
			return
		}
	}
	plan, code := factPath(r)
	d, err := s.DB.Transition(r.Context(), plan, code, dossierKind(r), yearend.Action(r.PathValue("action")), in)
	respondAs(s, w, r, d, err, toDossierJSON)
}

// POST /api/v1/plans/{plan}/dossiers/{kind}/{action} {"units":[…], …}
func (s *Server) apiBulkDossiers(w http.ResponseWriter, r *http.Request) {
	// An unknown kind or plan is the 404 the single-unit route gives, not a
	// refusal repeated for every unit of the list.
	if kind := dossierKind(r); !kind.Valid() {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không có loại hồ sơ %q", kind))
		return
	}
	if _, _, err := s.DB.Plan(r.Context(), r.PathValue("plan")); err != nil {
		s.error(w, r, err)
		return
	}
	var in struct {
		Units []string `json:"units"`
		yearend.TransitionInput
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.DB.BulkTransition(r.Context(), r.PathValue("plan"), in.Units, dossierKind(r), yearend.Action(r.PathValue("action")), in.TransitionInput)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ok := 0
	for _, x := range res {
		if x.Error == "" {
			ok++
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": res, "succeeded": ok, "failed": len(res) - ok})
}

type inboxItemJSON struct {
	Unit     unitRefJSON             `json:"unit"`
	Kind     yearend.DossierKind     `json:"kind"`
	State    yearend.State           `json:"state"`
	Result   string                  `json:"result,omitempty"`
	Deadline *yearend.DeadlineStatus `json:"deadline,omitempty"`
	Updated  time.Time               `json:"updated_at"`
	By       string                  `json:"updated_by"`
}

// inboxFilter reads ?kind=&late=1&state=&offset=&limit=.
func inboxFilter(r *http.Request) (yearend.InboxFilter, error) {
	offset, limit, err := pageParams(r)
	if err != nil {
		return yearend.InboxFilter{}, err
	}
	q := r.URL.Query()
	f := yearend.InboxFilter{Kind: yearend.DossierKind(q.Get("kind")), Late: q.Get("late") == "1", Offset: offset, Limit: limit}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, badRequest("Tham số không hợp lệ", map[string]string{"kind": "recognition hoặc grading"})
	}
	for _, st := range q["state"] {
		if st == "" {
			continue // the form's "every state waiting" choice
		}
		switch s := yearend.State(st); s {
		case yearend.Draft, yearend.Submitted, yearend.Returned, yearend.Reviewed, yearend.Decided:
			f.States = append(f.States, s)
		default:
			return f, badRequest("Tham số không hợp lệ", map[string]string{"state": "draft, submitted, returned, reviewed hoặc decided"})
		}
	}
	return f, nil
}

// GET /api/v1/plans/{plan}/inbox
func (s *Server) apiInbox(w http.ResponseWriter, r *http.Request) {
	f, err := inboxFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, total, err := s.DB.Inbox(r.Context(), r.PathValue("plan"), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := []inboxItemJSON{}
	for _, it := range items {
		out = append(out, inboxItemJSON{unitRefJSON{it.Unit.Code, it.Unit.Name, string(it.Unit.Kind)}, it.Kind, it.State, it.Result, it.Deadline, it.Updated, it.By})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "total": total, "offset": f.Offset, "limit": f.Limit})
}

// GET /api/v1/plans/{plan}/results.xlsx?unit=CODE (also served to pages):
// the file is named after the unit asked for (the plan's root without
// one), with its Vietnamese name for browsers that read filename*.
func (s *Server) resultsXLSX(w http.ResponseWriter, r *http.Request) {
	plan, unit, err := s.planAndUnit(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	today := antq.DateOf(s.DB.Now().In(s.zone))
	title := plan.Title + " — " + unit.Name + " (xuất ngày " + today.VN() + ")"
	// The workbook is written as its rows are read: its first bytes leave
	// once the unit is found in the caller's scope (until then an error is
	// an error page), and a read that fails later breaks the download off,
	// which the browser reports as failed.
	var book *xlsx.ResultsStream
	err = s.DB.EachResult(r.Context(), plan.ID, unit.Code, func() error {
		ascii := "ket-qua-" + plan.ID + "-" + unit.Code + "-" + slug(unit.Name)
		human := "Kết quả " + strconv.Itoa(plan.Year) + " — " + unit.Name
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename=\""+ascii+".xlsx\"; filename*=UTF-8''"+url.PathEscape(human+".xlsx"))
		w.Header().Set("Cache-Control", "private, no-store")
		var err error
		if book, err = xlsx.NewResultsStream(w, title); err == nil {
			http.NewResponseController(w).Flush() // best effort: the bytes go sooner
		}
		return err
	}, func(row *yearend.ResultRow) error { return book.Add(row) })
	if err == nil {
		err = book.Close()
	}
	switch {
	case err == nil:
	case book == nil:
		s.error(w, r, err)
	default:
		s.Logger.Error("results.xlsx broken off", "plan", plan.ID, "unit", unit.Code, "err", err)
		panic(http.ErrAbortHandler) // the client sees the download fail, not a short file taken for whole
	}
}

// slug is a name in lower-case ASCII words joined by hyphens ("Tỉnh Bình
// Phước" → "tinh-binh-phuoc"), for file names.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range antq.Fold(name) {
		switch {
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
