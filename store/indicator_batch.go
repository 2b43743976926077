package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// indicatorFactsOf is indicatorFacts (official states) for many units at
// once: six reads per 500 units instead of three per unit, so a failing
// list of a province (thousands of units) costs a few round trips. Each
// unit's facts are exactly what indicatorFacts reads for it (the test
// compares both on every unit of a fixture).
func (db *DB) indicatorFactsOf(ctx context.Context, q querier, plan *rules.Plan, units []*statusRow) (map[int64]indicator.Facts, error) {
	return db.indicatorFactsNeeded(ctx, q, plan, units, factsAll)
}

// factNeed says which of the facts indicatorFactsNeeded reads.
type factNeed uint8

const (
	factRegistration factNeed = 1 << iota
	factRecognition
	factGrade
	factPropaganda
	factModels
	factAreas // the residential areas' propaganda, summed for their commune
	factsAll  = factRegistration | factRecognition | factGrade | factPropaganda | factModels | factAreas
)

// factsFor is what indicator.Classify and failReason read of a unit's
// facts for indicator id (a recognition or registration reads none).
func factsFor(id rules.Indicator) factNeed {
	switch id {
	case rules.IndicatorRegistration, rules.IndicatorRecognition:
		return 0
	case rules.IndicatorGradeAverageOrBetter, rules.IndicatorGradeGoodOrBetter, rules.IndicatorGradeExcellent:
		return factGrade
	case rules.IndicatorPropagandaHouseholds:
		return factPropaganda | factAreas
	case rules.IndicatorPropagandaStaff:
		return factPropaganda
	case rules.IndicatorModels:
		return factModels
	}
	return factsAll
}

// indicatorFactsNeeded is indicatorFactsOf reading only the facts in need
// (the others stay zero).
func (db *DB) indicatorFactsNeeded(ctx context.Context, q querier, plan *rules.Plan, units []*statusRow, need factNeed) (map[int64]indicator.Facts, error) {
	out := make(map[int64]indicator.Facts, len(units))
	if need == 0 {
		return out, nil
	}
	factsID, err := db.factsPlanOf(ctx, plan)
	if err != nil {
		return nil, err
	}
	// officialStates, written so that no index on state serves it: with
	// hundreds of ids in the IN list and no statistics, SQLite chose the
	// (plan_id, state) index — every approved row of the plan, 597,278 at
	// nation scale — over the primary key: 70 ms a read instead of 3 ms
	// (docs/BENCHMARKS.md). The meaning is the same.
	states := `(state || '') = 'approved'`
	for chunk := range slices.Chunk(units, 500) {
		args := []any{factsID}
		var marks, communeMarks []string
		communeArgs := []any{plan.ID, factsID, plan.KindDate(antq.KindResidentialArea)}
		for _, r := range chunk {
			args = append(args, r.unitID)
			marks = append(marks, fmt.Sprintf("$%d", len(args)))
			if r.kind == antq.KindCommune {
				communeArgs = append(communeArgs, r.unitID)
				communeMarks = append(communeMarks, fmt.Sprintf("$%d", len(communeArgs)))
			}
		}
		in := "unit_id IN (" + strings.Join(marks, ", ") + ")"
		each := func(query string, a []any, scan func(*sql.Rows) error) error {
			return queryEach(ctx, q, "indicator facts", scan, query, a...)
		}
		update := func(id int64, fn func(f *indicator.Facts)) {
			f := out[id]
			fn(&f)
			out[id] = f
		}
		// text scans (unit id, nullable text) rows: set puts the text on
		// the unit's facts.
		text := func(set func(f *indicator.Facts, s string)) func(*sql.Rows) error {
			return func(rows *sql.Rows) error {
				var id int64
				var s sql.NullString
				if err := rows.Scan(&id, &s); err != nil {
					return err
				}
				update(id, func(f *indicator.Facts) { set(f, s.String) })
				return nil
			}
		}
		var err error
		if need&factRegistration != 0 {
			err = each(`SELECT unit_id, registered_on FROM registrations WHERE plan_id = $1 AND `+in+` AND `+states, args, func(rows *sql.Rows) error {
				var id int64
				var on antq.Date
				if err := rows.Scan(&id, &on); err != nil {
					return err
				}
				update(id, func(f *indicator.Facts) { f.Registered, f.RegisteredOn = true, on })
				return nil
			})
		}
		if err == nil && need&factRecognition != 0 {
			err = each(`SELECT unit_id, result FROM recognitions WHERE plan_id = $1 AND `+in, args, text(func(f *indicator.Facts, result string) {
				f.Recognised = result == string(antq.RecognitionMet)
			}))
		}
		if err == nil && need&factGrade != 0 {
			err = each(`SELECT unit_id, grade FROM grades WHERE plan_id = $1 AND `+in, args, text(func(f *indicator.Facts, grade string) {
				f.Grade = antq.Grade(grade)
			}))
		}
		if err == nil && need&factPropaganda != 0 {
			err = each(`SELECT unit_id, reached, total FROM propaganda WHERE plan_id = $1 AND `+in+` AND `+states, args, func(rows *sql.Rows) error {
				var id int64
				var reached, total sql.NullInt64
				if err := rows.Scan(&id, &reached, &total); err != nil {
					return err
				}
				if reached.Valid {
					update(id, func(f *indicator.Facts) {
						f.Propaganda = &indicator.Coverage{Reached: reached.Int64, Total: total.Int64}
					})
				}
				return nil
			})
		}
		if err == nil && need&factModels != 0 {
			err = each(`SELECT unit_id, status, `+modelCountsEffective+` FROM models WHERE plan_id = $1 AND `+in+` AND `+states+` ORDER BY unit_id, id`, args, func(rows *sql.Rows) error {
				var id int64
				var m indicator.ModelFact
				var status string
				if err := rows.Scan(&id, &status, &m.Effective); err != nil {
					return err
				}
				m.Status = antq.ModelStatus(status)
				update(id, func(f *indicator.Facts) { f.Models = append(f.Models, m) })
				return nil
			})
		}
		if err == nil && need&factAreas != 0 && len(communeMarks) > 0 {
			// As indicatorFactsIn: residential areas that report count their
			// figure; the others count 0 reached of their households.
			err = each(`SELECT us.parent_id, COUNT(p.unit_id), COALESCE(SUM(COALESCE(p.reached, 0)), 0),
  COALESCE(SUM(COALESCE(p.total, (SELECT s.households FROM unit_sizes s WHERE s.unit_id = us.unit_id AND s.as_of <= $3 ORDER BY s.as_of DESC LIMIT 1), 0)), 0)
FROM unit_status us LEFT JOIN propaganda p ON p.plan_id = $2 AND p.unit_id = us.unit_id AND p.`+officialStates+`
WHERE us.plan_id = $1 AND us.parent_id IN (`+strings.Join(communeMarks, ", ")+`) AND us.kind = 'residential_area'
GROUP BY us.parent_id`, communeArgs, func(rows *sql.Rows) error {
				var id int64
				var n int
				var c indicator.Coverage
				if err := rows.Scan(&id, &n, &c.Reached, &c.Total); err != nil {
					return err
				}
				update(id, func(f *indicator.Facts) { f.AreasReporting, f.AreaCoverage = n, c })
				return nil
			})
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
