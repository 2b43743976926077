package antq

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Gender is what the award rules distinguish (the Kỷ niệm chương's years
// of service differ for men and women).
type Gender string

const (
	GenderMale   Gender = "nam"
	GenderFemale Gender = "nu"
)

var genders = CodeList[Gender]{
	{GenderMale, "Nam"},
	{GenderFemale, "Nữ"},
}

// Valid reports whether g is a known gender.
func (g Gender) Valid() bool { return genders.Valid(g) }

// Label is the Vietnamese word ("" when unknown).
func (g Gender) Label() string { return genders.LabelOr(g, "") }

// PersonRole is what a person does in the movement; the catalogue is the
// forces REFERENCE §6 names (members of Tổ bảo vệ ANTT ở cơ sở from
// 01/07/2024, the bảo vệ dân phố and part-time commune police before it,
// residential-area heads, staff, pupils, citizens).
type PersonRole string

// PersonRoles lists the roles with their Vietnamese labels, in display order.
var PersonRoles = []struct {
	Role  PersonRole
	Label string
}{
	{"to_bao_ve_antt", "Tổ viên Tổ bảo vệ an ninh, trật tự ở cơ sở"},
	{"bao_ve_dan_pho", "Bảo vệ dân phố"},
	{"cong_an_xa_ban_chuyen_trach", "Công an xã bán chuyên trách"},
	{"truong_khu_dan_cu", "Trưởng thôn, ấp, khu phố, tổ dân phố"},
	{"bao_ve_co_quan", "Bảo vệ cơ quan, doanh nghiệp"},
	{"can_bo", "Cán bộ, công chức, viên chức"},
	{"lanh_dao", "Lãnh đạo cấp ủy, chính quyền, đoàn thể"},
	{"hoc_sinh", "Học sinh, sinh viên"},
	{"cong_dan", "Công dân"},
}

// Valid reports whether r is in the catalogue.
func (r PersonRole) Valid() bool { return r.Label() != "" }

// Label is the Vietnamese name of the role ("" when unknown).
func (r PersonRole) Label() string {
	for _, p := range PersonRoles {
		if p.Role == r {
			return p.Label
		}
	}
	return ""
}

// Person is an individual who takes part in the movement. Only what awards
// need is kept (Nghị định 13/2023: purpose and minimisation): name, birth
// year (not the full date), gender, unit and role, years of service. A
// national ID number is never stored: only its keyed hash, which can be
// matched against a number typed in but not listed or reversed.
type Person struct {
	ID       int64  `json:"id"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	// UnitParent is the name of the unit's parent, for the pages: a unit
	// is named by its parent's name, never a bare code ("Khu phố 1").
	UnitParent string     `json:"-"`
	FullName   string     `json:"full_name"`
	Birth      int        `json:"birth_year"`
	Gender     Gender     `json:"gender"`
	Role       PersonRole `json:"role"`
	Position   string     `json:"position,omitempty"` // free text: "Tổ trưởng", "Hiệu trưởng"
	// ServiceYears are the years of service in the role counted for awards,
	// as of ServiceAsOf (a Kỷ niệm chương needs them).
	ServiceYears int  `json:"service_years"`
	ServiceAsOf  Date `json:"service_as_of"`
	// HasNationalID says a national ID number's hash is on file.
	HasNationalID bool      `json:"has_national_id"`
	CreatedAt     time.Time `json:"created_at"`
	CreatedBy     string    `json:"created_by"`
}

// PersonInput is a new person as typed in.
type PersonInput struct {
	UnitCode     string     `json:"unit_code"`
	FullName     string     `json:"full_name"`
	BirthYear    int        `json:"birth_year"`
	Gender       Gender     `json:"gender"`
	Role         PersonRole `json:"role"`
	Position     string     `json:"position"`
	ServiceYears int        `json:"service_years"`
	ServiceAsOf  Date       `json:"service_as_of"`
	NationalID   string     `json:"national_id"`
}

// NormalNationalID returns the digits of a national ID number (a citizen
// identity card has 12 digits, an old identity card 9) and whether it is
// well formed. Spaces and dots typed between groups are dropped.
func NormalNationalID(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", ".", "", "-", "").Replace(strings.TrimSpace(s))
	if len(s) != 12 && len(s) != 9 {
		return s, false
	}
	return s, AllDigits(s)
}

// Check validates a new person on day today and returns it (without unit
// name or stamps, which the store fills).
func (in PersonInput) Check(today Date) (*Person, error) {
	f := FieldErrors{}
	name := strings.Join(strings.Fields(in.FullName), " ")
	switch {
	case name == "":
		f.Add("full_name", "cần họ và tên")
	case utf8.RuneCountInString(name) > 120:
		f.Add("full_name", "họ và tên quá 120 ký tự")
	}
	if strings.TrimSpace(in.UnitCode) == "" {
		f.Add("unit_code", "cần đơn vị")
	}
	if in.BirthYear < today.Year()-110 || in.BirthYear > today.Year()-6 {
		f.Add("birth_year", fmt.Sprintf("năm sinh phải từ %d đến %d", today.Year()-110, today.Year()-6))
	}
	if !in.Gender.Valid() {
		f.Add("gender", "chọn giới tính Nam hoặc Nữ")
	}
	if !in.Role.Valid() {
		f.Add("role", "chọn vai trò trong danh mục")
	}
	if utf8.RuneCountInString(in.Position) > 120 {
		f.Add("position", "chức danh quá 120 ký tự")
	}
	switch {
	case in.ServiceYears < 0 || in.ServiceYears > 80:
		f.Add("service_years", "số năm công tác phải từ 0 đến 80")
	case in.ServiceYears > 0 && in.ServiceAsOf.IsZero():
		f.Add("service_as_of", "cần ngày tính số năm công tác")
	case in.ServiceAsOf.After(today):
		f.Add("service_as_of", "ngày tính số năm công tác ở tương lai")
	case in.BirthYear > 0 && in.ServiceYears > 0 && in.ServiceAsOf.Year()-in.ServiceYears < in.BirthYear+14:
		f.Add("service_years", "số năm công tác vượt quá tuổi của người này")
	}
	if in.NationalID != "" {
		if _, ok := NormalNationalID(in.NationalID); !ok {
			f.Add("national_id", "số định danh cá nhân gồm 12 chữ số (chứng minh nhân dân cũ: 9 chữ số)")
		}
	}
	if err := f.Err("Thông tin cá nhân không hợp lệ"); err != nil {
		return nil, err
	}
	return &Person{UnitCode: strings.TrimSpace(in.UnitCode), FullName: name, Birth: in.BirthYear, Gender: in.Gender, Role: in.Role,
		Position: strings.TrimSpace(in.Position), ServiceYears: in.ServiceYears, ServiceAsOf: in.ServiceAsOf, HasNationalID: in.NationalID != ""}, nil
}

// Initials is how a person appears where the full name may not be shown:
// "Nguyễn Văn An" → "N.V.A.".
func Initials(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteString(strings.ToUpper(string(r)) + ".")
	}
	return b.String()
}
