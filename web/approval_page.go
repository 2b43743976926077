package web

import (
	"net/http"
	"strconv"
	"strings"

	"antq"
	"antq/rules"
	"antq/store"
)

// approvalBlock is what the facts page shows of one fact's approval: its
// state, the return reason the submitter must see, the change after
// approval, and the steps the caller may try.
type approvalBlock struct {
	Fact     antq.FactKind
	ID       int64
	Approval antq.Approval
	Base     string
	// Steps the page offers: submit to those who write, approve, return
	// and reopen to those who decide, never on their own unit (the store
	// checks every step again and says why it refuses).
	Submit, Review, Reopen bool
	// Who names a user by full name (the page's Layout.Who).
	Who func(username string) string
}

// Approval returns the approval block of a fact of the page's unit.
func (p *factsPage) Approval(kind antq.FactKind, id int64, a antq.Approval) approvalBlock {
	b := approvalBlock{Fact: kind, ID: id, Approval: a, Base: p.Base, Who: p.Who}
	own := p.User != nil && p.User.UnitID == p.Unit.ID
	b.Submit = p.CanWrite && a.State.Editable()
	b.Review = p.CanDecide && !own && a.State == antq.FactSubmitted
	b.Reopen = p.CanDecide && !own && a.State == antq.FactApproved
	return b
}

// POST /plans/{plan}/units/{code}/approval (fact, fact_id, action, reason)
func (s *Server) formApproval(w http.ResponseWriter, r *http.Request) {
	f, _, ok := s.factForm(w, r, "approval")
	if !ok {
		return
	}
	plan, code := factPath(r)
	kind := antq.FactKind(f.str("fact"))
	form := string(kind)
	if !kind.Approvable() {
		form = "approval"
	}
	var id int64
	if v := f.str("fact_id"); v != "" {
		id, _ = strconv.ParseInt(v, 10, 64)
	}
	_, err := s.DB.StepFact(r.Context(), plan, code, kind, id, antq.ApprovalAction(f.str("action")), f.str("reason"))
	if err != nil {
		s.formFailed(w, r, form, err)
		return
	}
	s.formSaved(w, r, form, false)
}

type approvalsPage struct {
	Layout
	Plan    *rules.Plan
	Unit    string
	Facts   []store.PendingFact
	Total   int
	Results []store.StepResult
	Message string
}

// FactLabel is the Vietnamese name of a fact kind on the inbox.
func (approvalsPage) FactLabel(k antq.FactKind) string {
	switch k {
	case antq.FactRegistration:
		return "Đăng ký phấn đấu"
	case antq.FactPropaganda:
		return "Tuyên truyền"
	case antq.FactModel:
		return "Mô hình"
	case antq.FactIncident:
		return "Vụ việc"
	}
	return string(k)
}

// GET /plans/{plan}/approvals?unit=CODE — facts waiting for approval.
func (s *Server) approvalsShow(w http.ResponseWriter, r *http.Request) {
	s.renderApprovals(w, r, nil, nil)
}

func (s *Server) renderApprovals(w http.ResponseWriter, r *http.Request, results []store.StepResult, formErr error) {
	plan, _, err := s.DB.Plan(r.Context(), r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	unit := askedOrOwnUnit(r)
	facts, total, err := s.DB.PendingFacts(r.Context(), plan.ID, unit, 0, 500)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := approvalsPage{Layout: s.layout(r, "Số liệu chờ duyệt"), Plan: plan, Unit: unit, Facts: facts, Total: total, Results: results}
	status := http.StatusOK
	if formErr != nil {
		page.Message = antq.ErrorMessage(formErr)
		for _, v := range antq.ErrorFields(formErr) {
			page.Message += " — " + v
		}
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "approvals", page)
}

// POST /plans/{plan}/approvals?unit=CODE — one step on the facts ticked
// (values unit:fact:id).
func (s *Server) approvalsBulk(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	if err := f.err(); err != nil {
		s.renderApprovals(w, r, nil, err)
		return
	}
	var refs []store.FactRef
	for _, v := range r.PostForm["fact"] {
		parts := strings.SplitN(v, ":", 3)
		if len(parts) != 3 {
			continue
		}
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		refs = append(refs, store.FactRef{Unit: parts[0], Fact: antq.FactKind(parts[1]), ID: id})
	}
	if len(refs) == 0 {
		s.renderApprovals(w, r, nil, antq.Invalid("Chưa chọn số liệu", map[string]string{"fact": "hãy đánh dấu ít nhất một số liệu"}))
		return
	}
	res, err := s.DB.StepFacts(r.Context(), r.PathValue("plan"), refs, antq.ApprovalAction(f.str("action")), f.str("reason"))
	if err != nil {
		s.renderApprovals(w, r, nil, err)
		return
	}
	s.renderApprovals(w, r, res, nil)
}
