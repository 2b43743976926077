package yearend

import (
	"fmt"
	"strings"

	"antq"
)

// A decision (quyết định) is identified by its issuer, number and date: two
// communes may both issue "201/QĐ-UBND", and their decisions are different
// documents. The rules below keep one decision to one issuer.

// Issuer is the authority that decides for a unit: the unit whose People's
// Committee (or other body) issues the decision, and its name as written on
// the decision ("UBND phường Tân Phú").
type Issuer struct {
	UnitID int64 // 0 when the tree holds no deciding unit (then Label tells issuers apart)
	Label  string
}

// Key identifies the issuer for grouping.
func (i Issuer) Key() string {
	if i.UnitID != 0 {
		return fmt.Sprintf("#%d", i.UnitID)
	}
	return "label:" + i.Label
}

// DecisionKey identifies a decision: issuer, number, date.
type DecisionKey struct {
	Issuer string // Issuer.Key
	Number string
	Date   antq.Date
}

// IssuedUnit is a unit of a bulk decision with the issuer that decides for
// it.
type IssuedUnit struct {
	Code, Name string
	Issuer     Issuer
}

// CheckOneIssuer refuses a bulk decision whose units are decided by more than
// one authority: one decision number cannot be issued by several
// committees. The refusal names each authority with its units, so the user
// can decide each authority's units apart.
func CheckOneIssuer(number string, units []IssuedUnit) error {
	var order []string
	by := map[string][]IssuedUnit{}
	for _, u := range units {
		k := u.Issuer.Key()
		if _, ok := by[k]; !ok {
			order = append(order, k)
		}
		by[k] = append(by[k], u)
	}
	if len(order) < 2 {
		return nil
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		names := make([]string, 0, len(by[k]))
		for _, u := range by[k] {
			names = append(names, u.Name)
		}
		label := by[k][0].Issuer.Label
		if label == "" {
			label = "chưa xác định cơ quan có thẩm quyền"
		}
		parts = append(parts, label+": "+strings.Join(names, ", "))
	}
	what := "Một quyết định"
	if number != "" {
		what = "Quyết định số " + number
	}
	return antq.Invalid(what+" chỉ do một cơ quan ban hành, nhưng các đơn vị đã chọn thuộc thẩm quyền của "+
		fmt.Sprint(len(order))+" cơ quan — "+strings.Join(parts, "; ")+". Hãy ghi quyết định riêng cho đơn vị của từng cơ quan.",
		map[string]string{"units": "các đơn vị thuộc thẩm quyền của nhiều cơ quan"})
}

// CheckDecisionNumber refuses a decision number the same issuer already
// used on another date: within an issuer a number names one document, so
// "201/QĐ-UBND ngày 19/11/2023" cannot also be dated 20/11/2023. used holds
// the dates on which the issuer's decisions carry that number.
func CheckDecisionNumber(number string, date antq.Date, issuer Issuer, used []antq.Date) error {
	for _, d := range used {
		if !d.Equal(date) {
			label := issuer.Label
			if label == "" {
				label = "cơ quan này"
			}
			return antq.Invalid("Số quyết định đã được dùng", map[string]string{
				"decision_number": fmt.Sprintf("%s đã ban hành quyết định số %s ngày %s; một số quyết định chỉ có một ngày ban hành", label, number, d.VN()),
			})
		}
	}
	return nil
}

// PlaceName is the place name (địa danh) an administrative document of a
// unit's authority writes before its date: the unit's proper name without
// its type word ("Phường Tân Phú" → "Tân Phú", "Thành phố Đồng Xoài" →
// "Đồng Xoài"), but whole when the proper name is a number ("Phường 15"),
// following the presentation rules for administrative documents (Nghị định
// 30/2020/NĐ-CP, Phụ lục I — the project's reading, not in the domain
// reference).
func PlaceName(unitName string) string {
	for _, prefix := range []string{"Thành phố ", "Thị xã ", "Thị trấn ", "Đặc khu ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã "} {
		if rest, ok := strings.CutPrefix(unitName, prefix); ok {
			if rest == "" || strings.Trim(rest, "0123456789") == "" {
				return unitName
			}
			return rest
		}
	}
	return unitName
}
