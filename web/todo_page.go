package web

import (
	"net/http"
	"net/url"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// todoLimit bounds the units the checklist reads facts for (a data-entry
// user's commune and its residential areas and organisations fit).
const todoLimit = 60

type todoPage struct {
	Layout
	Plan  *rules.Plan
	Unit  *antq.Unit
	Units []todoUnit
	More  int // units beyond todoLimit, not shown
}

type todoUnit struct {
	Unit        *antq.Unit
	Parent      string
	Items       []todoItem
	Done, Total int
}

type todoItem struct {
	Label, State string
	Done         bool
	URL          string
}

// GET /plans/{plan}/todo?unit=CODE: what each unit under CODE (itself
// included) still has to do for the plan — registered, propaganda recorded,
// a model, evidence, the recognition dossier — with a link to each form. A
// data-entry user lands here.
func (s *Server) todoShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plan, _, err := s.DB.Plan(ctx, r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	code := askedOrOwnUnit(r)
	if code == "" {
		code = plan.RootUnit
	}
	unit, _, err := s.DB.PlanUnit(ctx, plan.ID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.DB.Results(ctx, plan.ID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	page := todoPage{Layout: s.layout(r, "Việc cần làm — "+unit.Name), Plan: plan, Unit: unit}
	// The unit itself first, then the others in the list's order.
	for i, row := range rows {
		if row.Unit.Code == code && i > 0 {
			rows[0], rows[i] = rows[i], rows[0]
		}
	}
	if len(rows) > todoLimit {
		page.More, rows = len(rows)-todoLimit, rows[:todoLimit]
	}
	for _, row := range rows {
		_, facts, err := s.DB.UnitFacts(ctx, plan.ID, row.Unit.Code)
		if err != nil {
			continue // a unit the plan does not follow (not eligible): nothing to do
		}
		page.Units = append(page.Units, todoFor(plan, row, facts))
	}
	s.render(w, r, http.StatusOK, "todo", page)
}

// todoFor is one unit's checklist.
func todoFor(plan *rules.Plan, row yearend.ResultRow, f *antq.UnitFacts) todoUnit {
	u := row.Unit
	facts := "/plans/" + url.PathEscape(plan.ID) + "/units/" + url.PathEscape(u.Code)
	t := todoUnit{Unit: u, Parent: row.Parent}
	add := func(label string, done bool, state, anchor string) {
		t.Items = append(t.Items, todoItem{Label: label, Done: done, State: state, URL: anchor})
		t.Total++
		if done {
			t.Done++
		}
	}
	if f.Registration != nil {
		add("Đăng ký phấn đấu", true, "đã đăng ký ngày "+f.Registration.RegisteredOn.VN(), facts+"#registration")
	} else {
		add("Đăng ký phấn đấu", false, "chưa đăng ký", facts+"#registration")
	}
	if u.Kind.RecordsPropaganda() {
		if p := f.Propaganda; p != nil {
			add("Số liệu tuyên truyền", true, formatNumber(p.Reached)+" / "+formatNumber(p.Total)+" ("+percent(p.Reached, p.Total)+")", facts+"#propaganda")
		} else {
			add("Số liệu tuyên truyền", false, "chưa nhập", facts+"#propaganda")
		}
	}
	if u.Kind.BuildsModels() {
		if n := len(f.Models); n > 0 {
			add("Mô hình", true, formatNumber(int64(n))+" mô hình", facts+"#model")
		} else {
			add("Mô hình", false, "chưa có mô hình", facts+"#model")
		}
	}
	if n := len(f.Evidence); n > 0 {
		add("Minh chứng", true, formatNumber(int64(n))+" tệp", facts+"#evidence")
	} else {
		add("Minh chứng", false, "chưa tải tệp nào", facts+"#evidence")
	}
	dossier := facts + "/dossiers/recognition"
	switch st := yearend.State(row.DossierState); {
	case f.Registration == nil:
		add("Hồ sơ công nhận", false, "lập sau khi đăng ký", facts+"#registration")
	case st == "":
		add("Hồ sơ công nhận", false, "chưa lập", dossier)
	case st == yearend.Draft || st == yearend.Returned:
		add("Hồ sơ công nhận", false, st.Label(), dossier)
	default:
		add("Hồ sơ công nhận", true, st.Label(), dossier)
	}
	return t
}
