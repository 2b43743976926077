package demo

import (
	"context"
	"fmt"
	"slices"

	"antq"
	"antq/store"
)

// The nation-scale demo is built the way today's Đồng Nai is: the
// three-tier Vietnam of units-2024.csv first, then the official 2025
// conversion tables applied through the reorganisation file path
// (Reform2025), which ends every old province, district and commune with
// its lineage on 30/06/2025 and makes the 34 provinces and 3,321 communes;
// only then the generated residential areas and organisations under them.

// NationFrom is the first day of the nation demo's three-tier tree.
var NationFrom = antq.NewDate(2024, 1, 1)

// nationHistory is the part of the three-tier tree a NationOptions keeps:
// the old units to import (the nation root first, parents before their
// children) and, for Reform2025, which old codes are in the database.
type nationHistory struct {
	units []antq.UnitRecord
	has   map[string]bool
}

// kept2025 returns the provinces of units-2025.csv the options keep and,
// by province code, the communes kept under each.
func (o NationOptions) kept2025() ([]antq.Unit, map[string][]antq.Unit, error) {
	recs, err := Units2025()
	if err != nil {
		return nil, nil, err
	}
	communes := map[string][]antq.Unit{}
	var provinces []antq.Unit
	for _, r := range recs {
		switch r.Unit.Kind {
		case antq.KindProvince:
			if len(o.Provinces) == 0 || slices.Contains(o.Provinces, r.Unit.Code) {
				provinces = append(provinces, r.Unit)
			}
		case antq.KindCommune:
			if cs := communes[r.Unit.ParentCode]; o.MaxCommunes == 0 || len(cs) < o.MaxCommunes {
				communes[r.Unit.ParentCode] = append(cs, r.Unit)
			}
		}
	}
	if len(provinces) == 0 {
		return nil, nil, fmt.Errorf("demo: no province of units-2025.csv among %v", o.Provinces)
	}
	return provinces, communes, nil
}

// history selects the old units that lead to the kept 2025 units: the old
// provinces that merge into a kept province with their districts, and the
// old communes all of whose successors are kept (a commune the table
// divides between a kept and a dropped commune is left out, with its
// lineage). An island district is kept when its special zone is. For the
// whole nation that is every unit of units-2024.csv.
func (o NationOptions) history() (*nationHistory, error) {
	provinces, communes, err := o.kept2025()
	if err != nil {
		return nil, err
	}
	keptProvince, keptCommune := map[string]bool{}, map[string]bool{}
	for _, p := range provinces {
		keptProvince[p.Code] = true
		for _, c := range communes[p.Code] {
			keptCommune[c.Code] = true
		}
	}
	provinceMerge, err := csvRows(provinceMergeFile)
	if err != nil {
		return nil, err
	}
	communeMerge, err := csvRows(communeMergeFile)
	if err != nil {
		return nil, err
	}
	h := &nationHistory{has: map[string]bool{}}
	for _, p := range provinceMerge {
		if keptProvince[p["new_code"]] {
			h.has[p["old_code"]] = true
		}
	}
	// An old commune is kept when it has successors and all are kept; an
	// island district when its zone is.
	communeOK, island := map[string]bool{}, map[string]bool{}
	for _, c := range communeMerge {
		if c["old_level"] == "district" {
			island[c["old_code"]] = true
			communeOK[c["old_code"]] = keptCommune[c["new_code"]]
			continue
		}
		ok, seen := communeOK[c["old_code"]]
		communeOK[c["old_code"]] = (ok || !seen) && keptCommune[c["new_code"]]
	}
	old, err := Units2024(NationFrom)
	if err != nil {
		return nil, err
	}
	h.units = append(h.units, antq.UnitRecord{Row: 1, Unit: antq.Unit{Code: NationCode, Kind: antq.KindNation, Name: "Việt Nam",
		Type: "Quốc gia", ValidFrom: NationFrom}})
	for _, r := range old {
		u := r.Unit
		switch u.Kind {
		case antq.KindProvince:
			if !h.has[u.Code] {
				continue
			}
			u.ParentCode = NationCode
		case antq.KindDistrict:
			if !h.has[u.ParentCode] || (island[u.Code] && !communeOK[u.Code]) {
				continue
			}
			h.has[u.Code] = true
		default:
			if !h.has[u.ParentCode] || !communeOK[u.Code] {
				continue
			}
			h.has[u.Code] = true
		}
		h.units = append(h.units, antq.UnitRecord{Row: len(h.units) + 1, Unit: u})
	}
	return h, nil
}

// loadNationHistory imports the three-tier tree unless the nation root is
// there already, and applies the 2025 reform through the reorganisation
// file path unless it has ended the first old province already. It
// returns the number of old units imported and the reform's result (nil
// when it had been applied).
func loadNationHistory(ctx context.Context, db *store.DB, o NationOptions) (int, *store.ReorgResult, error) {
	h, err := o.history()
	if err != nil {
		return 0, nil, err
	}
	imported := 0
	if _, err := db.FindUnitByCode(ctx, NationCode, NationFrom); antq.ErrorCode(err) == antq.ENOTFOUND {
		r, err := db.ImportUnits(ctx, nationSource+"/units-2024", h.units)
		if err != nil {
			return 0, nil, fmt.Errorf("demo nation units 2024: %w", err)
		}
		imported = r.Units
	} else if err != nil {
		return 0, nil, err
	}
	// The reform ends every old province; the first one still open means
	// the reform is to be applied.
	if first, err := db.FindUnitByCode(ctx, h.units[1].Unit.Code, NationFrom); err != nil {
		return 0, nil, err
	} else if !first.ValidTo.IsZero() {
		return imported, nil, nil
	}
	rows, err := Reform2025(Reform2025Options{Has: func(code string) bool { return h.has[code] }, NationCode: NationCode})
	if err != nil {
		return 0, nil, err
	}
	res, err := reorganiseThroughFile(ctx, db, "demo/reform-2025.csv", rows)
	if err != nil {
		return 0, nil, fmt.Errorf("demo nation reform 2025: %w", err)
	}
	return imported, res, nil
}

// nationChanges2026 applies the changes of 30/04/2026 (Changes2026: Thành
// phố Đồng Nai and ten of its communes becoming phường) to the units the
// options keep, through the reorganisation file path, unless province 75
// is not kept or is a city already. The nation plan's year looks at the
// tree before them: its figures do not change.
func nationChanges2026(ctx context.Context, db *store.DB, o NationOptions) (*store.ReorgResult, error) {
	dn, err := db.FindUnitByCode(ctx, dongNaiCode, antq.Date{})
	if antq.ErrorCode(err) == antq.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !dn.ValidFrom.Before(DongNaiCityDate) {
		return nil, nil // applied by an earlier run
	}
	all, err := Changes2026()
	if err != nil {
		return nil, err
	}
	_, communes, err := o.kept2025()
	if err != nil {
		return nil, err
	}
	kept := map[string]bool{dongNaiCode: true}
	for _, c := range communes[dongNaiCode] {
		kept[c.Code] = true
	}
	var rows []antq.ReorgRow
	for _, r := range all {
		if kept[r.From] {
			r.Row = len(rows) + 2
			rows = append(rows, r)
		}
	}
	return reorganiseThroughFile(ctx, db, "demo/changes-2026-dong-nai.csv", rows)
}
