package web

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"antq"
)

// communesUnder lists the communes a list under unit can be filtered by, as
// of asOf, in Vietnamese order: a district's, or a province's (those under
// its districts too, before the 2025 reform). The communes come from the
// unit's own links, so the list is the unit's and no other's, and reading
// it costs a few indexed reads instead of a walk of every commune of the
// database. Below a district there is nothing to filter by; above a
// province, the nation's 3,321 communes are too many for one list (and
// share names across provinces): its pages filter through a province's.
func (s *Server) communesUnder(ctx context.Context, unit *antq.Unit, asOf antq.Date) ([]*antq.Unit, error) {
	if unit == nil || unit.Kind != antq.KindProvince && unit.Kind != antq.KindDistrict {
		return nil, nil
	}
	commune, district := antq.KindCommune, antq.KindDistrict
	children := func(kind *antq.UnitKind, parent string) ([]*antq.Unit, error) {
		units, _, err := s.DB.FindUnits(ctx, antq.UnitFilter{Kind: kind, ParentCode: &parent, AsOf: asOf, Limit: 1000})
		return units, err
	}
	out, err := children(&commune, unit.Code)
	if err != nil || unit.Kind == antq.KindDistrict {
		return out, err
	}
	districts, err := children(&district, unit.Code)
	if err != nil || len(districts) == 0 {
		return out, err
	}
	for _, d := range districts {
		more, err := children(&commune, d.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	slices.SortStableFunc(out, func(a, b *antq.Unit) int {
		if c := bytes.Compare(antq.SortKey(a.Name), antq.SortKey(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}
