package web_test

import "antq/demo"

// tourPage is one page of the tour: every kind of page a user reaches from
// the menu. The browser tour screenshots each, the accessibility test checks
// each at a phone's and a desktop's width, and the page-weight test weighs
// each; all as the province's admin unless anonymous.
type tourPage struct {
	name, path, want string
	anonymous        bool
}

var tourPlan = "/plans/" + demo.PlanID

var tourPages = []tourPage{
	{name: "login", path: "/login", want: "Đăng nhập", anonymous: true},
	{name: "dashboard-province", path: tourPlan + "/dashboard?unit=70", want: "Tổng quan: Tỉnh Bình Phước"},
	{name: "dashboard-district", path: tourPlan + "/dashboard?unit=689", want: "Tổng quan: Thành phố Đồng Xoài"},
	{name: "dashboard-commune", path: tourPlan + "/dashboard?unit=25195&ind=recognition", want: "Đơn vị trực thuộc"},
	{name: "dashboard-orgs", path: tourPlan + "/dashboard?unit=689&orgs=1", want: "Cơ quan, doanh nghiệp, trường học"},
	{name: "restated", path: tourPlan + "/restated?unit=25195", want: "Như đã ghi nhận"},
	{name: "map-province", path: tourPlan + "/map?unit=70&ind=recognition", want: "Bản đồ: Tỉnh Bình Phước"},
	{name: "map-district-bars", path: tourPlan + "/map?unit=689", want: "Chưa có ranh giới hành chính"},
	{name: "report-district", path: tourPlan + "/units/689/report", want: "BÁO CÁO"},
	{name: "report-interim", path: tourPlan + "/units/25195/report?kind=so_ket&as_of=2023-06-30", want: "số liệu đến ngày 30/06/2023"},
	{name: "todo", path: tourPlan + "/todo?unit=25195", want: "Việc cần làm: Phường Tân Phú"},
	{name: "grades", path: tourPlan + "/grades?unit=689&grade=yeu", want: "Xếp loại phong trào: Yếu"},
	{name: "certificates", path: tourPlan + "/certificates?unit=25195", want: "GIẤY CÔNG NHẬN"},
	{name: "plan", path: tourPlan, want: "Chỉ tiêu"},
	{name: "failing", path: tourPlan + "/failing/recognition?unit=689", want: "đơn vị chưa đạt"},
	{name: "facts-commune", path: tourPlan + "/units/25195", want: "Đăng ký phấn đấu"},
	{name: "facts-area", path: tourPlan + "/units/25195-KDC01", want: "Tuyên truyền"},
	{name: "unit", path: "/units/689", want: "Đơn vị trực thuộc"},
	{name: "search", path: "/?q=dong+xoai", want: "Thành phố Đồng Xoài"},
	{name: "inbox", path: tourPlan + "/inbox", want: "Hồ sơ chờ xử lý"},
	{name: "templates", path: tourPlan + "/templates?unit=25195", want: "Tải mẫu Excel"},
	{name: "recognition-dossier", path: tourPlan + "/units/25195-KDC04/dossiers/recognition", want: "Tiêu chí"},
	{name: "grading-dossier", path: tourPlan + "/units/25195/dossiers/grading", want: "Chấm điểm"},
	{name: "decisions", path: tourPlan + "/decisions?unit=689", want: "DANH SÁCH"},
	{name: "certificate", path: tourPlan + "/units/25195-KDC03/certificate", want: "GIẤY CÔNG NHẬN"},
	{name: "clusters", path: "/clusters?year=2023", want: "Khối thi đua số 6"},
	{name: "cluster-ranking", path: "/clusters/1", want: "Bảng xếp hạng"},
	{name: "cluster-sheet", path: "/clusters/1/members/689", want: "Bảng điểm thi đua"},
	{name: "cluster-proposal", path: "/clusters/1/proposal", want: "TỜ TRÌNH"},
	{name: "account", path: "/account", want: "Đổi mật khẩu"},
	{name: "users", path: "/users", want: "admin"},
	{name: "user-new", path: "/users/new", want: "Tạo tài khoản"},
	{name: "user-import", path: "/users/import", want: "Tạo nhiều tài khoản"},
	{name: "user", path: "/users/" + clerkName, want: "Chuyển đơn vị hoặc vai trò"},
	{name: "audit", path: "/audit", want: "Nhật ký"},
	{name: "people", path: "/people?unit=689", want: "Cá nhân tham gia phong trào"},
	{name: "person", path: "/people/1", want: "Nguyễn Văn Hùng"},
	{name: "cases", path: "/cases?unit=689", want: "Báo cáo gương mới"},
	{name: "case", path: "/cases/4", want: "Xác nhận đã thẩm tra"},
	{name: "awards", path: "/awards?plan=" + demo.PlanID, want: "Gợi ý từ số liệu chính thức"},
	{name: "award-decided", path: "/awards/1", want: "Hủy quyết định khen thưởng"},
	{name: "award-submitted", path: "/awards/2", want: "Ghi quyết định khen thưởng"},
	{name: "award-draft", path: "/awards/3", want: "Trình cấp có thẩm quyền"},
	{name: "award-certificate", path: "/awards/1/certificate", want: "GIẤY CHỨNG NHẬN"},
	{name: "public", path: "/public", want: "Gương người tốt, việc tốt", anonymous: true},
	{name: "public-case", path: "/public/cases/1", want: "Nguyễn Văn Hùng", anonymous: true},
	{name: "not-found", path: "/units/khong-co", want: "Không tìm thấy"},
}
