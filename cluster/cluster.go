// Package cluster holds the emulation clusters and blocks (cụm, khối thi
// đua): their types, who may see and do what, and the pure arithmetic of a
// scoring sheet — computed points from the official indicator figures of a
// member's subtree, scored criteria, bonus and deduction, the total in
// tenths of a point and the ranking with its tie-breaks. No I/O: the store
// loads, asks this package and writes.
package cluster

import (
	"strconv"
	"strings"
	"time"

	"antq"
	"antq/rules"
)

// Kind is cụm (territorial: districts, communes) or khối (sectoral:
// departments, organisations).
type Kind string

const (
	KindCum  Kind = "cum"
	KindKhoi Kind = "khoi"
)

var kinds = antq.CodeList[Kind]{
	{Code: KindCum, Label: "Cụm thi đua"},
	{Code: KindKhoi, Label: "Khối thi đua"},
}

// Label is the Vietnamese name of the kind.
func (k Kind) Label() string { return kinds.Label(k) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// Unit is a unit as the cluster shows it: the version it recorded.
type Unit struct {
	ID   int64  `json:"-"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Pact is the emulation pact (giao ước thi đua) the members signed.
type Pact struct {
	Number   string    `json:"number"`
	SignedOn antq.Date `json:"signed_on"`
	Evidence string    `json:"evidence,omitempty"` // where the signed copy is: a document reference or a note
}

// Member is a unit in the cluster from JoinedOn to LeftOn (zero: to the
// end of the year). Ended: the unit version no longer exists today (a
// reorganisation ended it); it is shown as it was.
type Member struct {
	Unit     Unit      `json:"unit"`
	JoinedOn antq.Date `json:"joined_on"`
	LeftOn   antq.Date `json:"left_on,omitzero"`
	Ended    bool      `json:"ended"`
}

// HeadTerm is one entry of the head's rotation.
type HeadTerm struct {
	Unit   Unit      `json:"unit"`
	Since  antq.Date `json:"since"`
	Reason string    `json:"reason"`
	SetBy  string    `json:"set_by"`
}

// Closure is a closed ranking: its date, who closed it and when.
type Closure struct {
	ClosedOn antq.Date `json:"closed_on"`
	ClosedBy string    `json:"closed_by"`
	ClosedAt time.Time `json:"closed_at"`
}

// Cluster is one year's cluster or block.
type Cluster struct {
	ID           int64      `json:"id"`
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	Year         int        `json:"year"`
	Kind         Kind       `json:"kind"`
	Organiser    Unit       `json:"organiser"`
	Head         *Unit      `json:"head"`
	Heads        []HeadTerm `json:"heads"`
	SheetID      string     `json:"sheet"`
	SheetVersion int        `json:"sheet_version"`
	Pact         *Pact      `json:"pact"`
	Members      []Member   `json:"members"`
	Closed       *Closure   `json:"closed"`
	// View is what the caller sees of it (set by the store).
	View Relation `json:"view"`
}

// Input is what creates or changes a cluster; nil fields are left as they
// are on a change.
type Input struct {
	Code       *string
	Name       *string
	Year       *int
	Kind       *Kind
	Organiser  *string // unit code
	Head       *string // unit code; must be a member
	HeadSince  *antq.Date
	HeadReason *string
	Sheet      *string
	Pact       *Pact
	Members    []MemberInput // nil: unchanged; a list replaces the members
}

// MemberInput names a member by code, with its dates.
type MemberInput struct {
	Code     string
	JoinedOn antq.Date
	LeftOn   antq.Date
}

// CheckInput checks what a create (create true) or change says, before the
// store resolves the units. Errors name the field in Vietnamese.
func CheckInput(in Input, create bool) error {
	f := map[string]string{}
	if create {
		required := []struct {
			missing       bool
			field, reason string
		}{
			{in.Code == nil, "code", "cần mã cụm, khối"},
			{in.Name == nil, "name", "cần tên cụm, khối"},
			{in.Year == nil, "year", "cần năm"},
			{in.Kind == nil, "kind", "cần loại: cụm hoặc khối"},
			{in.Organiser == nil, "organiser", "cần đơn vị tổ chức (thường là tỉnh)"},
			{in.Sheet == nil, "sheet", "cần bảng điểm"},
		}
		for _, r := range required {
			if r.missing {
				f[r.field] = r.reason
			}
		}
	}
	if in.Code != nil && !validCode(*in.Code) {
		f["code"] = "mã chỉ gồm chữ thường không dấu, số và dấu gạch ngang (tối đa 40 ký tự)"
	}
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" {
		f["name"] = "tên không được để trống"
	}
	if in.Year != nil && (*in.Year < 2000 || *in.Year > 2100) {
		f["year"] = "năm phải trong khoảng 2000–2100"
	}
	if in.Kind != nil && !in.Kind.Valid() {
		f["kind"] = "loại phải là cụm (cum) hoặc khối (khoi)"
	}
	if in.Pact != nil {
		if strings.TrimSpace(in.Pact.Number) == "" {
			f["pact.number"] = "cần số, ký hiệu của giao ước"
		}
		if in.Pact.SignedOn.IsZero() {
			f["pact.signed_on"] = "cần ngày ký giao ước"
		}
	}
	if in.Head != nil && in.HeadReason != nil && strings.TrimSpace(*in.HeadReason) == "" {
		f["head_reason"] = "lý do đổi đơn vị trưởng không được để trống"
	}
	seen := map[string]bool{}
	for i, m := range in.Members {
		key := "members[" + itoa(i) + "]"
		if m.Code == "" {
			f[key+".code"] = "cần mã đơn vị"
		} else if seen[m.Code] {
			f[key+".code"] = "đơn vị " + m.Code + " đã có trong danh sách"
		}
		seen[m.Code] = true
		if !m.LeftOn.IsZero() && !m.JoinedOn.IsZero() && m.LeftOn.Before(m.JoinedOn) {
			f[key+".left_on"] = "ngày rời cụm trước ngày vào cụm"
		}
	}
	if in.Members != nil && len(in.Members) == 0 {
		f["members"] = "cụm, khối cần ít nhất một thành viên"
	}
	if len(f) > 0 {
		return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", f)
	}
	return nil
}

// CheckYear checks the members' dates and the sheet's plan against the
// cluster's year.
func CheckYear(year int, members []MemberInput, plan *rules.Plan) error {
	f := map[string]string{}
	first, last := antq.MustDate(itoa(year)+"-01-01"), antq.MustDate(itoa(year)+"-12-31")
	for i, m := range members {
		key := "members[" + itoa(i) + "]"
		if !m.JoinedOn.IsZero() && (m.JoinedOn.Before(first) || m.JoinedOn.After(last)) {
			f[key+".joined_on"] = "ngày vào cụm phải trong năm " + itoa(year)
		}
		if !m.LeftOn.IsZero() && (m.LeftOn.Before(first) || m.LeftOn.After(last)) {
			f[key+".left_on"] = "ngày rời cụm phải trong năm " + itoa(year)
		}
	}
	if plan != nil && plan.Year != year {
		f["sheet"] = "bảng điểm dùng kế hoạch năm " + itoa(plan.Year) + ", khác năm của cụm " + itoa(year)
	}
	if len(f) > 0 {
		return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", f)
	}
	return nil
}

func validCode(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func itoa(i int) string { return strconv.Itoa(i) }
