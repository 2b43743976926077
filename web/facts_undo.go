package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"antq"
	"antq/store"
)

// undoable marks the history rows that can be taken back: a creation,
// update or deletion of a fact data entry records that is still that
// fact's newest change in this plan (versions, by "model/ID" and the like,
// are the plan's; a row of another plan never matches), and, for a fact
// that exists, one a user may still change (a draft or a returned fact, not
// one waiting for approval or approved). The store checks it all again
// under the fact's lock when the undo is posted.
func undoable(history []store.AuditRecord, versions map[string]string, facts *antq.UnitFacts) map[int64]bool {
	locked := map[string]bool{}
	lock := func(name string, a antq.Approval) {
		locked[name] = a.State == antq.FactSubmitted || a.State == antq.FactApproved
	}
	if facts.Registration != nil {
		lock("registration", facts.Registration.Approval)
	}
	if facts.Propaganda != nil {
		lock("propaganda", facts.Propaganda.Approval)
	}
	for _, m := range facts.Models {
		lock(fmt.Sprintf("model/%d", m.ID), m.Approval)
	}
	for _, inc := range facts.Incidents {
		lock(fmt.Sprintf("incident/%d", inc.ID), inc.Approval)
	}
	out := map[int64]bool{}
	for _, r := range history {
		if !store.UndoableChange(antq.FactKind(r.Entity), r.Action) {
			continue
		}
		name := r.Entity
		if parts := strings.Split(r.Key, "/"); len(parts) == 3 { // plan/unit/ID: a model or an incident
			name += "/" + parts[2]
		}
		if versions[name] == fmt.Sprintf("v%d", r.ID) && !locked[name] {
			out[r.ID] = true
		}
	}
	return out
}

// POST /plans/{plan}/units/{code}/history/{id}/undo: asks first (a page
// naming the change, no script needed), then takes the change back.
func (s *Server) factUndo(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plan, code := factPath(r)
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	back := "/plans/" + url.PathEscape(plan) + "/units/" + url.PathEscape(code)
	if r.PostFormValue("confirm") != "yes" {
		unit, _, err := s.DB.PlanUnit(ctx, plan, code)
		if err != nil {
			s.error(w, r, err)
			return
		}
		recs, err := s.DB.AuditRecords(ctx, store.AuditFilter{UnitCode: unit.Code, AfterID: id - 1, Limit: 1})
		if err != nil {
			s.error(w, r, err)
			return
		} else if len(recs) == 0 || recs[0].ID != id {
			s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy thay đổi này trong lịch sử của %s", unit.Name))
			return
		}
		rec := recs[0]
		page := confirmPage{Layout: s.layout(r, "Xác nhận hoàn tác — "+unit.Name),
			Question: fmt.Sprintf("Hoàn tác việc %s %s lúc %s?", auditWho(rec), auditWhat(rec), rec.At.In(s.zone).Format("15:04 ngày 02/01/2006")),
			Note:     undoNotes[rec.Action], Button: "Đồng ý hoàn tác", Action: r.URL.Path, Back: back + "#history"}
		s.render(w, r, http.StatusOK, "confirm", page)
		return
	}
	kind, err := s.DB.Undo(ctx, plan, code, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, back+"?undone="+url.QueryEscape(string(kind))+"#history", http.StatusSeeOther)
}

// undoNotes say what the undo will do.
var undoNotes = map[string]string{
	"create": "Số liệu đã tạo sẽ bị xóa. Việc hoàn tác được ghi vào nhật ký thay đổi và cũng hoàn tác lại được.",
	"update": "Số liệu trở về giá trị trước lần sửa này. Việc hoàn tác được ghi vào nhật ký thay đổi và cũng hoàn tác lại được.",
	"delete": "Số liệu đã xóa được khôi phục như trước khi xóa, cùng tệp minh chứng của nó. Việc hoàn tác được ghi vào nhật ký thay đổi và cũng hoàn tác lại được.",
}
