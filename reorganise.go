package antq

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LegalBasis is the decision a reorganisation rests on ("1662/NQ-UBTVQH15",
// 16/06/2025, "Ủy ban Thường vụ Quốc hội"). Numbers are kept as written.
type LegalBasis struct {
	Number string `json:"number"`
	Date   Date   `json:"date"`
	Issuer string `json:"issuer"`
}

// String is the basis as one line: "1662/NQ-UBTVQH15 ngày 16/06/2025 của …".
func (b LegalBasis) String() string {
	s := b.Number
	if !b.Date.IsZero() {
		s += " ngày " + b.Date.VN()
	}
	if b.Issuer != "" {
		s += " của " + b.Issuer
	}
	return strings.TrimSpace(s)
}

// ShareWhole is a whole unit in parts per million.
const ShareWhole = 1_000_000

// ReorgRow is one line of a reorganisation: an old unit (From) and what it
// becomes on EffectiveOn. Rows of one merge (same To) or one split (same
// From) on the same day form one lineage event.
//
//   - merge: From ends the day before; To (existing, or created from
//     ToName/ToType/ToLevel/ToParent) takes it whole, or Share of it.
//   - split: From ends; each row names one part To with its Share (ppm) or
//     NotComparable; the shares of one split add up to the whole.
//   - rename, retype: a new version of From from EffectiveOn with ToName
//     (and ToType); the old version keeps the old name for the past.
//   - move: From hangs under ToParent from EffectiveOn.
//   - abolish: From ends; To, if given, takes over its remaining units.
type ReorgRow struct {
	Row           int         `json:"row"`
	Event         LineageKind `json:"event"`
	EffectiveOn   Date        `json:"effective_on"`
	From          string      `json:"from_code"`
	To            string      `json:"to_code,omitempty"`
	ToName        string      `json:"to_name,omitempty"`
	ToType        string      `json:"to_type,omitempty"`
	ToLevel       UnitKind    `json:"to_level,omitempty"`
	ToParent      string      `json:"to_parent_code,omitempty"`
	Share         *int64      `json:"share_ppm,omitempty"`
	NotComparable bool        `json:"not_comparable,omitempty"`
	Legal         LegalBasis  `json:"legal_basis"`
	Note          string      `json:"note,omitempty"`
}

// ReorgEvents lists the events a reorganisation file may hold.
var ReorgEvents = []LineageKind{LineageMerge, LineageSplit, LineageRename, LineageRetype, LineageMove, LineageAbolish}

// Ends reports whether the event ends its From unit.
func (k LineageKind) Ends() bool {
	return k == LineageMerge || k == LineageSplit || k == LineageAbolish || k == LineageRename || k == LineageRetype
}

var lineageKinds = CodeList[LineageKind]{
	{LineageCreate, "thành lập"},
	{LineageMerge, "sáp nhập"},
	{LineageSplit, "chia tách"},
	{LineageRename, "đổi tên"},
	{LineageRetype, "đổi loại hình"},
	{LineageMove, "chuyển cấp trên"},
	{LineageAbolish, "giải thể"},
}

// Label is the event's Vietnamese name.
func (k LineageKind) Label() string { return lineageKinds.Label(k) }

// Validate checks what the row says on its own and returns the problems by
// column (the file's column names).
func (r *ReorgRow) Validate() FieldErrors {
	f := FieldErrors{}
	known := false
	for _, k := range ReorgEvents {
		known = known || k == r.Event
	}
	if !known {
		f.Add("event", "sự kiện không hợp lệ: "+string(r.Event)+" (merge, split, rename, retype, move, abolish)")
	}
	if r.EffectiveOn.IsZero() {
		f.Add("effective_on", "cần ngày hiệu lực")
	}
	if !ValidCode(r.From) {
		f.Add("from_code", "mã đơn vị cũ trống hoặc không hợp lệ")
	}
	if r.To != "" && !ValidCode(r.To) {
		f.Add("to_code", "mã đơn vị mới không hợp lệ")
	}
	if r.ToParent != "" && !ValidCode(r.ToParent) {
		f.Add("to_parent_code", "mã đơn vị cấp trên không hợp lệ")
	}
	if utf8.RuneCountInString(r.ToName) > 200 {
		f.Add("to_name", "tên quá dài")
	}
	if r.ToLevel != "" && !r.ToLevel.Valid() {
		f.Add("to_level", "cấp không hợp lệ: "+string(r.ToLevel))
	}
	if strings.TrimSpace(r.Legal.Number) == "" {
		f.Add("legal_number", "cần số hiệu văn bản (căn cứ pháp lý)")
	}
	if r.Legal.Date.IsZero() {
		f.Add("legal_date", "cần ngày ban hành văn bản")
	} else if !r.EffectiveOn.IsZero() && r.EffectiveOn.Before(r.Legal.Date) {
		f.Add("legal_date", "văn bản ban hành sau ngày hiệu lực")
	}
	if strings.TrimSpace(r.Legal.Issuer) == "" {
		f.Add("legal_issuer", "cần cơ quan ban hành")
	}
	if r.Share != nil && (*r.Share <= 0 || *r.Share > ShareWhole) {
		f.Add("share", "tỷ lệ phải lớn hơn 0 và không quá 100%")
	}
	if r.Share != nil && r.NotComparable {
		f.Add("share", "ghi tỷ lệ hoặc \"không so sánh được\", không cả hai")
	}
	switch r.Event {
	case LineageMerge:
		if r.To == "" {
			f.Add("to_code", "sáp nhập cần mã đơn vị nhận")
		}
	case LineageSplit:
		if r.To == "" {
			f.Add("to_code", "chia tách cần mã từng phần mới")
		}
		if r.Share == nil && !r.NotComparable {
			f.Add("share", "chia tách cần tỷ lệ của phần này hoặc ghi \"không so sánh được\"")
		}
	case LineageRename:
		if strings.TrimSpace(r.ToName) == "" {
			f.Add("to_name", "đổi tên cần tên mới")
		}
	case LineageRetype:
		if strings.TrimSpace(r.ToType) == "" {
			f.Add("to_type", "đổi loại hình cần loại hình mới")
		}
	case LineageMove:
		if r.ToParent == "" {
			f.Add("to_parent_code", "chuyển cấp trên cần mã đơn vị cấp trên mới")
		}
	}
	if (r.Event == LineageRename || r.Event == LineageRetype) && r.To != "" && r.To != r.From {
		f.Add("to_code", "đổi tên, đổi loại hình giữ nguyên mã đơn vị")
	}
	return f
}

// ShareText writes a share as a percentage: "40%", "33,3333%".
func ShareText(ppm int64) string {
	s := fmt.Sprintf("%d,%04d", ppm/10_000, ppm%10_000)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	return s + "%"
}
