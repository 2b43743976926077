package demo

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"antq"
	"antq/store"
	"antq/unitfile"
)

// The official 2025 conversion tables and the 2026 list (see data/README.md
// for sources and the licence caveat of the commune table).
const (
	units2024File      = "data/units-2024.csv"
	units2026File      = "data/units-2026.csv"
	communeMergeFile   = "data/commune-merge-2025.csv"
	provinceMergeFile  = "data/province-merge-2025.csv"
	dongNaiCode        = "75"
	dongNaiCityFrom    = "2026-04-30"
	reformLegalUnknown = "số hiệu theo từng tỉnh (1654–1687/NQ-UBTVQH15), chưa đối chiếu"
)

// DongNaiCityDate is the day Đồng Nai became a centrally-run city.
var DongNaiCityDate = antq.MustDate(dongNaiCityFrom)

// Units2024 returns the whole three-tier list in force before 01/07/2025
// (63 provinces, 696 districts, 10,035 communes), valid from `from` to
// 30/06/2025 left open: the reform ends them.
func Units2024(from antq.Date) ([]antq.UnitRecord, error) {
	return readEmbedded(units2024File, unitfileOptions(from))
}

// csvRows reads an embedded CSV as maps from header names to cells.
func csvRows(name string) ([]map[string]string, error) {
	f, err := dataFS.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
}

// Reform2025Options choose which part of the country the reform is built
// for and where the new provinces hang.
type Reform2025Options struct {
	// Has reports whether an old unit (province, district or commune code)
	// is in the database; nil: the whole country.
	Has func(code string) bool
	// NationCode is the parent of the new provinces ("" : none).
	NationCode string
}

// Reform2025 turns the official conversion tables into reorganisation rows
// effective 01/07/2025: every old province merges into its new province
// (NQ 202/2025/QH15), every district is abolished (its role passes to the
// new province; the five island districts become special zones), and every
// old commune merges whole into its new commune, or, when the table
// divides it among several, splits among them with "not comparable" parts
// (the table gives no shares). Rows are in an order the reorganise path
// accepts: provinces, then districts, then communes.
func Reform2025(opts Reform2025Options) ([]antq.ReorgRow, error) {
	has := opts.Has
	if has == nil {
		has = func(string) bool { return true }
	}
	newUnits, err := csvRows(units2025File)
	if err != nil {
		return nil, err
	}
	type newUnit struct{ name, typ, parent string }
	next := map[string]newUnit{}
	for _, u := range newUnits {
		next[u["code"]] = newUnit{u["name"], u["type"], u["parent_code"]}
	}
	old, err := csvRows(units2024File)
	if err != nil {
		return nil, err
	}
	provinces, err := csvRows(provinceMergeFile)
	if err != nil {
		return nil, err
	}
	communes, err := csvRows(communeMergeFile)
	if err != nil {
		return nil, err
	}
	on := ReformDate
	provinceLaw := antq.LegalBasis{Number: "202/2025/QH15", Date: antq.NewDate(2025, 6, 12), Issuer: "Quốc hội"}
	districtLaw := antq.LegalBasis{Number: "Luật Tổ chức chính quyền địa phương 2025", Date: antq.NewDate(2025, 6, 16), Issuer: "Quốc hội"}
	communeLaw := func(newProvince string) antq.LegalBasis {
		if newProvince == dongNaiCode {
			return antq.LegalBasis{Number: "1662/NQ-UBTVQH15", Date: antq.NewDate(2025, 6, 16), Issuer: "Ủy ban Thường vụ Quốc hội"}
		}
		return antq.LegalBasis{Number: reformLegalUnknown, Date: antq.NewDate(2025, 6, 16), Issuer: "Ủy ban Thường vụ Quốc hội"}
	}
	var rows []antq.ReorgRow
	add := func(r antq.ReorgRow) {
		r.Row = len(rows) + 2
		r.EffectiveOn = on
		rows = append(rows, r)
	}
	newProvinceOf := map[string]string{}
	for _, p := range provinces {
		newProvinceOf[p["old_code"]] = p["new_code"]
		if !has(p["old_code"]) {
			continue
		}
		n := next[p["new_code"]]
		add(antq.ReorgRow{Event: antq.LineageMerge, From: p["old_code"], To: p["new_code"], ToName: n.name, ToType: n.typ,
			ToLevel: antq.KindProvince, ToParent: opts.NationCode, Legal: provinceLaw})
	}
	island := map[string]string{}
	for _, c := range communes {
		if c["old_level"] == "district" {
			island[c["old_code"]] = c["new_code"]
		}
	}
	for _, u := range old {
		if u["level"] != "district" || !has(u["code"]) {
			continue
		}
		if zone, ok := island[u["code"]]; ok {
			n := next[zone]
			add(antq.ReorgRow{Event: antq.LineageMerge, From: u["code"], To: zone, ToName: n.name, ToType: n.typ,
				ToLevel: antq.KindCommune, ToParent: n.parent, Legal: communeLaw(n.parent), Note: "huyện đảo không có xã, thành đặc khu"})
			continue
		}
		add(antq.ReorgRow{Event: antq.LineageAbolish, From: u["code"], To: newProvinceOf[u["parent_code"]], Legal: districtLaw,
			Note: "không tổ chức cấp huyện từ 01/07/2025; tỉnh và xã tiếp nhận nhiệm vụ"})
	}
	targets := map[string]int{}
	for _, c := range communes {
		if c["old_level"] == "commune" {
			targets[c["old_code"]]++
		}
	}
	for _, c := range communes {
		if c["old_level"] != "commune" || !has(c["old_code"]) {
			continue
		}
		n := next[c["new_code"]]
		r := antq.ReorgRow{Event: antq.LineageMerge, From: c["old_code"], To: c["new_code"], ToName: n.name, ToType: n.typ,
			ToLevel: antq.KindCommune, ToParent: n.parent, Legal: communeLaw(n.parent), Note: c["nso_note"]}
		if targets[c["old_code"]] > 1 {
			r.Event, r.NotComparable = antq.LineageSplit, true
		}
		add(r)
	}
	return rows, nil
}

// Changes2026 are the changes of 30/04/2026 in units-2026.csv: province 75
// becomes Thành phố Đồng Nai (Thành phố Trung ương, NQ 30/2026/QH16) and 10
// of its communes become phường (237/NQ-UBTVQH16), keeping their codes.
// The resolutions' dates are not in the data set: the effective date is
// used and marked unverified in the note.
func Changes2026() ([]antq.ReorgRow, error) {
	before, err := csvRows(units2025File)
	if err != nil {
		return nil, err
	}
	after, err := csvRows(units2026File)
	if err != nil {
		return nil, err
	}
	was := map[string]map[string]string{}
	for _, u := range before {
		was[u["code"]] = u
	}
	var rows []antq.ReorgRow
	for _, u := range after {
		w := was[u["code"]]
		if w == nil || (w["name"] == u["name"] && w["type"] == u["type"]) {
			continue
		}
		law := antq.LegalBasis{Number: "237/NQ-UBTVQH16", Date: DongNaiCityDate, Issuer: "Ủy ban Thường vụ Quốc hội"}
		if u["level"] == "province" {
			law = antq.LegalBasis{Number: "30/2026/QH16", Date: DongNaiCityDate, Issuer: "Quốc hội"}
		}
		ev := antq.LineageRename
		if w["name"] == u["name"] {
			ev = antq.LineageRetype
		}
		// A commune names its parent: the province's new version starts
		// the same day.
		rows = append(rows, antq.ReorgRow{Row: len(rows) + 2, Event: ev, EffectiveOn: DongNaiCityDate, From: u["code"],
			ToName: u["name"], ToType: u["type"], ToParent: u["parent_code"], Legal: law, Note: "ngày ban hành chưa đối chiếu (ghi theo ngày hiệu lực)"})
	}
	if len(rows) != 11 {
		return nil, fmt.Errorf("demo: expected 11 changes of 30/04/2026, found %d", len(rows))
	}
	return rows, nil
}

// WriteReorgCSV writes rows in the reorganisation file layout (what
// `antq units reorganise` reads).
func WriteReorgCSV(w io.Writer, rows []antq.ReorgRow) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"event", "effective_on", "from_code", "to_code", "to_name", "to_type", "to_level", "to_parent_code", "share",
		"legal_number", "legal_date", "legal_issuer", "note"})
	for _, r := range rows {
		share := ""
		switch {
		case r.NotComparable:
			share = "không so sánh được"
		case r.Share != nil:
			share = strings.ReplaceAll(antq.ShareText(*r.Share), ",", ".")
		}
		cw.Write([]string{string(r.Event), r.EffectiveOn.String(), r.From, r.To, r.ToName, r.ToType, string(r.ToLevel), r.ToParent, share,
			r.Legal.Number, r.Legal.Date.String(), r.Legal.Issuer, r.Note})
	}
	cw.Flush()
	return cw.Error()
}

func unitfileOptions(from antq.Date) unitfile.Options { return unitfile.Options{ValidFrom: from} }

// binhPhuocCodes are the real units of the demo province (province,
// districts, communes).
func binhPhuocCodes() (map[string]bool, error) {
	base, err := readEmbedded(binhPhuocFile, unitfile.Options{ValidFrom: BinhPhuocFrom, ValidTo: BinhPhuocTo})
	if err != nil {
		return nil, err
	}
	codes := make(map[string]bool, len(base))
	for _, r := range base {
		codes[r.Unit.Code] = true
	}
	return codes, nil
}

// LoadReform applies the 2025 reform to the demo's Bình Phước through the
// reorganisation file path (the rows of the official table for province
// 70, written and read back as a file): its districts end with their
// lineage on 30/06/2025 and its 111 communes lead to the 40 communes of the
// new Đồng Nai that took them. It does nothing if the new province 75 is
// there already; it reports whether it applied the reform.
func LoadReform(ctx context.Context, db *store.DB) (*store.ReorgResult, bool, error) {
	if _, err := db.FindUnitByCode(ctx, dongNaiCode, ReformDate); err == nil {
		return nil, false, nil
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return nil, false, err
	}
	codes, err := binhPhuocCodes()
	if err != nil {
		return nil, false, err
	}
	// The new province hangs where Bình Phước hung (the demo's nation, or
	// nowhere).
	bp, err := db.FindUnitByCode(ctx, RootCode, BinhPhuocTo)
	if err != nil {
		return nil, false, err
	}
	rows, err := Reform2025(Reform2025Options{Has: func(code string) bool { return codes[code] }, NationCode: bp.ParentCode})
	if err != nil {
		return nil, false, err
	}
	res, err := reorganiseThroughFile(ctx, db, "demo/reform-2025-binh-phuoc.csv", rows)
	if err != nil {
		return nil, false, err
	}
	return res, true, nil
}
