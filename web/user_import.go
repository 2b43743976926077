package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"antq"
	"antq/store"
)

// The list of accounts to create, pasted or uploaded (CSV or plain text,
// UTF-8): one account a line, four fields in this order —
//
//	tên đăng nhập; họ tên; mã đơn vị; vai trò
//
// separated by a semicolon, a tab or a comma (the first of these found on
// the line). The role is its code (data_entry) or its Vietnamese name
// (Nhập liệu; accents and case ignored). The text is read as NFC. Empty lines and lines starting with # are skipped, as is a
// first line naming the columns.

// maxImportAccounts bounds one list: every account costs a password hash.
const maxImportAccounts = 300

// maxAccountListBytes bounds an uploaded list (300 lines take ~30 KB).
const maxAccountListBytes = 1 << 20

// importLine is one account of the list with the line it came from.
type importLine struct {
	Line int
	User store.NewUser
}

// userImportPage is the form creating many accounts.
type userImportPage struct {
	Layout
	Roles   []antq.Role
	Text    string
	Message string
	Lines   []string // one reason a refused line, naming the line and field
}

// importFieldNames are the Vietnamese names of the list's fields, for the
// reasons given.
var importFieldNames = map[string]string{"username": "tên đăng nhập", "full_name": "họ tên", "unit": "mã đơn vị", "role": "vai trò", "password": "mật khẩu"}

// parseAccountList reads the list; the reasons name the line and field.
func parseAccountList(text string) ([]importLine, []string) {
	text = norm.NFC.String(strings.TrimPrefix(text, "\uFEFF"))
	var out []importLine
	var bad []string
	seen := map[string]int{}
	for i, raw := range strings.Split(text, "\n") {
		n := i + 1
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sep := ","
		for _, c := range []string{";", "\t"} {
			if strings.Contains(line, c) {
				sep = c
				break
			}
		}
		fields := strings.Split(line, sep)
		if sep == "," && len(fields) > 4 {
			// A role's name may hold a comma ("Thẩm định, phê duyệt").
			fields = append(fields[:3], strings.Join(fields[3:], ","))
		}
		for j := range fields {
			fields[j] = strings.Trim(strings.TrimSpace(fields[j]), `"`)
		}
		if len(out) == 0 && len(bad) == 0 && header(fields[0]) {
			continue
		}
		if len(fields) != 4 {
			bad = append(bad, fmt.Sprintf("Dòng %d: cần đúng 4 cột (tên đăng nhập; họ tên; mã đơn vị; vai trò), có %d", n, len(fields)))
			continue
		}
		username := strings.ToLower(fields[0])
		role, ok := roleNamed(fields[3])
		var reasons []string
		if !antq.ValidUsername(username) {
			reasons = append(reasons, "tên đăng nhập \""+fields[0]+"\" không hợp lệ: cần 3–64 ký tự chữ thường không dấu, số, '.', '-', '_'")
		} else if first, dup := seen[username]; dup {
			reasons = append(reasons, fmt.Sprintf("tên đăng nhập %s trùng với dòng %d", username, first))
		} else {
			seen[username] = n
		}
		if fields[1] == "" {
			reasons = append(reasons, "thiếu họ tên")
		} else if utf8.RuneCountInString(fields[1]) > store.MaxFullNameLen {
			reasons = append(reasons, fmt.Sprintf("họ tên tối đa %d ký tự", store.MaxFullNameLen))
		}
		if fields[2] == "" {
			reasons = append(reasons, "thiếu mã đơn vị")
		}
		if !ok {
			reasons = append(reasons, "vai trò \""+fields[3]+"\" không có; dùng một trong: "+roleNames())
		}
		if len(reasons) > 0 {
			bad = append(bad, fmt.Sprintf("Dòng %d: %s", n, strings.Join(reasons, "; ")))
			continue
		}
		out = append(out, importLine{Line: n, User: store.NewUser{Username: username, FullName: fields[1], UnitCode: fields[2], Role: role}})
	}
	if len(out) == 0 && len(bad) == 0 {
		bad = append(bad, "Danh sách trống: mỗi dòng một tài khoản")
	}
	if len(out)+len(bad) > maxImportAccounts {
		bad = append(bad[:0], fmt.Sprintf("Danh sách có %d tài khoản; mỗi lần tạo tối đa %d", len(out)+len(bad), maxImportAccounts))
	}
	return out, bad
}

// header reports whether a first field names the column rather than an
// account.
func header(first string) bool {
	f := antq.Fold(first)
	return f == "ten dang nhap" || f == "ten_dang_nhap" || f == "username"
}

// roleNamed reads a role by its code or its Vietnamese name.
func roleNamed(s string) (antq.Role, bool) {
	if r := antq.Role(strings.ToLower(s)); r.Valid() {
		return r, true
	}
	for _, r := range antq.Roles {
		if antq.Fold(r.Label()) == antq.Fold(s) {
			return r, true
		}
	}
	return "", false
}

func roleNames() string {
	names := make([]string, len(antq.Roles))
	for i, r := range antq.Roles {
		names[i] = r.Label()
	}
	return strings.Join(names, "; ")
}

// GET /users/import
func (s *Server) userImportForm(w http.ResponseWriter, r *http.Request) {
	page := userImportPage{Layout: s.layout(r, "Tạo nhiều tài khoản"), Roles: antq.Roles}
	page.Query = ""
	s.render(w, r, http.StatusOK, "user_import", page)
}

// POST /users/import (multipart or URL-encoded: list, and/or file): every
// account of the list or none (one transaction). The answer is a printable
// sheet of the first passwords, shown once.
func (s *Server) userImport(w http.ResponseWriter, r *http.Request) {
	page := userImportPage{Layout: s.layout(r, "Tạo nhiều tài khoản"), Roles: antq.Roles}
	page.Query = ""
	refuse := func(message string, lines []string) {
		page.Message, page.Lines = message, lines
		s.render(w, r, http.StatusUnprocessableEntity, "user_import", page)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			s.error(w, r, antq.Invalid("Không đọc được biểu mẫu", map[string]string{"file": "tệp quá lớn hoặc hỏng"}))
			return
		}
	}
	if err := formEncodingErr(r); err != nil {
		refuse(antq.ErrorMessage(err), nil)
		return
	}
	text := r.PostFormValue("list")
	page.Text = text
	if file, _, err := r.FormFile("file"); err == nil {
		defer file.Close()
		body, err := io.ReadAll(io.LimitReader(file, maxAccountListBytes+1))
		if err != nil {
			s.error(w, r, err)
			return
		}
		if len(body) > maxAccountListBytes {
			refuse(fmt.Sprintf("Tệp lớn hơn %d KB: mỗi lần tạo tối đa %d tài khoản", maxAccountListBytes>>10, maxImportAccounts), nil)
			return
		}
		if !utf8.Valid(body) {
			refuse("Tệp không phải văn bản UTF-8: hãy lưu tệp dạng CSV UTF-8 hoặc văn bản thuần (UTF-8)", nil)
			return
		}
		if strings.TrimSpace(text) != "" {
			text += "\n"
		}
		text += string(body)
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		s.error(w, r, err)
		return
	}
	lines, bad := parseAccountList(text)
	if len(bad) > 0 {
		// The lines that could be read are checked too, so that the list
		// is corrected in one pass.
		list := make([]store.NewUser, len(lines))
		for i, l := range lines {
			list[i] = l.User
		}
		err := s.DB.CheckUsers(r.Context(), list)
		var rowErrs store.UserRowErrors
		if err != nil && (!errors.As(err, &rowErrs) || antq.ErrorCode(err) == antq.EINTERNAL) {
			s.error(w, r, err)
			return
		}
		for _, e := range rowErrs {
			bad = append(bad, lineReason(lines[e.Row].Line, e.Err))
		}
		refuse("Danh sách có lỗi; chưa tạo tài khoản nào", byLine(bad))
		return
	}
	list := make([]store.NewUser, len(lines))
	passwords := make([]string, len(lines))
	for i, l := range lines {
		password, hash, err := s.newFirstPassword(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		l.User.PasswordHash, l.User.MustChangePassword = hash, true
		list[i], passwords[i] = l.User, password
	}
	users, err := s.DB.CreateUsers(r.Context(), list)
	var rowErrs store.UserRowErrors
	if errors.As(err, &rowErrs) && antq.ErrorCode(err) != antq.EINTERNAL {
		var bad []string
		for _, e := range rowErrs {
			bad = append(bad, lineReason(lines[e.Row].Line, e.Err))
		}
		refuse("Danh sách có lỗi; chưa tạo tài khoản nào", bad)
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := s.sheetRows(r, users, passwords)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderSheet(w, r, fmt.Sprintf("Đã tạo %d tài khoản", len(users)), false, rows)
}

// byLine orders refusals ("Dòng N: …") by their line number.
func byLine(reasons []string) []string {
	line := func(s string) int {
		var n int
		fmt.Sscanf(s, "Dòng %d:", &n)
		return n
	}
	slices.SortStableFunc(reasons, func(a, b string) int { return line(a) - line(b) })
	return reasons
}

// lineReason names the line, the field and the reason of a refusal.
func lineReason(line int, err error) string {
	var parts []string
	for _, field := range []string{"username", "full_name", "unit", "role", "password"} {
		if reason := antq.ErrorFields(err)[field]; reason != "" {
			parts = append(parts, importFieldNames[field]+": "+reason)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, antq.ErrorMessage(err))
	}
	return fmt.Sprintf("Dòng %d: %s", line, strings.Join(parts, "; "))
}
