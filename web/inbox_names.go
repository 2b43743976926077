package web

import (
	"net/http"

	"antq"
	"antq/yearend"
)

// inboxParents names the parent of each unit in the inbox (unit code →
// parent's name), so that the checkboxes of two "Khu phố 8" in different
// wards have different names ("Chọn … Khu phố 8, Phường Tân Phú"). Units
// are read as they stood on asOf (the plan's last day). A parent outside the
// caller's scope is left unnamed.
func (s *Server) inboxParents(r *http.Request, items []yearend.InboxItem, asOf antq.Date) (map[string]string, error) {
	out := map[string]string{}
	names := map[string]string{} // parent code → name
	for _, it := range items {
		if _, done := out[it.Unit.Code]; done {
			continue
		}
		u, err := s.DB.FindUnitByCode(r.Context(), it.Unit.Code, asOf)
		if err != nil {
			return nil, err
		}
		if u.ParentCode == "" {
			continue
		}
		name, ok := names[u.ParentCode]
		if !ok {
			p, err := s.DB.FindUnitByCode(r.Context(), u.ParentCode, asOf)
			if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
				return nil, err
			}
			if p != nil {
				name = p.Name
			}
			names[u.ParentCode] = name
		}
		if name != "" {
			out[it.Unit.Code] = name
		}
	}
	return out, nil
}
