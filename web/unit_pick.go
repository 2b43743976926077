package web

import (
	"net/http"
	"strings"

	"antq"
)

// unitChoice is one unit that the text typed in a unit field matches,
// offered to choose from.
type unitChoice struct {
	Code, Name, Parent string
}

// maxUnitChoices is how many matching units a unit field offers.
const maxUnitChoices = 20

// pickUnit resolves what was typed in a unit field of an account form — a
// unit's code or part of its name, without diacritics if need be — to the
// code of one unit in the caller's scope, those in force today first. picked, the
// choice made from an earlier answer's list, wins over typed; the form's
// prefilled unit (the hidden unit_prev, shown by its name unit_prev_name)
// stands when its name was left as it was. When the name
// matches several units they are returned (at most maxUnitChoices, and the
// total) for the form to offer, with a field error; no match is a field
// error too. The error is EINVALID with the reason on field.
func (s *Server) pickUnit(r *http.Request, field, typed, picked string) (string, []unitChoice, int, error) {
	ctx := r.Context()
	today := antq.DateOf(s.DB.Now().In(s.zone))
	prev := ""
	if typed == r.PostFormValue(field+"_prev_name") {
		prev = r.PostFormValue(field + "_prev")
	}
	for _, code := range []string{picked, prev, typed} {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if u, err := s.DB.FindUnitByCode(ctx, code, antq.Date{}); err == nil {
			return u.Code, nil, 0, nil
		} else if antq.ErrorCode(err) != antq.ENOTFOUND {
			return "", nil, 0, err
		}
	}
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", nil, 0, antq.Invalid("Chưa chọn đơn vị", antq.FieldErrors{field: "cần tên hoặc mã đơn vị"})
	}
	units, total, err := s.DB.FindUnits(ctx, antq.UnitFilter{Query: typed, AsOf: today, Limit: maxUnitChoices})
	if err == nil && total == 0 {
		// Not in force today: the units of any time, each once (an
		// account may stay on an ended unit until it is reassigned).
		units, total, err = s.anyTimeUnits(r, typed)
	}
	if err != nil {
		return "", nil, 0, err
	}
	// A name typed whole picks its unit when no other unit bears it.
	var exact []string
	for _, u := range units {
		if antq.Fold(u.Name) == antq.Fold(typed) {
			exact = append(exact, u.Code)
		}
	}
	switch {
	case total == 1:
		return units[0].Code, nil, 0, nil
	case len(exact) == 1:
		return exact[0], nil, 0, nil
	case total == 0:
		return "", nil, 0, antq.Invalid("Không tìm thấy đơn vị",
			antq.FieldErrors{field: "không có đơn vị nào trong phạm vi quản lý của bạn có mã hoặc tên “" + typed + "”"})
	}
	choices := make([]unitChoice, len(units))
	for i, u := range units {
		choices[i] = unitChoice{Code: u.Code, Name: u.Name, Parent: u.ParentName}
	}
	reason := "có nhiều đơn vị khớp với “" + typed + "”: chọn một đơn vị bên dưới"
	if total > len(units) {
		reason += " hoặc gõ tên đầy đủ hơn"
	}
	return "", choices, total, antq.Invalid("Cần chọn một đơn vị", antq.FieldErrors{field: reason})
}

// anyTimeUnits are the units of any date whose name matches q, the newest
// version of each code once, at most maxUnitChoices, and how many codes.
func (s *Server) anyTimeUnits(r *http.Request, q string) ([]*antq.Unit, int, error) {
	all, _, err := s.DB.FindUnits(r.Context(), antq.UnitFilter{Query: q, Limit: 10 * maxUnitChoices})
	if err != nil {
		return nil, 0, err
	}
	at := map[string]int{}
	var out []*antq.Unit
	for _, u := range all {
		if i, ok := at[u.Code]; ok {
			if u.ValidFrom.After(out[i].ValidFrom) {
				out[i] = u
			}
			continue
		}
		at[u.Code] = len(out)
		out = append(out, u)
	}
	total := len(out)
	return out[:min(total, maxUnitChoices)], total, nil
}
