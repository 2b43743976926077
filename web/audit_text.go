package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"antq"

	"antq/store"
)

// The audit trail as users read it (issue 16 item 11): who by full name,
// what in Vietnamese, of which unit by name with its parent's — never a
// user name like "system", an action like "submit" or a key like
// "binh-phuoc-2023/25201-KDC03/881".

// auditVerbs are the actions as verbs ("đã gửi").
var auditVerbs = map[string]string{
	"create": "đã tạo", "update": "đã sửa", "delete": "đã xóa", "move": "đã chuyển đơn vị của", "read": "đã xem",
	"login": "đã đăng nhập", "logout": "đã đăng xuất", "disable": "đã khóa", "enable": "đã mở khóa",
	"reset": "đã đặt lại", "reset_password": "đã đặt lại mật khẩu của", "change_password": "đã đổi mật khẩu của",
	"revoke": "đã thu hồi", "submit": "đã gửi", "approve": "đã duyệt", "review": "đã thẩm định", "return": "đã trả lại",
	"decide": "đã quyết định", "reopen": "đã mở lại", "refused": "bị từ chối một thao tác trên",
	"import": "đã nhập", "reorganise": "đã sắp xếp lại", "refuse": "đã không khen thưởng theo", "cancel": "đã hủy quyết định khen thưởng theo",
}

// auditObjects are the entities as nouns.
var auditObjects = map[string]string{
	"registration": "đăng ký phấn đấu", "propaganda": "số liệu tuyên truyền", "model": "mô hình", "incident": "vụ việc",
	"recognition": "kết quả công nhận", "grade": "kết quả xếp loại", "evidence": "tệp minh chứng", "unit": "đơn vị",
	"user": "tài khoản", "user_list": "danh sách tài khoản", "plan": "kế hoạch", "api_token": "mã truy cập API",
	"session": "phiên đăng nhập", "facts": "số liệu", "dossier_recognition": "hồ sơ công nhận",
	"dossier_grading": "hồ sơ xếp loại", "award_nomination": "hồ sơ đề nghị khen thưởng",
	"award_document": "tài liệu hồ sơ khen thưởng", "person_standing": "tình trạng ảnh hưởng xét khen thưởng",
}

// auditWho names the actor: the full name, else the user name; the command
// line (no user) is "Hệ thống".
func auditWho(r store.AuditRecord) string {
	switch {
	case r.FullName != "":
		return r.FullName
	case r.UserID == nil || *r.UserID == 0 || r.Username == "" || r.Username == "system":
		return "Hệ thống (dòng lệnh)"
	}
	return r.Username
}

// auditWhat is the sentence after the actor: "đã gửi hồ sơ công nhận của
// Khu phố 3, Phường Tân Bình".
func auditWhat(r store.AuditRecord) string {
	verb, ok := auditVerbs[r.Action]
	if !ok {
		verb = "đã thay đổi"
	}
	object, ok := auditObjects[r.Entity]
	if !ok {
		object = "dữ liệu"
	}
	var b strings.Builder
	b.WriteString(verb)
	if r.Action != "login" && r.Action != "logout" {
		b.WriteString(" " + object)
	}
	if r.Entity == "user" && r.Key != "" {
		b.WriteString(" " + r.Key) // an account is named by its user name
	}
	if r.UnitName != "" && r.Entity != "user" && r.Entity != "session" && r.Entity != "api_token" {
		b.WriteString(" của " + r.UnitName)
		if r.ParentName != "" {
			b.WriteString(", " + r.ParentName)
		}
	}
	if d := auditChange(r); d != "" {
		b.WriteString(" (" + d + ")")
	}
	if r.Reason != "" {
		b.WriteString(" — lý do: " + r.Reason)
	}
	return b.String()
}

// auditFields are the fact fields a history line names, in this order,
// with their Vietnamese labels.
var auditFields = []struct{ key, label string }{
	{"name", "tên"}, {"registered_on", "ngày đăng ký"}, {"reached", "số đã tuyên truyền"}, {"total", "tổng số"},
	{"as_of", "tính đến ngày"}, {"status", "tình trạng"}, {"members", "thành viên"}, {"effective", "hiệu quả"},
	{"occurred_on", "ngày xảy ra"}, {"result", "kết quả"}, {"grade", "xếp loại"}, {"level", "mức"},
}

// auditChange says what a fact change changed, from the values the trail
// kept: "số đã tuyên truyền 350 → 300" for an update, the model's name for
// a creation or deletion; "" when there is nothing to say (or the record
// is not a fact's).
func auditChange(r store.AuditRecord) string {
	if _, ok := auditObjects[r.Entity]; !ok || r.Entity == "user" || r.Entity == "session" || r.Entity == "api_token" {
		return ""
	}
	read := func(v *string) map[string]any {
		m := map[string]any{}
		if v != nil {
			_ = json.Unmarshal([]byte(*v), &m) // a value that is not an object says nothing
		}
		return m
	}
	old, new := read(r.Old), read(r.New)
	var parts []string
	switch r.Action {
	case "update":
		for _, f := range auditFields {
			o, ok1 := old[f.key]
			n, ok2 := new[f.key]
			if (ok1 || ok2) && auditValue(o) != auditValue(n) {
				parts = append(parts, f.label+" "+auditValue(o)+" → "+auditValue(n))
			}
		}
	case "create", "delete", "attribute":
		v := new
		if r.Action == "delete" {
			v = old
		}
		if name, ok := v["name"].(string); ok && name != "" {
			parts = append(parts, "“"+name+"”")
		}
	}
	if len(parts) > 3 {
		parts = parts[:3]
	}
	return strings.Join(parts, "; ")
}

// auditValue writes a recorded value as a page does: dates dd/mm/yyyy,
// numbers in the one format, yes / no in words.
func auditValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "trống"
	case bool:
		if x {
			return "có"
		}
		return "không"
	case float64:
		if x == float64(int64(x)) {
			return antq.FormatNumber(int64(x))
		}
		return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
	case string:
		if d, err := antq.ParseDate(x); err == nil {
			return d.VN()
		}
		switch {
		case antq.ModelStatus(x).Valid():
			return strings.ToLower(antq.ModelStatus(x).Label())
		case antq.RecognitionResult(x).Valid():
			return antq.RecognitionResult(x).Label()
		case antq.Grade(x).Valid():
			return antq.Grade(x).Label()
		case antq.CollectiveLevel(x).Valid():
			return antq.CollectiveLevel(x).Label()
		}
		return x
	}
	return "…"
}
