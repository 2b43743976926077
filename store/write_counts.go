package store

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// The count changes of a group's writes (write_group.go) are carried up the
// tree once for the group, just before its commit: a write that changes a
// unit's status updates the status at once (later writes of the group read
// it) and notes the difference of its counts; the leader then reads the
// ancestors of every changed unit in one query, adds the differences up per
// counter and writes them in one multi-row upsert. Nothing a fact write
// reads depends on the stored counts, and sums commute, so the counts the
// group leaves are those its writes would have left one by one. A write
// rolled back to its savepoint takes its notes with it (txState).

// countChange is one unit's status change whose count difference is still
// to be added to its ancestors' counts (and its own, when it has children).
type countChange struct {
	planID   string
	self     int64 // the unit, when its counts are stored (it has children); else 0
	parentID int64
	delta    indicator.Counts
}

// groupCount names one stored counter of a plan.
type groupCount struct {
	unit int64
	ind  rules.Indicator
	kind antq.UnitKind
}

// countFlushRows bounds the rows of one upsert (6 parameters a row).
const countFlushRows = 1000

// flushCounts writes the count changes noted in tx (deferCounts) and
// forgets them.
func (db *DB) flushCounts(ctx context.Context, tx *Tx) error {
	changes := tx.counts
	tx.counts = nil
	byPlan := map[string][]countChange{}
	for _, c := range changes {
		byPlan[c.planID] = append(byPlan[c.planID], c)
	}
	for _, planID := range slices.Sorted(maps.Keys(byPlan)) {
		if err := db.flushPlanCounts(ctx, tx, planID, byPlan[planID]); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) flushPlanCounts(ctx context.Context, tx *Tx, planID string, changes []countChange) error {
	var starts []int64
	for _, c := range changes {
		if c.parentID != 0 && !slices.Contains(starts, c.parentID) {
			starts = append(starts, c.parentID)
		}
	}
	above, err := db.ancestorsOf(ctx, tx, planID, starts)
	if err != nil {
		return err
	}
	sums := map[groupCount]*indicator.Fraction{}
	for _, c := range changes {
		var targets []int64
		if c.self != 0 {
			targets = append(targets, c.self)
		}
		if c.parentID != 0 {
			targets = append(append(targets, c.parentID), above[c.parentID]...)
		}
		for ind, byKind := range c.delta {
			for kind, f := range byKind {
				if f.Num == 0 && f.Den == 0 {
					continue
				}
				for _, u := range targets {
					k := groupCount{u, ind, kind}
					s := sums[k]
					if s == nil {
						s = &indicator.Fraction{}
						sums[k] = s
					}
					s.Num += f.Num
					s.Den += f.Den
				}
			}
		}
	}
	keys := make([]groupCount, 0, len(sums))
	for k, s := range sums {
		if s.Num != 0 || s.Den != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b groupCount) int {
		return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.ind, b.ind), cmp.Compare(a.kind, b.kind))
	})
	for len(keys) > 0 {
		n := min(len(keys), countFlushRows)
		var b strings.Builder
		args := make([]any, 0, 6*n)
		b.WriteString(`INSERT INTO indicator_counts (plan_id, unit_id, indicator, kind, num, den) VALUES `)
		db.dialect.writeValues(&b, n, 6)
		for _, k := range keys[:n] {
			s := sums[k]
			args = append(args, planID, k.unit, string(k.ind), string(k.kind), s.Num, s.Den)
		}
		b.WriteString(`
ON CONFLICT (plan_id, unit_id, indicator, kind) DO UPDATE SET num = indicator_counts.num + excluded.num, den = indicator_counts.den + excluded.den`)
		// Not through the statement cache: its shape changes with every group.
		if _, err := tx.Tx.ExecContext(tx.stmtCtx(ctx), b.String(), args...); err != nil {
			return fmt.Errorf("indicator counts: %w", err)
		}
		keys = keys[n:]
	}
	return nil
}

// ancestorsOf returns the ancestors of each unit of starts in the plan's
// tree (not the unit itself), nearest first, in one query: what
// statusAncestors returns for each, but for its first element.
func (db *DB) ancestorsOf(ctx context.Context, tx *Tx, planID string, starts []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(starts) == 0 {
		return out, nil
	}
	var b strings.Builder
	var args []any
	param := func(v any) {
		args = append(args, v)
		db.dialect.writeParam(&b, len(args))
	}
	b.WriteString(`WITH RECURSIVE up(start, id, depth) AS (
  SELECT unit_id, parent_id, 1 FROM unit_status WHERE plan_id = `)
	param(planID)
	b.WriteString(` AND parent_id <> 0 AND unit_id IN (`)
	for i, s := range starts {
		if i > 0 {
			b.WriteString(", ")
		}
		param(s)
	}
	b.WriteString(`)
  UNION ALL
  SELECT up.start, s.parent_id, up.depth + 1 FROM up JOIN unit_status s ON s.plan_id = `)
	param(planID)
	b.WriteString(` AND s.unit_id = up.id
  WHERE s.parent_id <> 0 AND up.depth < `)
	param(maxTreeDepth - 1)
	b.WriteString(`)
SELECT start, id FROM up ORDER BY start, depth`)
	rows, err := tx.Tx.QueryContext(tx.stmtCtx(ctx), b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("ancestors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var start, id int64
		if err := rows.Scan(&start, &id); err != nil {
			return nil, fmt.Errorf("ancestors: %w", err)
		}
		out[start] = append(out[start], id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ancestors: %w", err)
	}
	return out, nil
}
