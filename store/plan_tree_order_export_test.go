package store

import (
	"context"
	"fmt"
	"slices"
)

// TreeOrderCheckForTest holds the plan's pre-order numbering to the walk
// of its built tree: every unit of unit_status numbered once, the numbers
// 0 .. n-1, and for every unit the range pre .. pre_end exactly the units
// withPlanSubtree reaches from it. numbered is false when the plan has no
// valid numbering (the reads walk); then nothing is checked.
func (db *DB) TreeOrderCheckForTest(ctx context.Context, planID string) (numbered bool, err error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_tree_numbered WHERE plan_id = $1`, planID).Scan(&n); err != nil || n == 0 {
		return false, err
	}
	type span struct{ unit, pre, end int64 }
	var spans []span
	rows, err := db.read.QueryContext(ctx, `SELECT o.unit_id, o.pre, o.pre_end FROM unit_status s LEFT JOIN plan_tree_order o ON o.plan_id = s.plan_id AND o.unit_id = s.unit_id
WHERE s.plan_id = $1 ORDER BY o.pre`, planID)
	if err != nil {
		return true, err
	}
	for rows.Next() {
		var s span
		var unit, pre, end *int64
		if err := rows.Scan(&unit, &pre, &end); err != nil {
			rows.Close()
			return true, err
		}
		if unit == nil {
			rows.Close()
			return true, fmt.Errorf("a unit of the tree has no number")
		}
		s.unit, s.pre, s.end = *unit, *pre, *end
		spans = append(spans, s)
	}
	rows.Close()
	var orders int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM plan_tree_order WHERE plan_id = $1`, planID).Scan(&orders); err != nil {
		return true, err
	}
	if orders != len(spans) {
		return true, fmt.Errorf("%d numbered units, %d in the tree", orders, len(spans))
	}
	for i, s := range spans {
		if s.pre != int64(i) {
			return true, fmt.Errorf("unit %d numbered %d at position %d", s.unit, s.pre, i)
		}
		var walked []int64
		wrows, err := db.read.QueryContext(ctx, withPlanSubtree("$1", "$2")+`SELECT id FROM sub`, s.unit, planID)
		if err != nil {
			return true, err
		}
		for wrows.Next() {
			var id int64
			if err := wrows.Scan(&id); err != nil {
				wrows.Close()
				return true, err
			}
			walked = append(walked, id)
		}
		wrows.Close()
		var ranged []int64
		for _, o := range spans[s.pre : s.end+1] {
			ranged = append(ranged, o.unit)
		}
		slices.Sort(walked)
		slices.Sort(ranged)
		if !slices.Equal(walked, ranged) {
			return true, fmt.Errorf("unit %d: the range %d..%d holds %d units, the walk %d", s.unit, s.pre, s.end, len(ranged), len(walked))
		}
	}
	return true, nil
}
