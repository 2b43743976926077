package web

import (
	"context"
	"net/http"
	"net/url"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/xlsx"
	"antq/yearend"
)

// Table exports (issue 19 item 2): every list of the pages as an XLSX
// streamed through xlsx.Stream, read page by page from the store while
// the workbook is written. Each names the plan, the unit and the day.

// exportsStore is what the exports read that no page reads.
type exportsStore interface {
	ModelRegistry(ctx context.Context, planID, code string, fn func(store.ModelRow) error) error
}

// exportPage is the page size the exports read the store with.
const exportPage = 1000

// pagedRows emits the rows of first and of the pages after it, each read by
// next from the number of rows emitted so far, until a short page or total
// rows; emitRow gets each row with its number, from 1.
func pagedRows[T any](first []T, total int, next func(offset int) ([]T, error), emitRow func(n int, row T) error) error {
	n, page := 0, first
	for {
		for _, row := range page {
			n++
			if err := emitRow(n, row); err != nil {
				return err
			}
		}
		if len(page) < exportPage || n >= total {
			return nil
		}
		var err error
		if page, err = next(n); err != nil {
			return err
		}
	}
}

// sendXLSX writes the tables as an attachment named name.xlsx.
func (s *Server) sendXLSX(w http.ResponseWriter, r *http.Request, name string, tables ...xlsx.Table) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+url.PathEscape(name)+".xlsx\"")
	w.Header().Set("Cache-Control", "private, no-store")
	if err := xlsx.Stream(w, tables...); err != nil {
		// The header is sent: the client gets a broken file, the log why.
		s.Logger.Error("xlsx export", "name", name, "err", err)
	}
}

// exportSubtitle says for whom and when an export was made.
func (s *Server) exportSubtitle(plan *rules.Plan, unit *antq.Unit) string {
	sub := plan.Title
	if unit != nil {
		sub += " — " + unit.Name + " (" + unit.Code + ")"
	}
	return sub + " — xuất ngày " + antq.DateOf(s.DB.Now()).VN()
}

// GET /plans/{plan}/indicators.xlsx?unit=CODE: the dashboard's table, the
// unit and each child with every target's figure.
func (s *Server) exportIndicators(w http.ResponseWriter, r *http.Request) {
	rep, err := s.DB.Indicators(r.Context(), r.PathValue("plan"), r.URL.Query().Get("unit"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	cols := []xlsx.Column{{Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Loại đơn vị", Width: 18}}
	for _, f := range rep.Unit.Figures {
		cols = append(cols, xlsx.Column{Title: f.Title + " — đạt", Kind: xlsx.ColNumber}, xlsx.Column{Title: "trên tổng số", Kind: xlsx.ColNumber},
			xlsx.Column{Title: "tỷ lệ", Kind: xlsx.ColPercent}, xlsx.Column{Title: "đạt chỉ tiêu", Width: 10},
			xlsx.Column{Title: "tạm tính (cả chờ duyệt)", Kind: xlsx.ColNumber}, xlsx.Column{Title: "đơn vị chờ duyệt", Kind: xlsx.ColNumber})
	}
	row := func(u store.UnitFigures) []any {
		out := []any{u.Unit.Code, u.Unit.Name, u.Unit.Kind.Label()}
		for _, f := range u.Figures {
			met := "—"
			if f.Met != nil {
				met = map[bool]string{true: "Đạt", false: "Chưa đạt"}[*f.Met]
			}
			out = append(out, f.Num, f.Den, f.Value, met, f.Provisional.Num, f.Pending)
		}
		return out
	}
	s.sendXLSX(w, r, "chi-tieu-"+rep.Plan.ID+"-"+rep.Unit.Unit.Code, xlsx.Table{Sheet: "Chỉ tiêu theo đơn vị",
		Title: "Kết quả thực hiện chỉ tiêu theo đơn vị trực thuộc", Subtitle: s.exportSubtitle(rep.Plan, rep.Unit.Unit), Columns: cols,
		Rows: func(emit func(...any) error) error {
			if err := emit(row(rep.Unit)...); err != nil {
				return err
			}
			for _, c := range rep.Children {
				if err := emit(row(c)...); err != nil {
					return err
				}
			}
			return nil
		}})
}

// GET /plans/{plan}/failing.xlsx?ind=ID&unit=CODE: every unit under CODE
// that misses the target, with the reason.
func (s *Server) exportFailing(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := rules.Indicator(r.URL.Query().Get("ind"))
	rep, err := s.DB.UnitIndicators(ctx, r.PathValue("plan"), r.URL.Query().Get("unit"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	t, ok := rep.Plan.Target(id)
	if !ok {
		s.error(w, r, antq.Errorf(antq.ENOTFOUND, "Kế hoạch không có chỉ tiêu %q", id))
		return
	}
	// The first page is read before the answer starts, so a refusal is
	// still an error page.
	first, total, err := s.DB.FailingUnits(ctx, rep.Plan.ID, id, rep.Unit.Unit.Code, 0, exportPage)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendXLSX(w, r, "chua-dat-"+string(id)+"-"+rep.Unit.Unit.Code, xlsx.Table{Sheet: "Đơn vị chưa đạt",
		Title: t.Title + " — đơn vị chưa đạt", Subtitle: s.exportSubtitle(rep.Plan, rep.Unit.Unit),
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber, Width: 7}, {Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Loại đơn vị", Width: 18},
			{Title: "Trực thuộc"}, {Title: "Lý do chưa đạt", Width: 60}, {Title: "Ghi chú tổng số", Width: 40}},
		Empty: "Không có đơn vị nào chưa đạt.",
		Rows: func(emit func(...any) error) error {
			return pagedRows(first, total, func(offset int) ([]store.FailingUnit, error) {
				page, _, err := s.DB.FailingUnits(ctx, rep.Plan.ID, id, rep.Unit.Unit.Code, offset, exportPage)
				return page, err
			}, func(n int, u store.FailingUnit) error {
				return emit(n, u.Unit.Code, u.Unit.Name, u.Unit.Kind.Label(), u.Parent, u.Reason, u.TotalNote)
			})
		}})
}

// GET /plans/{plan}/inbox.xlsx?late=1&kind=: the year-end dossiers
// waiting in the caller's scope.
func (s *Server) exportInbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plan, f, err := s.planInbox(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f.Offset, f.Limit = 0, exportPage
	first, total, err := s.DB.Inbox(ctx, plan.ID, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendXLSX(w, r, "ho-so-cho-xu-ly-"+plan.ID, xlsx.Table{Sheet: "Hồ sơ chờ xử lý", Title: "Hồ sơ cuối năm chờ xử lý",
		Subtitle: s.exportSubtitle(plan, nil),
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber, Width: 7}, {Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Loại đơn vị", Width: 18},
			{Title: "Hồ sơ", Width: 18}, {Title: "Trạng thái", Width: 14}, {Title: "Kết quả", Width: 14}, {Title: "Hạn", Kind: xlsx.ColDate},
			{Title: "Quá hạn", Width: 9}, {Title: "Cập nhật", Kind: xlsx.ColDate}, {Title: "Người cập nhật", Width: 16}},
		Empty: "Không có hồ sơ nào chờ xử lý.",
		Rows: func(emit func(...any) error) error {
			return pagedRows(first, total, func(offset int) ([]yearend.InboxItem, error) {
				f.Offset = offset
				page, _, err := s.DB.Inbox(ctx, plan.ID, f)
				return page, err
			}, func(n int, it yearend.InboxItem) error {
				var due antq.Date
				if it.Deadline != nil {
					due = it.Deadline.Due
				}
				return emit(n, it.Unit.Code, it.Unit.Name, it.Unit.Kind.Label(), it.Kind.Label(), it.State.Label(), resultText(it.Result),
					due, it.Late(), antq.DateOf(it.Updated.In(vnZone)), it.By)
			})
		}})
}

// resultText is a year-end result's label ("" when none).
func resultText(r string) string {
	switch {
	case r == "":
		return ""
	case antq.Grade(r).Valid():
		return antq.Grade(r).Label()
	}
	return antq.RecognitionResult(r).Label()
}

// GET /plans/{plan}/decisions.xlsx?unit=&kind=: the decision lists.
func (s *Server) exportDecisions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	kind := yearend.DossierKind(r.URL.Query().Get("kind"))
	if kind == "" {
		kind = yearend.DossierRecognition
	}
	if !kind.Valid() {
		s.error(w, r, badRequest("Tham số không hợp lệ", map[string]string{"kind": "recognition hoặc grading"}))
		return
	}
	plan, unit, err := s.planAndUnit(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.DB.Decisions(ctx, plan.ID, unit.Code, kind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendXLSX(w, r, "quyet-dinh-"+string(kind)+"-"+plan.ID+"-"+unit.Code, xlsx.Table{Sheet: "Danh sách quyết định",
		Title: "Danh sách kèm theo các quyết định — " + kind.Label(), Subtitle: s.exportSubtitle(plan, unit),
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber, Width: 7}, {Title: "Số quyết định", Width: 18}, {Title: "Ngày quyết định", Kind: xlsx.ColDate},
			{Title: "Cơ quan quyết định"}, {Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Trực thuộc"}, {Title: "Kết quả", Width: 14},
			{Title: "Sau thời hạn", Width: 10}, {Title: "Quyết định thay thế", Width: 12}},
		Empty: "Chưa có quyết định nào.",
		Rows: func(emit func(...any) error) error {
			for i, d := range rows {
				if err := emit(i+1, d.DecisionNumber, d.DecisionDate, d.AuthorityLabel, d.Unit.Code, d.Unit.Name, d.Parent, resultText(d.Result), d.Late, d.Amended); err != nil {
					return err
				}
			}
			return nil
		}})
}

// GET /plans/{plan}/approvals.xlsx?unit=: the facts waiting for approval.
func (s *Server) exportApprovals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plan, _, err := s.DB.Plan(ctx, r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	unit := askedOrOwnUnit(r)
	first, total, err := s.DB.PendingFacts(ctx, plan.ID, unit, 0, exportPage)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendXLSX(w, r, "so-lieu-cho-duyet-"+plan.ID, xlsx.Table{Sheet: "Số liệu chờ duyệt", Title: "Số liệu chờ duyệt",
		Subtitle: s.exportSubtitle(plan, nil),
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber, Width: 7}, {Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Loại đơn vị", Width: 18},
			{Title: "Số liệu", Width: 16}, {Title: "Số hiệu", Kind: xlsx.ColNumber, Width: 8}, {Title: "Người gửi duyệt", Width: 16},
			{Title: "Ngày gửi", Kind: xlsx.ColDate}, {Title: "Lần trước bị trả lại vì", Width: 40}},
		Empty: "Không có số liệu nào chờ duyệt.",
		Rows: func(emit func(...any) error) error {
			return pagedRows(first, total, func(offset int) ([]store.PendingFact, error) {
				page, _, err := s.DB.PendingFacts(ctx, plan.ID, unit, offset, exportPage)
				return page, err
			}, func(n int, p store.PendingFact) error {
				var at antq.Date
				if p.SubmittedAt != nil {
					at = antq.DateOf(p.SubmittedAt.In(vnZone))
				}
				var id any
				if p.ID > 0 {
					id = p.ID
				}
				return emit(n, p.Unit.Code, p.Unit.Name, p.Unit.Kind.Label(), factLabel(p.Fact), id, p.SubmittedBy, at, p.ReturnReason)
			})
		}})
}

func factLabel(k antq.FactKind) string {
	return map[antq.FactKind]string{antq.FactRegistration: "Đăng ký", antq.FactPropaganda: "Tuyên truyền", antq.FactModel: "Mô hình",
		antq.FactIncident: "Vụ việc", antq.FactRecognition: "Công nhận", antq.FactGrade: "Xếp loại",
		antq.FactCollectiveAssessment: "Đánh giá tập thể"}[k]
}

// GET /plans/{plan}/models.xlsx?unit=: the registry of models under the
// unit, streamed from the database.
func (s *Server) exportModels(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	plan, cat, err := s.DB.Plan(ctx, r.PathValue("plan"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	code := r.URL.Query().Get("unit")
	if code == "" {
		code = plan.RootUnit
	}
	unit, _, err := s.DB.PlanUnit(ctx, plan.ID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sets, err := cat.RuleSetsOf(plan)
	if err != nil {
		s.error(w, r, err)
		return
	}
	kinds := map[string]string{}
	for _, rs := range sets {
		for _, mk := range rs.ModelKinds {
			kinds[mk.Code] = mk.Label
		}
	}
	s.sendXLSX(w, r, "mo-hinh-"+plan.ID+"-"+code, xlsx.Table{Sheet: "Sổ mô hình", Title: "Sổ theo dõi mô hình tự quản, liên kết",
		Subtitle: s.exportSubtitle(plan, unit),
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber, Width: 7}, {Title: "Mã đơn vị"}, {Title: "Đơn vị"}, {Title: "Số hiệu", Kind: xlsx.ColNumber, Width: 8},
			{Title: "Tên mô hình", Width: 36}, {Title: "Loại mô hình"}, {Title: "Tình trạng", Width: 14}, {Title: "Ngày bắt đầu", Kind: xlsx.ColDate},
			{Title: "Số thành viên", Kind: xlsx.ColNumber}, {Title: "Hoạt động hiệu quả", Width: 10}, {Title: "Ngày đánh giá", Kind: xlsx.ColDate},
			{Title: "Người, cơ quan đánh giá"}, {Title: "Căn cứ đánh giá"}, {Title: "Số văn bản", Width: 16}, {Title: "Trạng thái duyệt", Width: 14}},
		Empty: "Chưa có mô hình nào.",
		Rows: func(emit func(...any) error) error {
			n := 0
			return s.DB.ModelRegistry(ctx, plan.ID, code, func(row store.ModelRow) error {
				n++
				m := row.Model
				var on antq.Date
				var by, basis, doc string
				if a := m.Assessment; a != nil {
					on, by, basis = a.On, a.By, a.Basis
				}
				if m.Document != nil {
					doc = m.Document.Number
				}
				kind := kinds[m.Kind]
				if kind == "" {
					kind = m.Kind
				}
				return emit(n, row.Unit.Code, row.Unit.Name, m.ID, m.Name, kind, m.Status.Label(), m.StartedOn, m.Members, m.Effective && m.Assessment != nil,
					on, by, basis, doc, m.State.Label())
			})
		}})
}
