package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// The failing lists: the units that count in an indicator's denominator
// but not its numerator, with why, in order of distance from the target.

// FailingUnit is a unit that misses an indicator, with the reason.
type FailingUnit struct {
	Unit       *antq.Unit
	Parent     string // the parent's name, to tell same-named units apart
	ParentCode string
	Reason     string
	// TotalNote flags a propaganda figure whose total is not the unit's
	// registered size, with the reason given ("" otherwise).
	TotalNote string
	// Shortfall is why the unit fails and how far it is from the target.
	Shortfall indicator.Shortfall
}

// FailingFilter narrows and pages a failing list.
type FailingFilter struct {
	State   indicator.FailState // "" = every state
	Commune string              // a unit's code: it and the units directly under it; "" = all
	Offset  int
	Limit   int
}

// FailingUnits lists the units under code (itself included) that count in
// the indicator's denominator but not its numerator, closest to the target
// first (FailingUnitsFiltered without a filter).
func (db *DB) FailingUnits(ctx context.Context, planID string, id rules.Indicator, code string, offset, limit int) ([]FailingUnit, int, error) {
	return db.FailingUnitsFiltered(ctx, planID, id, code, FailingFilter{Offset: offset, Limit: limit})
}

// FailingUnitsFiltered lists the units under code (itself included) that
// count in the indicator's denominator but not its numerator, each with why
// it fails (indicator.Classify), ordered by distance from the target
// (closest first, then in Vietnamese order), filtered by state and commune.
func (db *DB) FailingUnitsFiltered(ctx context.Context, planID string, id rules.Indicator, code string, ff FailingFilter) ([]FailingUnit, int, error) {
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, 0, err
	}
	target, ok := plan.Target(id)
	if !ok {
		return nil, 0, antq.Errorf(antq.ENOTFOUND, "Kế hoạch %s không có chỉ tiêu %q", plan.ID, id)
	}
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, 0, err
	}
	bit := int64(1) << indicator.Index(id)
	// The dossier each unit's result depends on (recognition or grading)
	// and the grade are read with the units, by their keys; the other facts
	// Classify needs (factsFor) are read for the failing units only.
	dossierKind := ""
	switch id {
	case rules.IndicatorRecognition:
		dossierKind = "recognition"
	case rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
		dossierKind = "grading"
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	planArg, bitArg := arg(plan.ID), arg(bit)
	with, from, where := "", "unit_status us", ""
	if t.unit.Code != t.plan.RootUnit {
		lo, hi, numbered, err := db.subtreeRange(ctx, db.read, plan.ID, t.unit.ID)
		if err != nil {
			return nil, 0, err
		}
		if numbered {
			// The subtree is a range of the pre-order numbering
			// (plan_tree_order.go), which drives: a province's 22,791
			// units without a recursive step each.
			from = "plan_tree_order o CROSS JOIN unit_status us"
			where = " AND o.plan_id = " + planArg + " AND o.pre BETWEEN " + arg(lo) + " AND " + arg(hi) + " AND us.unit_id = o.unit_id"
		} else {
			// The walk drives (CROSS JOIN): joined the other way SQLite
			// read the plan's every status row and looked each up in the
			// walk, 0.33 s for a commune of a few units at nation scale.
			with = withPlanSubtree(arg(t.unit.ID), planArg)
			from = "sub CROSS JOIN unit_status us"
			where = " AND us.unit_id = sub.id"
		}
	} // the plan's root: its subtree is the plan's whole tree (withTargetSubtree)
	state, grade, joins := "''", "''", ""
	if dossierKind != "" {
		state = "COALESCE(d.state, '')"
		joins += "\nLEFT JOIN dossiers d ON d.plan_id = " + arg(factsPlanID(c, plan)) + " AND d.unit_id = us.unit_id AND d.kind = " + arg(dossierKind)
	}
	if factsFor(id)&factGrade != 0 {
		grade = "COALESCE(g.grade, '')"
		joins += "\nLEFT JOIN grades g ON g.plan_id = " + arg(factsPlanID(c, plan)) + " AND g.unit_id = us.unit_id"
	}
	if ff.Commune != "" {
		mark := arg(ff.Commune)
		where += " AND (u.code = " + mark + " OR p.code = " + mark + ")"
	}
	// Where the distance from the target is a function of the row
	// (failRankSQL), the database orders, filters and pages; otherwise every
	// failing unit is classified here.
	rank, inSQL := failRankSQL(id, state, grade)
	order, page, totalCol := "u.sort_key, u.code", "", "0"
	if inSQL {
		totalCol = "COUNT(*) OVER ()"
		if id != rules.IndicatorRegistration { // a constant would be read as a column's position
			order = rank + ", " + order
		}
		if ff.State != "" {
			where += " AND " + rank + " = " + arg(indicator.Shortfall{State: ff.State}.Rank())
		}
		if ff.Limit > 0 {
			page = " LIMIT " + arg(ff.Limit)
		}
		if ff.Offset > 0 {
			if page == "" {
				page = " LIMIT " + arg(int64(1)<<62) // OFFSET needs a LIMIT in SQLite
			}
			page += " OFFSET " + arg(ff.Offset)
		}
	}
	unitsJoin, countedTotal := "\nJOIN units u ON u.id = us.unit_id", -1
	if id == rules.IndicatorRegistration && t.unit.Code == t.plan.RootUnit && ff.Commune == "" && (ff.State == "" || ff.State == indicator.FailNoData) {
		// The root's registration list is every failing unit of the plan
		// in Vietnamese order: the units are read in that order
		// (units_sort) and the page stops the read, instead of a scan and
		// sort of the plan's every status row; the count is the root's
		// maintained one (den − num: a numerator bit is only set with its
		// denominator bit).
		n, units, ok, err := db.failingCount(ctx, plan.ID, id, t.unit.ID)
		if err != nil {
			return nil, 0, err
		}
		// Read in that order, the page takes about units/failing rows per
		// row it keeps: where few units fail, the scan and sort of the
		// failing rows costs less.
		if ok && int64(n)*failingDensity >= units {
			countedTotal = n
			from, unitsJoin, totalCol = "units u CROSS JOIN unit_status us", "", "0"
			where += " AND us.unit_id = u.id"
		}
	}
	var all []FailingUnit
	var rowsInfo []*statusRow
	dossierStates := map[int64]string{}
	grades := map[int64]antq.Grade{}
	sqlTotal := 0
	err = queryEach(ctx, db.read, "failing units", func(rows *sql.Rows) error {
		u := &antq.Unit{}
		var kind, state, grade string
		sr := &statusRow{}
		var fu FailingUnit
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &kind, &u.Type, &sr.parentID, &fu.Parent, &fu.ParentCode, &state, &grade, &sqlTotal); err != nil {
			return err
		}
		u.Kind = antq.UnitKind(kind)
		sr.unitID, sr.kind = u.ID, u.Kind
		fu.Unit = u
		if state != "" {
			dossierStates[u.ID] = state
		}
		if grade != "" {
			grades[u.ID] = antq.Grade(grade)
		}
		all = append(all, fu)
		rowsInfo = append(rowsInfo, sr)
		return nil
	}, with+`
SELECT us.unit_id, u.code, u.name, u.kind, u.type_label, us.parent_id, COALESCE(p.name, ''), COALESCE(p.code, ''), `+state+`, `+grade+`, `+totalCol+`
FROM `+from+unitsJoin+`
LEFT JOIN units p ON p.id = us.parent_id`+joins+`
WHERE us.plan_id = `+planArg+` AND (us.den_mask & `+bitArg+`) <> 0 AND (us.num_mask & `+bitArg+`) = 0`+where+`
ORDER BY `+order+page, args...)
	if err != nil {
		return nil, 0, err
	}
	facts, err := db.indicatorFactsNeeded(ctx, db.read, plan, rowsInfo, factsFor(id)&^factGrade)
	if err != nil {
		return nil, 0, err
	}
	for uid, g := range grades {
		f := facts[uid]
		f.Grade = g
		facts[uid] = f
	}
	if countedTotal >= 0 {
		sqlTotal = countedTotal
	}
	if inSQL {
		if len(all) == 0 && ff.Offset > 0 && countedTotal < 0 {
			// Past the last page: no row carries the count.
			if _, sqlTotal, err = db.FailingUnitsFiltered(ctx, planID, id, code, FailingFilter{State: ff.State, Commune: ff.Commune, Limit: 1}); err != nil {
				return nil, 0, err
			}
		}
		for i := range all {
			all[i].Shortfall = indicator.Classify(target, facts[all[i].Unit.ID], dossierStates[all[i].Unit.ID])
			all[i].Reason = failReason(target, all[i].Unit.Kind, facts[all[i].Unit.ID], all[i].Shortfall)
		}
		return all, sqlTotal, nil
	}
	var out []FailingUnit
	for i := range all {
		all[i].Shortfall = indicator.Classify(target, facts[all[i].Unit.ID], dossierStates[all[i].Unit.ID])
		if ff.State != "" && all[i].Shortfall.State != ff.State {
			continue
		}
		out = append(out, all[i])
	}
	out, total := sortAndPageFailing(out, ff)
	for i := range out {
		out[i].Reason = failReason(target, out[i].Unit.Kind, facts[out[i].Unit.ID], out[i].Shortfall)
	}
	if err := db.addTotalNotes(ctx, plan, id, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// sortAndPageFailing orders failing units by distance from the target,
// closest first (stable: units equally far keep their order), and cuts the
// filter's page; total is the count before the cut.
func sortAndPageFailing(out []FailingUnit, ff FailingFilter) (_ []FailingUnit, total int) {
	slices.SortStableFunc(out, func(a, b FailingUnit) int {
		switch {
		case indicator.Closer(a.Shortfall, b.Shortfall):
			return -1
		case indicator.Closer(b.Shortfall, a.Shortfall):
			return 1
		}
		return 0
	})
	total = len(out)
	out = out[min(ff.Offset, total):]
	if ff.Limit > 0 && len(out) > ff.Limit {
		out = out[:ff.Limit]
	}
	return out, total
}

// addTotalNotes notes, on a propaganda list, each unit whose total is not
// its registered size.
func (db *DB) addTotalNotes(ctx context.Context, plan *rules.Plan, id rules.Indicator, out []FailingUnit) error {
	if id != rules.IndicatorPropagandaHouseholds && id != rules.IndicatorPropagandaStaff {
		return nil
	}
	for i := range out {
		var err error
		if out[i].TotalNote, err = db.propagandaTotalNote(ctx, plan, out[i].Unit.ID); err != nil {
			return err
		}
	}
	return nil
}

// failRankSQL is, for an indicator whose distance from the target depends
// only on the unit's dossier state (the SQL expression state, ” when none)
// and grade (grade), that distance as a SQL expression: the rank
// indicator.Classify gives (the position of its state in
// indicator.FailStates; the gap is 0 for every unit, so the rank orders
// alone). ok is false for the indicators whose distance needs the figures
// (propaganda, models). TestFailingListsEqualRecomputed holds it to
// Classify.
func failRankSQL(id rules.Indicator, state, grade string) (expr string, ok bool) {
	r := func(s indicator.FailState) string { return fmt.Sprint(indicator.Shortfall{State: s}.Rank()) }
	switch id {
	case rules.IndicatorRegistration:
		return r(indicator.FailNoData), true
	case rules.IndicatorRecognition:
		return "(CASE " + state + " WHEN 'submitted' THEN " + r(indicator.FailWaiting) + " WHEN 'reviewed' THEN " + r(indicator.FailWaiting) +
			" WHEN 'decided' THEN " + r(indicator.FailDecidedNotMet) + " ELSE " + r(indicator.FailNotSubmitted) + " END)", true
	case rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
		return "(CASE WHEN " + state + " IN ('submitted', 'reviewed') THEN " + r(indicator.FailWaiting) +
			" WHEN " + state + " = 'decided' OR " + grade + " <> '' THEN " + r(indicator.FailDecidedNotMet) + " ELSE " + r(indicator.FailNotSubmitted) + " END)", true
	}
	return "", false
}

// propagandaTotalNote says, in Vietnamese, that the unit's propaganda total
// is not its registered size, and why; "" when it is (or none is known).
func (db *DB) propagandaTotalNote(ctx context.Context, plan *rules.Plan, unitID int64) (string, error) {
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return "", err
	}
	var total int64
	var registered sql.NullInt64
	var reason sql.NullString
	err = db.read.QueryRowContext(ctx, `SELECT total, registered_total, total_reason FROM propaganda WHERE plan_id = $1 AND unit_id = $2`,
		factsID, unitID).Scan(&total, &registered, &reason)
	if errNoRows(err) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("propaganda total: %w", err)
	}
	p := antq.Propaganda{Total: total, RegisteredTotal: nullInt(registered), TotalReason: reason.String}
	if !p.TotalDiffers() {
		return "", nil
	}
	return fmt.Sprintf("Tổng số %d khác quy mô đăng ký %d: %s", total, registered.Int64, reason.String), nil
}

// failReason says, in Vietnamese, why a unit misses the target.
func failReason(t *rules.Target, kind antq.UnitKind, f indicator.Facts, sf indicator.Shortfall) string {
	threshold := ""
	if t.UnitThreshold != nil {
		threshold = t.UnitThreshold.Percent(0)
	}
	coverage := func(c indicator.Coverage, what, unit string) string {
		if c.Total <= 0 {
			return "Chưa có số " + unit + " để tính tỷ lệ"
		}
		r := rules.Ratio{Num: c.Reached, Den: c.Total}
		out := fmt.Sprintf("%s %s %s (%s), dưới %s", what, antq.FormatFraction(c.Reached, c.Total), unit, r.Percent(1), threshold)
		if sf.Missing > 0 {
			out += fmt.Sprintf(": còn thiếu %s %s", antq.FormatNumber(sf.Missing), unit)
		}
		return out
	}
	switch t.Indicator {
	case rules.IndicatorRegistration:
		return "Chưa đăng ký phấn đấu"
	case rules.IndicatorRecognition:
		switch sf.State {
		case indicator.FailWaiting:
			return "Hồ sơ công nhận đã gửi, chờ quyết định"
		case indicator.FailDecidedNotMet:
			return "Đã quyết định: Chưa đạt chuẩn “An toàn về an ninh, trật tự”"
		}
		return "Chưa gửi hồ sơ công nhận đạt chuẩn “An toàn về an ninh, trật tự”"
	case rules.IndicatorPropagandaHouseholds:
		if f.Propaganda != nil {
			own := coverage(*f.Propaganda, "Tuyên truyền", "hộ")
			if indicator.Disagree(f) {
				own += fmt.Sprintf("; số liệu của xã khác tổng các khu dân cư (%s hộ, %d khu báo cáo)", antq.FormatFraction(f.AreaCoverage.Reached, f.AreaCoverage.Total), f.AreasReporting)
			}
			return own
		}
		if f.AreaCoverage.Reached == 0 {
			return "Chưa có số liệu tuyên truyền của xã và các khu dân cư"
		}
		return coverage(f.AreaCoverage, "Cộng các khu dân cư: tuyên truyền", "hộ")
	case rules.IndicatorPropagandaStaff:
		if f.Propaganda == nil {
			return "Chưa có số liệu tuyên truyền"
		}
		return coverage(*f.Propaganda, "Tuyên truyền", "người")
	case rules.IndicatorModels:
		if req, ok := t.ModelRequirement(kind); ok {
			var names []string
			for _, s := range req.Statuses {
				names = append(names, s.Label())
			}
			return fmt.Sprintf("Chưa có mô hình (%s) hoạt động hiệu quả", joinVI(names))
		}
		return "Chưa có mô hình hoạt động hiệu quả"
	default:
		if f.Grade != "" {
			return "Đã xếp loại " + f.Grade.Label() + ", dưới mức chỉ tiêu"
		}
		if sf.State == indicator.FailWaiting {
			return "Hồ sơ xếp loại đã gửi, chờ quyết định"
		}
		return "Chưa xếp loại: chưa gửi hồ sơ xếp loại"
	}
}

func joinVI(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " hoặc " + parts[len(parts)-1]
}

// failingDensity: a list read in Vietnamese order (units_sort) instead of
// scanned and sorted where at least one unit in failingDensity fails.
const failingDensity = 64

// failingCount is how many units of unit's subtree (itself included) are
// in indicator id's denominator but not its numerator, from the unit's
// maintained counts, and how many units the plan's tree holds; ok is false
// for a unit without children, which has no counts (the caller counts the
// rows).
func (db *DB) failingCount(ctx context.Context, planID string, id rules.Indicator, unitID int64) (n int, units int64, ok bool, err error) {
	var children int
	err = db.read.QueryRowContext(ctx, `SELECT us.children, COALESCE((SELECT SUM(c.den - c.num) FROM indicator_counts c
  WHERE c.plan_id = us.plan_id AND c.unit_id = us.unit_id AND c.indicator = $3), 0),
  COALESCE((SELECT b.units FROM plan_builds b WHERE b.plan_id = us.plan_id), 0)
FROM unit_status us WHERE us.plan_id = $1 AND us.unit_id = $2`, planID, unitID, string(id)).Scan(&children, &n, &units)
	if errNoRows(err) {
		return 0, 0, false, nil
	} else if err != nil {
		return 0, 0, false, fmt.Errorf("failing count: %w", err)
	}
	return n, units, children > 0, nil
}
