package web

import (
	"strings"

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
	if r.Reason != "" {
		b.WriteString(" — lý do: " + r.Reason)
	}
	return b.String()
}
