package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"strings"
	"time"

	"antq"
	"antq/yearend"
)

// Layout is embedded in every page struct and filled by s.layout.
type Layout struct {
	Title       string
	User        *antq.User
	Flash       string
	Query       string
	Now         time.Time
	assets      *assetSet
	CurrentPath string
	names       *nameCache
	// NoticePlan and NoticeCount are the header's "Việc cần làm" link: the
	// plan of the page (else the newest plan) and how many notices the user
	// has in it (issue 16 item 15).
	NoticePlan  string
	NoticeCount int
	// Official marks a page that prints as an administrative document
	// (certificate, decision list): the application's header and footer
	// are not printed.
	Official bool
}

// noticeBlock is what the shared notice list shows.
type noticeBlock struct {
	Plan    string
	Notices *yearend.Notices
}

// nameCache resolves the user names records keep to full names, once per
// page.
type nameCache struct {
	lookup func(username string) (string, error)
	seen   map[string]string
}

// Who names the person behind a user name as pages show them: the full
// name, "Hệ thống (dòng lệnh)" for the command line, else the user name.
func (l Layout) Who(username string) string {
	if username == "" || username == antq.SystemUser.Username {
		return "Hệ thống (dòng lệnh)"
	}
	if l.names == nil {
		return username
	}
	if n, ok := l.names.seen[username]; ok {
		return n
	}
	n, err := l.names.lookup(username)
	if err != nil || n == "" {
		n = username
	}
	l.names.seen[username] = n
	return n
}

// Asset returns the content-hashed URL of a static file.
func (l Layout) Asset(name string) string { return l.assets.url(name) }

func (s *Server) layout(r *http.Request, title string) Layout {
	ctx := r.Context()
	l := Layout{Title: title, User: antq.UserFromContext(ctx), Now: s.DB.Now(),
		assets: s.assets, CurrentPath: r.URL.Path, Query: r.URL.Query().Get("q"),
		names: &nameCache{seen: map[string]string{}, lookup: func(u string) (string, error) { return s.DB.FullName(ctx, u) }}}
	l.NoticePlan, l.NoticeCount = s.noticeCount(r)
	return l
}

// pages lists every page template; each is parsed with the base layout.
var pages = []string{"login", "home", "unit", "error", "dashboard", "failing", "plan", "facts", "dossier", "inbox", "approvals", "decisions", "certificate", "grades", "confirm", "todo", "account", "users", "user", "user_new", "user_import", "user_sheet", "user_confirm", "audit",
	"restated", "templates", "people", "person", "cases", "case", "public", "public_case", "clusters", "cluster", "cluster_sheet", "cluster_proposal", "notices", "map", "report",
	"awards", "award", "award_certificate", "registry", "registry_model"}

var funcs = template.FuncMap{
	"vnDate": func(d antq.Date) string { return d.VN() },
	"vnLongDate": func(d antq.Date) string {
		if d.IsZero() {
			return "ngày … tháng … năm …"
		}
		return fmt.Sprintf("ngày %02d tháng %02d năm %d", d.Time().Day(), int(d.Month()), d.Year())
	},
	"vnTime":     func(t time.Time) string { return t.In(vnZone).Format("15:04 02/01/2006") },
	"vnNumber":   func(n any) string { return formatNumber(toInt64(n)) },
	"vnNumber64": func(n any) string { return formatNumber(toInt64(n)) },
	"vnPercent":  func(num, den any) string { return percent(toInt64(num), toInt64(den)) },
	"vnFraction": func(num, den any) string { return fraction(toInt64(num), toInt64(den)) },
	"kindLabel":  func(k antq.UnitKind) string { return k.Label() },
	"dmy":        dmy,
	"tenthsVN": func(t *antq.Tenths) string {
		if t == nil {
			return ""
		}
		return t.VN()
	},
	"sub":         func(a, b any) int64 { return toInt64(a) - toInt64(b) },
	"auditAction": func(a string) string { return labelOr(auditActions, a) },
	"upper":       strings.ToUpper,
	"add":         func(a, b int) int { return a + b },
	"resultLabel": func(r string) string {
		if g := antq.Grade(r); g.Valid() {
			return g.Label()
		}
		return antq.RecognitionResult(r).Label()
	},
	"auditEntity": func(e string) string { return labelOr(auditEntities, e) },
	"scope":       scope,
	// invalid and fieldError tie a field's reason (from errs, by field
	// name) to the input with the given id.
	"invalid": func(errs map[string]string, id, name string) template.HTMLAttr {
		if errs[name] == "" {
			return ""
		}
		return template.HTMLAttr(` aria-invalid="true" aria-describedby="` + template.HTMLEscapeString(id) + `-err"`)
	},
	"fieldError": func(errs map[string]string, id, name string) template.HTML {
		if errs[name] == "" {
			return ""
		}
		return template.HTML(`<p class="field-error" id="` + template.HTMLEscapeString(id) + `-err">` + template.HTMLEscapeString(errs[name]) + `</p>`)
	},
	"genderLabel": func(g antq.Gender) string { return g.Label() },
	"vnDay":       func(t time.Time) antq.Date { return antq.DateOf(t.In(vnZone)) },
	"auditWho":    auditWho,
	"noticeWhat":  noticeWhat,
	"noticeURL":   noticeURL,
	"noticeBlock": func(plan string, n *yearend.Notices) noticeBlock { return noticeBlock{plan, n} },
	"auditWhat":   auditWhat,
	"paragraphs":  paragraphs,
	"failingLine": failingLine,
	// deref returns what a pointer points to (the zero value for nil).
	"deref": func(p any) any {
		v := reflect.ValueOf(p)
		if v.Kind() != reflect.Pointer {
			return p
		}
		if v.IsNil() {
			return reflect.Zero(v.Type().Elem()).Interface()
		}
		return v.Elem().Interface()
	},
}

var auditActions = map[string]string{
	"create": "Tạo mới", "update": "Sửa", "delete": "Xóa", "move": "Chuyển đơn vị", "read": "Xem",
	"login": "Đăng nhập", "logout": "Đăng xuất", "disable": "Khóa", "enable": "Mở khóa", "reset": "Đặt lại", "revoke": "Thu hồi",
	"submit": "Gửi", "approve": "Duyệt", "review": "Thẩm định", "return": "Trả lại", "decide": "Quyết định", "reopen": "Mở lại", "refused": "Bị từ chối",
	"close":          "Khóa",
	"reset_password": "Đặt lại mật khẩu", "change_password": "Đổi mật khẩu", "import": "Nhập dữ liệu", "reorganise": "Sắp xếp lại đơn vị",
}

var auditEntities = map[string]string{
	"registration": "Đăng ký", "propaganda": "Tuyên truyền", "model": "Mô hình", "incident": "Vụ việc",
	"recognition": "Công nhận", "grade": "Xếp loại", "evidence": "Minh chứng", "unit": "Đơn vị", "user": "Tài khoản",
	"plan": "Kế hoạch", "api_token": "Mã truy cập API", "session": "Phiên đăng nhập",
	"cluster": "Cụm, khối thi đua", "cluster_score": "Điểm thi đua", "cluster_ranking": "Bảng xếp hạng thi đua",
	"cluster_nomination": "Bình xét khen thưởng", "cluster_sheet": "Bảng điểm thi đua",
}

func labelOr(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// vnZone is the default time zone dates and times are shown in
// (Options.Zone).
var vnZone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return l
	}
	return time.FixedZone("ICT", 7*3600)
}()

func toInt64(n any) int64 {
	v := reflect.ValueOf(n)
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(v.Uint())
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return toInt64(v.Elem().Interface())
	}
	return 0
}

func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	out := make(map[string]*template.Template, len(pages))
	for _, name := range pages {
		t, err := template.New("base.html").Funcs(funcs).Funcs(template.FuncMap{
			"vnTime": func(t time.Time) string { return t.In(s.zone).Format("15:04 02/01/2006") },
		}).ParseFS(assetsFS, "templates/base.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes page name with data, buffered so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.templates[name]
	if !ok {
		s.error(w, r, fmt.Errorf("no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		s.Logger.Error("render", "template", name, "err", err)
		http.Error(w, "Lỗi hiển thị trang", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorPage struct {
	Layout
	Status  int
	Message string
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.render(w, r, status, "error", errorPage{Layout: s.layout(r, "Lỗi"), Status: status, Message: message})
}

func acceptsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// formatNumber writes n the Vietnamese way: 1.234.567.
func formatNumber(n int64) string { return antq.FormatNumber(n) }

// assetSet serves embedded static files under content-hashed names, so they
// can be cached for a year and still change on upgrade.
type assetSet struct {
	byHashed map[string]asset
	hashed   map[string]string
}

type asset struct {
	body        []byte
	contentType string
}

func newAssetSet(fsys fs.FS) (*assetSet, error) {
	a := &assetSet{byHashed: map[string]asset{}, hashed: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(p)
		name := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
			".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}[ext]
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byHashed[name] = asset{body: body, contentType: ct}
		a.hashed[p] = name
		return nil
	})
	return a, err
}

func (a *assetSet) url(name string) string {
	if h, ok := a.hashed[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.byHashed[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

// dmy shows a date field's value the Vietnamese way, whatever the browser's
// locale: a stored YYYY-MM-DD becomes dd/mm/yyyy; what the user typed is
// shown as typed.
func dmy(v string) string {
	if d, err := antq.ParseDate(v); err == nil && len(v) == 10 {
		return d.VN()
	}
	return v
}
