package web

import (
	"fmt"
	"net/http"
	"strconv"

	"antq"
	"antq/rules"
	"antq/store"
)

// peoplePage lists people of a unit's subtree, with the form to add one.
type peoplePage struct {
	Layout
	Unit     string
	People   []*antq.Person
	Total    int
	Roles    []personRoleOption
	Form     map[string]string // submitted values, re-shown after a refusal
	Errors   map[string]string
	Message  string
	CanWrite bool
}

type personRoleOption struct {
	Role  antq.PersonRole
	Label string
}

func personRoles() []personRoleOption {
	out := make([]personRoleOption, len(antq.PersonRoles))
	for i, r := range antq.PersonRoles {
		out[i] = personRoleOption{r.Role, r.Label}
	}
	return out
}

// GET /people?unit=CODE&q=NAME — the people in scope (the listing is audited).
func (s *Server) peopleShow(w http.ResponseWriter, r *http.Request) {
	s.renderPeople(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderPeople(w http.ResponseWriter, r *http.Request, status int, form map[string]string, formErr error, message string) {
	unit := r.URL.Query().Get("unit")
	people, total, err := s.DB.People(r.Context(), store.PersonFilter{UnitCode: unit, Query: r.URL.Query().Get("q"), Limit: 200})
	if err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(r.Context())
	p := peoplePage{Layout: s.layout(r, "Cá nhân tham gia phong trào"), Unit: unit, People: people, Total: total, Roles: personRoles(),
		Form: form, Errors: map[string]string{}, Message: message, CanWrite: user.Can(antq.PermPersonWrite)}
	if p.Form == nil {
		p.Form = map[string]string{"unit_code": unit}
	}
	if formErr != nil {
		p.Message = antq.ErrorMessage(formErr)
		p.Errors = antq.ErrorFields(formErr)
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
	}
	s.render(w, r, status, "people", p)
}

var personFields = []string{"unit_code", "full_name", "birth_year", "gender", "role", "position", "service_years", "service_as_of", "national_id"}

// POST /people — record a person.
func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	form := map[string]string{}
	for _, k := range personFields {
		if k != "national_id" { // never echoed back
			form[k] = f.str(k)
		}
	}
	in := antq.PersonInput{UnitCode: f.str("unit_code"), FullName: f.str("full_name"), Gender: antq.Gender(f.str("gender")),
		Role: antq.PersonRole(f.str("role")), Position: f.str("position"), ServiceAsOf: f.date("service_as_of"), NationalID: f.str("national_id")}
	if n := f.int("birth_year"); n != nil {
		in.BirthYear = int(*n)
	}
	if n := f.int("service_years"); n != nil {
		in.ServiceYears = int(*n)
	}
	var p *antq.Person
	err := f.err()
	if err == nil {
		p, err = s.DB.CreatePerson(r.Context(), in)
	}
	if err != nil {
		status := statusOf[antq.ErrorCode(err)]
		if status == 0 || status == http.StatusBadRequest {
			status = http.StatusUnprocessableEntity
		}
		if code := antq.ErrorCode(err); code == antq.ENOTFOUND || code == antq.EFORBIDDEN {
			s.error(w, r, err)
			return
		}
		s.renderPeople(w, r, status, form, err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/people/%d?saved=1", p.ID), http.StatusSeeOther)
}

// POST /people/match — find the person whose national ID number is typed in.
func (s *Server) personMatch(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	if err := f.err(); err != nil {
		s.renderPeople(w, r, http.StatusUnprocessableEntity, nil, err, "")
		return
	}
	p, err := s.DB.MatchNationalID(r.Context(), f.str("national_id"))
	switch antq.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/people/%d", p.ID), http.StatusSeeOther)
	case antq.ENOTFOUND:
		s.renderPeople(w, r, http.StatusNotFound, nil, nil, antq.ErrorMessage(err))
	case antq.EINVALID:
		s.renderPeople(w, r, http.StatusUnprocessableEntity, nil, err, "")
	default:
		s.error(w, r, err)
	}
}

type personPage struct {
	Layout
	Person *antq.Person
	Cases  []*antq.Exemplar
	// The Kỷ niệm chương's rules the software checks from the record (role,
	// gender, years of service), under the law in force today.
	Medal      *rules.AwardForm
	MedalBasis string
	MedalFails []rules.Ineligibility
	// Awards is the person's award history (award:read).
	Awards []*antq.Nomination
	// Standings are the person's dated standings (prosecution, review …);
	// never on the public page.
	Standings     []*antq.PersonStanding
	StandingKinds []antq.Standing
	Today         antq.Date
	Form          map[string]string
	Errors        map[string]string
	Message       string
}

// GET /people/{id} — one person (audited) and the cases about them.
func (s *Server) personShow(w http.ResponseWriter, r *http.Request) {
	s.renderPerson(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, form map[string]string, formErr error) {
	p, err := recordOf(r, s.DB.Person)
	if err != nil {
		s.error(w, r, err)
		return
	}
	standings, err := s.DB.PersonStandings(r.Context(), p.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	all, err := s.DB.Exemplars(r.Context(), store.ExemplarFilter{UnitCode: p.UnitCode})
	if err != nil {
		s.error(w, r, err)
		return
	}
	today := antq.DateOf(s.DB.Now().In(vnZone))
	page := personPage{Layout: s.layout(r, p.FullName), Person: p, Standings: standings, StandingKinds: antq.Standings, Today: today, Form: form, Errors: map[string]string{}}
	if page.Form == nil {
		page.Form = map[string]string{}
	}
	if formErr != nil {
		page.Message = antq.ErrorMessage(formErr)
		if f := antq.ErrorFields(formErr); f != nil {
			page.Errors = f
		}
	}
	var current []string
	for _, st := range standings {
		if st.On(today) {
			current = append(current, string(st.Standing))
		}
	}
	for _, e := range all {
		if e.PersonID == p.ID {
			page.Cases = append(page.Cases, e)
		}
	}
	var received []string
	if antq.UserFromContext(r.Context()).Can(antq.PermAwardRead) {
		if page.Awards, err = s.DB.AwardHistory(r.Context(), p.ID, ""); err != nil {
			s.error(w, r, err)
			return
		}
		for _, n := range page.Awards {
			if n.State == antq.NominationDecided {
				received = append(received, n.FormCode)
			}
		}
	}
	if awards, err := rules.Awards(); err == nil {
		const medal = "ky_niem_chuong_bao_ve_an_ninh_to_quoc"
		if f, v, err := awards.Form(medal, today); err == nil {
			page.Medal, page.MedalBasis = f, v.Basis.Ref
			page.MedalFails, _ = awards.Check(medal, today, rules.AwardCandidate{Recipient: "individual", Gender: p.Gender, Role: p.Role, ServiceYears: p.ServiceYears, Received: received, Standings: current})
		}
	} else {
		s.error(w, r, err)
		return
	}
	if r.URL.Query().Get("saved") != "" {
		page.Flash = "Đã lưu."
	}
	s.render(w, r, status, "person", page)
}

// ---- API ----

// GET /api/v1/people?unit=&q=&offset=&limit=
func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParams(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	people, total, err := s.DB.People(r.Context(), store.PersonFilter{UnitCode: r.URL.Query().Get("unit"), Query: r.URL.Query().Get("q"), Offset: offset, Limit: limit})
	respond(s, w, r, map[string]any{"people": people, "total": total}, err)
}

// POST /api/v1/people
func (s *Server) apiPersonCreate(w http.ResponseWriter, r *http.Request) {
	createFromBody(s, w, r, s.DB.CreatePerson)
}

// GET /api/v1/people/{id}
func (s *Server) apiPersonShow(w http.ResponseWriter, r *http.Request) {
	showByID(s, w, r, s.DB.Person)
}

// POST /api/v1/people/match {"national_id"}
func (s *Server) apiPersonMatch(w http.ResponseWriter, r *http.Request) {
	var in struct {
		NationalID string `json:"national_id"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.DB.MatchNationalID(r.Context(), in.NationalID)
	respond(s, w, r, p, err)
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// GET /api/v1/awards — the award catalogue: forms, legal bases by date,
// eligibility rules, unverified values marked.
func (s *Server) apiAwards(w http.ResponseWriter, r *http.Request) {
	c, err := rules.Awards()
	respond(s, w, r, c, err)
}
