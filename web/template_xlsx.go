package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"html/template"
	"io"
	"net/http"
	"net/url"

	"antq"
	"antq/factfile"
	"antq/rules"
	"antq/store"
)

// Fact templates (issue 19 item 1): a workbook of the units under a unit
// with their facts, to fill in Excel and upload back. The page is
// /plans/{plan}/templates?unit=CODE; the API downloads the template and
// imports a filled one.

// templatesStore is the fact templates: what they are filled with and the
// import of a filled one.
type templatesStore interface {
	TemplateFacts(ctx context.Context, planID, code string) (*rules.Plan, []*rules.RuleSet, []store.UnitWithFacts, error)
	ImportFacts(ctx context.Context, planID string, rows []store.FactRow, mode store.ImportMode) (*store.FactImportResult, error)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// templateXLSX serves the template of ?unit= (default: the user's unit,
// else the plan's root) for the plan; ?kind= (repeatable) keeps only those
// fact kinds' sheets.
func (s *Server) templateXLSX(w http.ResponseWriter, r *http.Request) {
	planID := r.PathValue("plan")
	code := s.templateUnit(r, planID)
	var kinds []antq.FactKind
	for _, k := range r.URL.Query()["kind"] {
		kind := antq.FactKind(k)
		if !kind.Approvable() {
			s.error(w, r, antq.Invalid("Loại số liệu không hợp lệ", map[string]string{"kind": "registration, propaganda, model hoặc incident"}))
			return
		}
		kinds = append(kinds, kind)
	}
	plan, sets, units, err := s.DB.TemplateFacts(r.Context(), planID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := factfile.WriteTemplate(&buf, factfile.Template{Plan: plan, Sets: sets, Units: units, Kinds: kinds, Generated: s.DB.Now()}); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"mau-so-lieu-"+url.PathEscape(plan.ID+"-"+units[0].Unit.Code)+".xlsx\"")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
}

// templateUnit is the unit a template page or download is for.
func (s *Server) templateUnit(r *http.Request, planID string) string {
	if code := r.URL.Query().Get("unit"); code != "" {
		return code
	}
	if u := antq.UserFromContext(r.Context()); u != nil && u.UnitCode != "" {
		if _, _, err := s.DB.PlanUnit(r.Context(), planID, u.UnitCode); err == nil {
			return u.UnitCode
		}
	}
	return ""
}

// importReport is the API's answer to an import.
type importReport struct {
	*factfile.Report
	Summary string `json:"summary"`
	// MarkedWorkbook is the uploaded workbook with every row's result in
	// a column of its own (base64).
	MarkedWorkbook string `json:"marked_workbook"`
}

// apiImportFacts imports a filled template (the body) for the plan:
// ?mode=row writes the good rows whatever the others, else (mode=workbook)
// all or nothing.
func (s *Server) apiImportFacts(w http.ResponseWriter, r *http.Request) {
	perRow, err := importMode(r.URL.Query().Get("mode"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	body, err := readFileBody(r, "Tệp quá lớn")
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := factfile.Import(r.Context(), s.DB, r.PathValue("plan"), body, perRow, factfile.Options{})
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, importReport{Report: rep, Summary: rep.Summary(), MarkedWorkbook: base64.StdEncoding.EncodeToString(rep.Marked)})
}

func importMode(m string) (perRow bool, err error) {
	switch m {
	case "", "workbook":
		return false, nil
	case "row":
		return true, nil
	}
	return false, antq.Invalid("Cách nhập không hợp lệ", map[string]string{"mode": "workbook (cả tệp hoặc không gì cả) hoặc row (từng dòng)"})
}

// templatesPage is the page to download a template and upload it back.
type templatesPage struct {
	Layout
	Plan     *rules.Plan
	Unit     *antq.Unit
	CanWrite bool
	PerRow   bool
	Error    string
	Report   *factfile.Report
	Summary  string
	// Marked is the marked copy as a data: URL, to save from the page.
	Marked template.URL
	XLSX   string
}

func (s *Server) templatesShow(w http.ResponseWriter, r *http.Request) {
	s.templatesRender(w, r, nil, nil, false)
}

// templatesUpload imports the uploaded template and shows the outcome.
func (s *Server) templatesUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, factfile.DefaultMaxBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.templatesRender(w, r, nil, antq.Errorf(antq.EINVALID, "Tệp quá lớn (tối đa %d MB) hoặc biểu mẫu hỏng", factfile.DefaultMaxBytes>>20), false)
		return
	}
	defer r.MultipartForm.RemoveAll()
	perRow := r.FormValue("mode") == "row"
	file, _, err := r.FormFile("file")
	if err != nil {
		s.templatesRender(w, r, nil, antq.Errorf(antq.EINVALID, "Hãy chọn tệp mẫu đã điền"), perRow)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, factfile.DefaultMaxBytes+1))
	if err != nil {
		s.error(w, r, err)
		return
	}
	rep, err := factfile.Import(r.Context(), s.DB, r.PathValue("plan"), data, perRow, factfile.Options{})
	if err != nil && antq.ErrorCode(err) != antq.EINVALID {
		s.error(w, r, err)
		return
	}
	s.templatesRender(w, r, rep, err, perRow)
}

func (s *Server) templatesRender(w http.ResponseWriter, r *http.Request, rep *factfile.Report, refusal error, perRow bool) {
	planID := r.PathValue("plan")
	plan, _, err := s.DB.Plan(r.Context(), planID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	code := s.templateUnit(r, planID)
	if code == "" {
		code = plan.RootUnit
	}
	unit, _, err := s.DB.PlanUnit(r.Context(), planID, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	user := antq.UserFromContext(r.Context())
	page := templatesPage{Layout: s.layout(r, "Nhập số liệu từ Excel"), Plan: plan, Unit: unit, CanWrite: user.Can(antq.PermFactWrite),
		PerRow: perRow, Report: rep,
		XLSX: "/plans/" + url.PathEscape(plan.ID) + "/templates.xlsx?unit=" + url.QueryEscape(unit.Code)}
	status := http.StatusOK
	if refusal != nil {
		page.Error = antq.ErrorMessage(refusal)
		status = http.StatusUnprocessableEntity
	}
	if rep != nil {
		page.Summary = rep.Summary()
		if rep.Refused > 0 || rep.Submitted > 0 {
			// A data URL of the server's own bytes, never of user text.
			page.Marked = template.URL("data:" + xlsxType + ";base64," + base64.StdEncoding.EncodeToString(rep.Marked))
		}
		if rep.Refused > 0 {
			status = http.StatusUnprocessableEntity
		}
	}
	s.render(w, r, status, "templates", page)
}
