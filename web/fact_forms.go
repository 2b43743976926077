package web

import (
	"context"
	"net/http"

	"antq"
)

// The data-entry forms of a unit's facts, posted from its page
// (facts_page.go): each reads its fields and saves or deletes the fact.

// answerFactForm deletes the form's fact when deleting, else saves the
// input the handler read from f (unless some field could not be read);
// a refusal re-renders the page with the reasons, anything done redirects
// back to the form.
func (s *Server) answerFactForm(w http.ResponseWriter, r *http.Request, form string, f *formParser, deleting bool,
	del, save func(ctx context.Context) error) {
	if deleting && f.str("confirm") != "yes" && f.err() == nil {
		s.confirmDelete(w, r, form)
		return
	}
	var err error
	switch {
	case deleting:
		err = del(r.Context())
	case f.err() != nil:
		err = f.err()
	default:
		err = save(r.Context())
	}
	if err != nil {
		s.formFailed(w, r, form, err)
		return
	}
	s.formSaved(w, r, form, deleting)
}

// singleFactForm answers the form of a fact a unit has at most one of
// (registration, propaganda, recognition, collective assessment, grade):
// read takes the input from the form, del and put are the store's.
func singleFactForm[In, Out any](s *Server, w http.ResponseWriter, r *http.Request, form string, read func(f *formParser) In,
	del func(ctx context.Context, plan, code string) error, put func(ctx context.Context, plan, code string, in In) (Out, error)) {
	f, _, ok := s.factForm(w, r, form)
	if !ok {
		return
	}
	plan, code := factPath(r)
	in := read(f)
	s.answerFactForm(w, r, form, f, f.deleting(),
		func(ctx context.Context) error { return del(ctx, plan, code) },
		func(ctx context.Context) error { _, err := put(ctx, plan, code, in); return err })
}

// POST /plans/{plan}/units/{code}/registration
func (s *Server) formRegistration(w http.ResponseWriter, r *http.Request) {
	singleFactForm(s, w, r, "registration", func(f *formParser) antq.Registration {
		return antq.Registration{RegisteredOn: f.date("registered_on"), Document: f.document()}
	}, s.DB.DeleteRegistration, s.DB.PutRegistration)
}

// POST /plans/{plan}/units/{code}/propaganda
func (s *Server) formPropaganda(w http.ResponseWriter, r *http.Request) {
	singleFactForm(s, w, r, "propaganda", func(f *formParser) antq.PropagandaInput {
		return antq.PropagandaInput{Reached: f.int("reached"), Total: f.int("total"), AsOf: f.date("as_of"), Document: f.document(),
			TotalReason: f.str("total_reason")}
	}, s.DB.DeletePropaganda, s.DB.PutPropaganda)
}

// POST /plans/{plan}/units/{code}/models (new) and …/models/{id} (change or
// delete).
func (s *Server) formModel(w http.ResponseWriter, r *http.Request) {
	f, id, ok := s.factForm(w, r, "model")
	if !ok {
		return
	}
	plan, code := factPath(r)
	in := antq.ModelInput{Name: ptrTo(f.str("name")), Kind: ptrTo(f.str("kind")), Status: ptrTo(antq.ModelStatus(f.str("status"))),
		Effective: ptrTo(f.str("effective") == "on"), Members: f.int("members"), Document: f.document()}
	in.Continues, in.Replicates = f.int("continues"), f.int("replicates")
	if d := f.date("started_on"); !d.IsZero() {
		in.StartedOn = &d
	}
	if on, by, basis := f.date("assessed_on"), f.str("assessed_by"), f.str("assessment_basis"); !on.IsZero() || by != "" || basis != "" {
		in.Assessment = &antq.ModelAssessment{On: on, By: by, Basis: basis}
	}
	s.answerFactForm(w, r, "model", f, f.deleting(),
		func(ctx context.Context) error { return s.DB.DeleteModel(ctx, plan, code, id) },
		func(ctx context.Context) (err error) {
			if id == 0 {
				_, err = s.DB.CreateModel(ctx, plan, code, in)
			} else {
				_, err = s.DB.UpdateModel(ctx, plan, code, id, in)
			}
			return err
		})
}

func ptrTo[T any](v T) *T { return &v }

// POST /plans/{plan}/units/{code}/incidents (new) and …/incidents/{id} (delete).
func (s *Server) formIncident(w http.ResponseWriter, r *http.Request) {
	f, id, ok := s.factForm(w, r, "incident")
	if !ok {
		return
	}
	plan, code := factPath(r)
	in := antq.IncidentInput{OccurredOn: f.date("occurred_on"), Category: f.str("category"), Description: f.str("description"),
		Verified: f.str("verified") == "on", Document: f.document()}
	s.answerFactForm(w, r, "incident", f, id != 0,
		func(ctx context.Context) error { return s.DB.DeleteIncident(ctx, plan, code, id) },
		func(ctx context.Context) error { _, err := s.DB.CreateIncident(ctx, plan, code, in); return err })
}

// POST /plans/{plan}/units/{code}/recognition
func (s *Server) formRecognition(w http.ResponseWriter, r *http.Request) {
	singleFactForm(s, w, r, "recognition", func(f *formParser) antq.Recognition {
		return antq.Recognition{Result: antq.RecognitionResult(f.str("result")), DecidedOn: f.date("decided_on"), Decision: f.document(),
			Replaces: f.str("replaces")}
	}, s.DB.DeleteRecognition, s.DB.PutRecognition)
}

// POST /plans/{plan}/units/{code}/collective-assessment
func (s *Server) formCollectiveAssessment(w http.ResponseWriter, r *http.Request) {
	singleFactForm(s, w, r, "collective_assessment", func(f *formParser) antq.CollectiveAssessment {
		return antq.CollectiveAssessment{Level: antq.CollectiveLevel(f.str("level")), AssessedOn: f.date("assessed_on"),
			AssessedBy: f.str("assessed_by"), Basis: f.str("basis"), Decision: f.document(), Replaces: f.str("replaces")}
	}, s.DB.DeleteCollectiveAssessment, s.DB.PutCollectiveAssessment)
}

// POST /plans/{plan}/units/{code}/grade
func (s *Server) formGrade(w http.ResponseWriter, r *http.Request) {
	singleFactForm(s, w, r, "grade", func(f *formParser) antq.GradeRecord {
		in := antq.GradeRecord{Grade: antq.Grade(f.str("grade")), Decision: f.document(),
			OverrideReason: f.str("override_reason"), Replaces: f.str("replaces")}
		if v := f.str("score"); v != "" {
			if t, err := antq.ParseTenths(v); err != nil {
				f.errors.Add("score", err.Error())
			} else {
				in.Score = &t
			}
		}
		return in
	}, s.DB.DeleteGrade, s.DB.PutGrade)
}
