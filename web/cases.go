package web

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"

	"antq"
	"antq/store"
)

// casesPage lists the exemplary cases of a unit's subtree, with the form
// to report one.
type casesPage struct {
	Layout
	Unit     string
	Cases    []*antq.Exemplar
	People   []*antq.Person
	Models   []store.ModelChoice
	Form     map[string]string
	Errors   map[string]string
	Message  string
	CanWrite bool
}

// GET /cases?unit=CODE
func (s *Server) casesShow(w http.ResponseWriter, r *http.Request) {
	s.renderCases(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderCases(w http.ResponseWriter, r *http.Request, status int, form map[string]string, formErr error) {
	unit := r.URL.Query().Get("unit")
	ctx := r.Context()
	cases, err := s.DB.Exemplars(ctx, store.ExemplarFilter{UnitCode: unit})
	if err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(ctx)
	p := casesPage{Layout: s.layout(r, "Gương người tốt, việc tốt và điển hình tiên tiến"), Unit: unit, Cases: cases, Form: form,
		Errors: map[string]string{}, CanWrite: user.Can(antq.PermCaseWrite)}
	if p.CanWrite {
		if p.People, _, err = s.DB.People(ctx, store.PersonFilter{UnitCode: unit, Limit: 500}); err != nil {
			s.error(w, r, err)
			return
		}
		if p.Models, err = s.DB.ExemplarModels(ctx, unit); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if p.Form == nil {
		p.Form = map[string]string{"unit_code": unit, "subject": "person"}
	}
	if formErr != nil {
		p.Message = antq.ErrorMessage(formErr)
		if f := antq.ErrorFields(formErr); f != nil {
			p.Errors = f
		}
	}
	s.render(w, r, status, "cases", p)
}

var caseFields = []string{"unit_code", "subject", "person_id", "model_id", "title", "deed", "occurred_on", "place", "story", "source"}

// POST /cases — report a case.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	form := map[string]string{}
	for _, k := range caseFields {
		form[k] = f.str(k)
	}
	in := antq.ExemplarInput{UnitCode: f.str("unit_code"), Subject: antq.ExemplarSubject(f.str("subject")), PersonID: atoi64(f.str("person_id")),
		ModelID: atoi64(f.str("model_id")), Title: f.str("title"), Deed: f.str("deed"), OccurredOn: f.date("occurred_on"),
		Place: f.str("place"), Story: f.str("story"), Source: f.str("source")}
	var e *antq.Exemplar
	err := f.err()
	if err == nil {
		e, err = s.DB.CreateExemplar(r.Context(), in)
	}
	if err != nil {
		if code := antq.ErrorCode(err); code != antq.EINVALID {
			s.error(w, r, err)
			return
		}
		s.renderCases(w, r, http.StatusUnprocessableEntity, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d?saved=1", e.ID), http.StatusSeeOther)
}

type casePage struct {
	Layout
	Case                            *antq.Exemplar
	Errors                          map[string]string
	Message                         string
	CanWrite, CanReview, CanPublish bool
	Own                             bool // the caller reported it
}

// GET /cases/{id}
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	s.renderCase(w, r, http.StatusOK, nil)
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	e, err := recordOf(r, s.DB.Exemplar)
	if err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(r.Context())
	p := casePage{Layout: s.layout(r, e.Title), Case: e, Errors: map[string]string{}, CanWrite: user.Can(antq.PermCaseWrite),
		CanReview: user.Can(antq.PermCaseReview), CanPublish: user.Can(antq.PermCasePublish), Own: user.Username == e.ReportedBy}
	switch {
	case r.URL.Query().Get("saved") != "":
		p.Flash = "Đã lưu."
	case r.URL.Query().Get("done") != "":
		p.Flash = "Đã thực hiện: " + e.State.Label() + "."
	}
	if formErr != nil {
		p.Message = antq.ErrorMessage(formErr)
		if f := antq.ErrorFields(formErr); f != nil {
			p.Errors = f
		}
	}
	s.render(w, r, status, "case", p)
}

// caseFailed answers a refused case form with the case's page.
func (s *Server) caseFailed(w http.ResponseWriter, r *http.Request, err error) {
	s.refused(w, r, err, func(status int) { s.renderCase(w, r, status, err) })
}

// POST /cases/{id}/step — action=review|return|consent|publish|withdraw.
func (s *Server) caseStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := newFormParser(r)
	step := antq.ExemplarStep{Note: f.str("note")}
	action := antq.ExemplarAction(f.str("action"))
	if action == antq.ExemplarConsent {
		step.Consent = &antq.Consent{On: f.date("consent_on"), By: f.str("consent_by"), Document: f.str("consent_document"),
			Name: f.str("consent_name") != "", BirthYear: f.str("consent_birth_year") != "", Photos: f.str("consent_photos") != ""}
	}
	if err := f.err(); err != nil {
		s.renderCase(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	if _, err := s.DB.StepExemplar(r.Context(), id, action, step); err != nil {
		s.caseFailed(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d?done=%s", id, action), http.StatusSeeOther)
}

// POST /cases/{id}/photos — multipart: photo, caption.
func (s *Server) casePhotoUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.DB.EvidenceLimits().MaxBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.renderCase(w, r, http.StatusUnprocessableEntity, antq.Invalid("Ảnh không hợp lệ", map[string]string{"photo": "tệp quá lớn hoặc biểu mẫu hỏng"}))
		return
	}
	defer r.MultipartForm.RemoveAll()
	if err := formEncodingErr(r); err != nil {
		s.renderCase(w, r, http.StatusUnprocessableEntity, err)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		s.renderCase(w, r, http.StatusUnprocessableEntity, antq.Invalid("Thiếu ảnh", map[string]string{"photo": "hãy chọn một ảnh JPG hoặc PNG"}))
		return
	}
	defer file.Close()
	if _, err := s.DB.AddExemplarPhoto(r.Context(), id, header.Filename, r.FormValue("caption"), file); err != nil {
		s.caseFailed(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/cases/%d?saved=1#photos", id), http.StatusSeeOther)
}

// GET /cases/{id}/photos/{photo}
func (s *Server) casePhoto(w http.ResponseWriter, r *http.Request) {
	s.casePhotoFile(w, r, s.DB.OpenExemplarPhoto, "private, no-store")
}

// casePhotoFile answers GET …/cases/{id}/photos/{photo} with the photo
// open finds, sent with the Cache-Control cache.
func (s *Server) casePhotoFile(w http.ResponseWriter, r *http.Request,
	open func(ctx context.Context, caseID, photoID int64) (*antq.CasePhoto, *os.File, error), cache string) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	ph, f, err := open(r.Context(), id, atoi64(r.PathValue("photo")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer f.Close()
	servePhoto(w, ph, f, cache)
}

func servePhoto(w http.ResponseWriter, ph *antq.CasePhoto, f io.Reader, cache string) {
	w.Header().Set("Content-Type", ph.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": fmt.Sprintf("anh-%d%s", ph.ID, photoExt(ph.ContentType))}))
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("Content-Length", strconv.FormatInt(ph.Size, 10))
	io.Copy(w, f)
}

func photoExt(contentType string) string {
	if contentType == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// ---- API ----

// GET /api/v1/cases?unit=&state=
func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	cases, err := s.DB.Exemplars(r.Context(), store.ExemplarFilter{UnitCode: r.URL.Query().Get("unit"), State: antq.ExemplarState(r.URL.Query().Get("state"))})
	respond(s, w, r, map[string]any{"cases": cases}, err)
}

// POST /api/v1/cases
func (s *Server) apiCaseCreate(w http.ResponseWriter, r *http.Request) {
	createFromBody(s, w, r, s.DB.CreateExemplar)
}

// GET /api/v1/cases/{id}
func (s *Server) apiCaseShow(w http.ResponseWriter, r *http.Request) {
	showByID(s, w, r, s.DB.Exemplar)
}

// POST /api/v1/cases/{id}/{action} {"note"?, "consent"?}
func (s *Server) apiCaseStep(w http.ResponseWriter, r *http.Request) {
	type body struct {
		Note    string        `json:"note"`
		Consent *antq.Consent `json:"consent"`
	}
	action := antq.ExemplarAction(r.PathValue("action"))
	saveByID(s, w, r, http.StatusOK, func(ctx context.Context, id int64, in body) (*antq.Exemplar, error) {
		return s.DB.StepExemplar(ctx, id, action, antq.ExemplarStep{Note: in.Note, Consent: in.Consent})
	})
}
