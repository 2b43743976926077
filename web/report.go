package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"

	"antq"
	"antq/report"
	"antq/store"
)

// The year-end report (báo cáo tổng kết) and the interim report (báo cáo
// sơ kết) of a unit for a plan: one composition (package report), shown as
// a page that prints in the Nghị định 30/2020 layout, downloaded as DOCX
// (report_docx.go) and read or edited through the API (api_report.go).

// awardSource is the seam for the commendation module: the store offers
// the awards proposed for a unit (its nominations, store.AwardProposals)
// and the report lists those; without any it proposes the units graded
// "Xuất sắc" by a decision (report.ProposeFromGrades).
type awardSource interface {
	AwardProposals(ctx context.Context, planID, code string) ([]report.AwardProposal, error)
}

var _ awardSource = (*store.DB)(nil)

// reportQuery reads ?kind=tong_ket|so_ket&as_of=YYYY-MM-DD.
func reportQuery(q url.Values) (report.Kind, antq.Date, error) {
	kind := report.Kind(q.Get("kind"))
	if kind == "" {
		kind = report.YearEnd
	}
	if err := kind.Validate(); err != nil {
		return kind, antq.Date{}, err
	}
	var asOf antq.Date
	if v := q.Get("as_of"); v != "" && kind == report.Interim {
		d, err := antq.ParseDate(v)
		if err != nil {
			var ok bool
			if d, ok = parseDMY(v); !ok {
				return kind, asOf, antq.Invalid("Ngày số liệu không hợp lệ", map[string]string{"as_of": "nhập theo dạng ngày/tháng/năm, ví dụ 31/10/2023"})
			}
		}
		asOf = d
	}
	return kind, asOf, nil
}

// composeReport loads everything a report is made of and composes it.
func (s *Server) composeReport(r *http.Request, planID, code string, kind report.Kind, asOf antq.Date, draft *report.Draft) (*report.Document, *report.Draft, error) {
	ctx := r.Context()
	figs, err := s.DB.ReportFigures(ctx, planID, code, kind, asOf)
	if err != nil {
		return nil, nil, err
	}
	models, err := s.DB.ReportModels(ctx, planID, code, kind, figs.AsOf)
	if err != nil {
		return nil, nil, err
	}
	results, err := s.DB.Results(ctx, planID, figs.Unit.Code)
	if err != nil {
		return nil, nil, err
	}
	if draft == nil {
		if draft, err = s.DB.ReportDraft(ctx, planID, code, kind, figs.AsOf); err != nil {
			return nil, nil, err
		}
	}
	in := report.Input{Kind: kind, Plan: figs.Plan, Unit: figs.Unit, AsOf: figs.AsOf, Figures: figs.Figures, Failing: figs.Failing,
		Results: results, Models: models, Draft: *draft, Today: antq.DateOf(s.DB.Now())}
	if src, ok := s.DB.(awardSource); ok {
		if in.Proposals, err = src.AwardProposals(ctx, planID, figs.Unit.Code); err != nil {
			return nil, nil, err
		}
		if len(in.Proposals) == 0 {
			in.Proposals = nil // no nomination yet: the units graded "Xuất sắc" by a decision
		}
	}
	if figs.Unit.Kind.Organisation() {
		in.DefaultPlace = s.provinceName(r, figs.Unit)
	}
	return report.Build(in), draft, nil
}

// provinceName is the name (without its type) of the province a unit lies
// in, the place name of an organisation's documents.
func (s *Server) provinceName(r *http.Request, u *antq.Unit) string {
	anc, err := s.DB.Ancestors(r.Context(), u.Code, u.ValidFrom)
	if err != nil {
		return ""
	}
	for _, a := range anc {
		if a.Kind == antq.KindProvince {
			if rest, ok := strings.CutPrefix(a.Name, a.Type+" "); ok && a.Type != "" {
				return rest
			}
			return a.Name
		}
	}
	return ""
}

type reportPage struct {
	Layout
	Doc      *report.Document
	Draft    *report.Draft
	Kind     report.Kind
	AsOf     string // the interim date, YYYY-MM-DD
	DocxURL  string
	BaseURL  string
	CanWrite bool
	Fields   []reportField
	Form     *formState
}

// reportField is one narrative section of the edit form.
type reportField struct {
	Key, Label, Value string
}

func reportBase(plan, code string) string {
	return "/plans/" + url.PathEscape(plan) + "/units/" + url.PathEscape(code) + "/report"
}

func reportSuffix(kind report.Kind, asOf antq.Date) string {
	q := url.Values{}
	q.Set("kind", string(kind))
	if kind == report.Interim {
		q.Set("as_of", asOf.String())
	}
	return "?" + q.Encode()
}

func (s *Server) reportPageOf(r *http.Request, kind report.Kind, asOf antq.Date, draft *report.Draft) (*reportPage, error) {
	planID, code := r.PathValue("plan"), r.PathValue("code")
	doc, draft, err := s.composeReport(r, planID, code, kind, asOf, draft)
	if err != nil {
		return nil, err
	}
	title := "Báo cáo " + strings.ToLower(kind.Label()) + " — " + doc.Unit.Name
	p := &reportPage{Layout: s.layout(r, title), Doc: doc, Draft: draft, Kind: kind, BaseURL: reportBase(planID, doc.Unit.Code),
		Form: &formState{Values: map[string]string{}, Errors: map[string]string{}}}
	if kind == report.Interim {
		p.AsOf = doc.AsOf.String()
	}
	p.DocxURL = p.BaseURL + ".docx" + reportSuffix(kind, doc.AsOf)
	if u := antq.UserFromContext(r.Context()); u != nil && u.Can(antq.PermFactWrite) {
		p.CanWrite = true
	}
	headings := map[string]string{}
	for _, sec := range doc.Sections {
		if sec.Key != "" {
			headings[sec.Key] = sec.Heading
		}
	}
	for _, k := range report.SectionKeys(doc.Plan) {
		label := headings[k]
		if k == report.SectionIntro {
			label = "Mở đầu (để trống: câu mở đầu theo kế hoạch)"
		}
		p.Fields = append(p.Fields, reportField{Key: k, Label: label, Value: draft.Sections[k]})
	}
	if r.URL.Query().Get("done") == "save" {
		p.Flash = "Đã lưu báo cáo."
	}
	return p, nil
}

// GET /plans/{plan}/units/{code}/report?kind=&as_of=
func (s *Server) reportShow(w http.ResponseWriter, r *http.Request) {
	kind, asOf, err := reportQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.reportPageOf(r, kind, asOf, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", p)
}

// draftFromForm reads the edit form.
func draftFromForm(f *formParser, keys []string) report.Draft {
	d := report.Draft{Number: f.str("number"), Place: f.str("place"), SignedOn: f.date("signed_on"), SignerRole: f.str("signer_role"),
		SignerName: f.str("signer_name"), Recipients: f.str("recipients"), Sections: map[string]string{}}
	for _, k := range keys {
		if v := f.str("sections." + k); v != "" {
			d.Sections[k] = v
		}
	}
	return d
}

// POST /plans/{plan}/units/{code}/report
func (s *Server) reportSave(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	planID, code := r.PathValue("plan"), r.PathValue("code")
	kind := report.Kind(f.str("kind"))
	if err := kind.Validate(); err != nil {
		s.error(w, r, err)
		return
	}
	asOf := f.date("as_of")
	plan, _, err := s.DB.Plan(r.Context(), planID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := draftFromForm(f, report.SectionKeys(plan))
	err = f.err()
	if err == nil {
		_, err = s.DB.SaveReportDraft(r.Context(), planID, code, kind, asOf, d)
	}
	if err != nil {
		code := antq.ErrorCode(err)
		if code != antq.EINVALID && code != errBadRequest {
			s.error(w, r, err)
			return
		}
		// Re-render with what was typed and each reason by its field.
		p, perr := s.reportPageOf(r, kind, asOf, &d)
		if perr != nil {
			s.error(w, r, perr)
			return
		}
		p.Form.Message = antq.ErrorMessage(err)
		for k, v := range antq.ErrorFields(err) {
			p.Form.Errors[k] = v
		}
		s.render(w, r, http.StatusUnprocessableEntity, "report", p)
		return
	}
	http.Redirect(w, r, reportBase(planID, code)+reportSuffix(kind, asOf)+"&done=save", http.StatusSeeOther)
}

// GET /plans/{plan}/units/{code}/report.docx?kind=&as_of=
func (s *Server) reportDocx(w http.ResponseWriter, r *http.Request) {
	kind, asOf, err := reportQuery(r.URL.Query())
	if err != nil {
		s.error(w, r, err)
		return
	}
	doc, _, err := s.composeReport(r, r.PathValue("plan"), r.PathValue("code"), kind, asOf, nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := reportDOCX(doc, s.DB.Now()).Write(&buf); err != nil {
		s.error(w, r, err)
		return
	}
	name := "bao-cao-" + strings.ReplaceAll(string(kind), "_", "-") + "-" + doc.Unit.Code + "-" + doc.AsOf.String() + ".docx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
