package web

import "strings"

// fieldLabels name the fields of forms and API bodies in Vietnamese, for the
// messages that list errors away from their field (bulk results): a reader
// sees "Ngày quyết định", never "decision_date".
var fieldLabels = map[string]string{
	"decision_number": "Số quyết định", "decision_date": "Ngày quyết định", "reason": "Lý do",
	"documents": "Thành phần hồ sơ", "criteria": "Tiêu chí", "authority": "Thẩm quyền quyết định",
	"grade": "Xếp loại", "override_reason": "Lý do xếp loại khác ngưỡng", "scores": "Điểm",
	"registered_on": "Ngày đăng ký", "reached": "Số đã tuyên truyền", "total": "Tổng số", "as_of": "Tính đến ngày",
	"total_reason": "Lý do khác quy mô đăng ký", "name": "Tên", "kind": "Loại", "status": "Tình trạng",
	"started_on": "Ngày bắt đầu", "members": "Số thành viên", "occurred_on": "Ngày xảy ra", "category": "Loại vụ việc",
	"description": "Mô tả", "result": "Kết quả", "decided_on": "Ngày quyết định", "file": "Tệp",
	"username": "Tên đăng nhập", "full_name": "Họ tên", "role": "Vai trò", "unit": "Đơn vị", "password": "Mật khẩu",
	"document": "Văn bản", "doc_number": "Số văn bản", "doc_date": "Ngày văn bản", "state": "Trạng thái",
}

// fieldLabel names the field k ("decision_date", "scores.r510.kdc.1",
// "criteria[2].verdict") by its Vietnamese label: the label of its first
// part, else "Trường dữ liệu".
func fieldLabel(k string) string {
	head := k
	if i := strings.IndexAny(head, ".["); i >= 0 {
		head = head[:i]
	}
	if l, ok := fieldLabels[head]; ok {
		return l
	}
	return "Trường dữ liệu"
}
