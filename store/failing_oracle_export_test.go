package store

import (
	"context"
	"fmt"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// FailingUnitsRecomputedForTest is the failing list computed the plain way,
// as FailingUnitsFiltered did before it read only what each indicator needs:
// every unit below code walked (never the root's whole-plan read), every
// fact of each failing unit read (indicatorFactsOf, itself held to the
// one-unit read by TestIncrementalEqualsRebuilt), every
// dossier of the plan's kind read, each unit classified and explained,
// sorted by distance (then Vietnamese order), filtered and paged.
func (db *DB) FailingUnitsRecomputedForTest(ctx context.Context, planID string, id rules.Indicator, code string, ff FailingFilter) ([]FailingUnit, int, error) {
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, 0, err
	}
	target, ok := plan.Target(id)
	if !ok {
		return nil, 0, fmt.Errorf("no target %s", id)
	}
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, 0, err
	}
	bit := int64(1) << indicator.Index(id)
	rows, err := db.read.QueryContext(ctx, withPlanSubtree("$1", "$2")+`
SELECT us.unit_id, u.code, u.name, u.kind, u.type_label, us.parent_id, COALESCE(p.name, ''), COALESCE(p.code, '')
FROM sub JOIN unit_status us ON us.plan_id = $2 AND us.unit_id = sub.id
JOIN units u ON u.id = us.unit_id LEFT JOIN units p ON p.id = us.parent_id
WHERE (us.den_mask & $3) <> 0 AND (us.num_mask & $3) = 0
ORDER BY u.sort_key, u.code`, t.unit.ID, plan.ID, bit)
	if err != nil {
		return nil, 0, err
	}
	var all []FailingUnit
	var kinds []antq.UnitKind
	for rows.Next() {
		u := &antq.Unit{}
		var kind string
		var parent int64
		var fu FailingUnit
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &kind, &u.Type, &parent, &fu.Parent, &fu.ParentCode); err != nil {
			rows.Close()
			return nil, 0, err
		}
		u.Kind = antq.UnitKind(kind)
		fu.Unit = u
		if ff.Commune != "" && u.Code != ff.Commune && fu.ParentCode != ff.Commune {
			continue
		}
		all = append(all, fu)
		kinds = append(kinds, u.Kind)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	states := map[int64]string{}
	kind := ""
	switch id {
	case rules.IndicatorRecognition:
		kind = "recognition"
	case rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
		kind = "grading"
	}
	if kind != "" {
		drows, err := db.read.QueryContext(ctx, `SELECT unit_id, state FROM dossiers WHERE plan_id = $1 AND kind = $2`, factsPlanID(c, plan), kind)
		if err != nil {
			return nil, 0, err
		}
		for drows.Next() {
			var uid int64
			var st string
			if err := drows.Scan(&uid, &st); err != nil {
				drows.Close()
				return nil, 0, err
			}
			states[uid] = st
		}
		drows.Close()
	}
	var units []*statusRow
	for i := range all {
		units = append(units, &statusRow{unitID: all[i].Unit.ID, kind: kinds[i]})
	}
	facts, err := db.indicatorFactsOf(ctx, db.read, plan, units)
	if err != nil {
		return nil, 0, err
	}
	var out []FailingUnit
	for i := range all {
		f := facts[all[i].Unit.ID]
		all[i].Shortfall = indicator.Classify(target, f, states[all[i].Unit.ID])
		if ff.State != "" && all[i].Shortfall.State != ff.State {
			continue
		}
		all[i].Reason = failReason(target, kinds[i], f, all[i].Shortfall)
		out = append(out, all[i])
	}
	out, total := sortAndPageFailing(out, ff) // the order and paging of before, shared
	if err := db.addTotalNotes(ctx, plan, id, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
