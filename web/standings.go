package web

import (
	"context"
	"net/http"

	"antq"
)

// Standings on a person's page (prosecution, compulsory education,
// disciplinary review, dismissal, betrayal): recorded, closed and (when
// recorded by mistake) deleted with a reason by those who record people
// (person:write), read with the person, never public.

func standingForm(f *formParser) (antq.StandingInput, map[string]string) {
	in := antq.StandingInput{Standing: antq.Standing(f.str("standing")), From: f.date("from"), To: f.date("to"), Source: f.str("source"), Note: f.str("note")}
	form := map[string]string{}
	for _, k := range []string{"standing", "from", "to", "source", "note"} {
		form[k] = f.str(k)
	}
	return in, form
}

// personFailed answers a refused standing form with the person's page.
func (s *Server) personFailed(w http.ResponseWriter, r *http.Request, form map[string]string, err error) {
	s.refused(w, r, err, func(status int) { s.renderPerson(w, r, status, form, err) })
}

// standingsURL is where a saved standing form goes back to.
const standingsURL = "/people/%d?saved=1#standings"

// POST /people/{id}/standings
func (s *Server) standingCreate(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, standingsURL, s.personFailed, func(id int64) (map[string]string, error) {
		f := newFormParser(r)
		in, form := standingForm(f)
		if err := f.err(); err != nil {
			return form, err
		}
		_, err := s.DB.AddStanding(r.Context(), id, in)
		return form, err
	})
}

// POST /people/{id}/standings/{standing}/close (to)
func (s *Server) standingClose(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, standingsURL, s.personFailed, func(id int64) (map[string]string, error) {
		f := newFormParser(r)
		to := f.date("to")
		err := f.err()
		if err == nil {
			_, err = s.DB.CloseStanding(r.Context(), id, atoi64(r.PathValue("standing")), to)
		}
		if reason := antq.ErrorFields(err)["to"]; reason != "" {
			// Said at the top: the field of that name is the new standing's.
			err = antq.Invalid("Không ghi được ngày kết thúc: "+reason, nil)
		}
		return nil, err
	})
}

// POST /people/{id}/standings/{standing}/delete (reason)
func (s *Server) standingDelete(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, standingsURL, s.personFailed, func(id int64) (map[string]string, error) {
		f := newFormParser(r)
		reason := f.str("reason")
		if err := f.err(); err != nil {
			return nil, err
		}
		return nil, s.DB.DeleteStanding(r.Context(), id, atoi64(r.PathValue("standing")), reason)
	})
}

// POST /api/v1/people/{id}/standings/{standing}/delete ({"reason": text})
func (s *Server) apiStandingDelete(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	id, err := decodeWithID(r, pathID, &in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	respondDeleted(s, w, r, s.DB.DeleteStanding(r.Context(), id, atoi64(r.PathValue("standing")), in.Reason))
}

// GET /api/v1/people/{id}/standings
func (s *Server) apiStandings(w http.ResponseWriter, r *http.Request) {
	showByID(s, w, r, func(ctx context.Context, id int64) (map[string]any, error) {
		list, err := s.DB.PersonStandings(ctx, id)
		return map[string]any{"standings": list}, err
	})
}

// POST /api/v1/people/{id}/standings
func (s *Server) apiStandingCreate(w http.ResponseWriter, r *http.Request) {
	saveByID(s, w, r, http.StatusCreated, s.DB.AddStanding)
}

// POST /api/v1/people/{id}/standings/{standing}/close ({"to": date})
func (s *Server) apiStandingClose(w http.ResponseWriter, r *http.Request) {
	type body struct {
		To antq.Date `json:"to"`
	}
	saveByID(s, w, r, http.StatusOK, func(ctx context.Context, id int64, in body) (*antq.PersonStanding, error) {
		return s.DB.CloseStanding(ctx, id, atoi64(r.PathValue("standing")), in.To)
	})
}
