package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// RestatedPart is a unit of the plan's tree, as recorded, that today's
// unit descends from, with the part of it attributed.
type RestatedPart struct {
	Unit *antq.Unit `json:"unit"`
	// Share is the part attributed, in millionths (ShareWhole: the whole
	// unit); Comparable false when the reorganisation gave no share.
	Share      int64 `json:"share_ppm"`
	Comparable bool  `json:"comparable"`
	// Via is the last event on the way to today's unit.
	Via         antq.LineageKind `json:"event"`
	EffectiveOn antq.Date        `json:"effective_on"`
	// Figures are the part's figures as recorded in the plan (whole).
	Figures []indicator.Figure `json:"figures"`
	// InScope: the caller may open the part's own pages. A part outside
	// the caller's scope (an account of today's commune, the 2023 communes
	// it was made of) still gives its figures to the restatement.
	InScope bool `json:"-"`
}

// ShareLabel says on screen how much of the recorded unit is attributed.
func (p RestatedPart) ShareLabel() string {
	switch {
	case !p.Comparable:
		return "một phần, không so sánh được"
	case p.Share == antq.ShareWhole:
		return "toàn bộ"
	}
	return antq.ShareText(p.Share)
}

// Restatement is a plan's figures restated on a unit in force today, beside
// the figures of the units it descends from as they were recorded.
type Restatement struct {
	Plan *rules.Plan `json:"-"`
	Unit *antq.Unit  `json:"unit"`
	// Recorded is true when the unit is itself in the plan's tree: nothing
	// to restate, the figures are as recorded.
	Recorded bool                 `json:"recorded"`
	Figures  []indicator.Restated `json:"figures"`
	Parts    []RestatedPart       `json:"parts"`
}

// Restate restates the plan's figures on the unit with code as it is today
// (or as it last was): the plan's units it descends from through merges,
// splits, renames and re-types (a move keeps the unit, an abolition passes
// no territory), their recorded figures attributed whole or by the share of
// each split on the way; a part given without a share makes the figures it
// counts in not comparable. A part under another part is counted once, in
// the larger one.
//
// Only today's unit must be in the caller's scope. Its parts are reached
// through its own lineage — the territory it is made of — so their recorded
// figures are read even where the caller's scope does not reach them (an
// account of a commune formed in 2025 sees what its predecessors recorded
// in 2023): the unit's own figures and name, never the units under it.
func (db *DB) Restate(ctx context.Context, planID, code string) (*Restatement, error) {
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	today, err := db.FindUnitByCode(ctx, code, antq.Date{})
	if err != nil {
		return nil, err
	}
	if err := db.ensureBuilt(ctx, plan); err != nil {
		return nil, err
	}
	res := &Restatement{Plan: plan, Unit: today}
	type step struct {
		id         int64
		share      int64
		comparable bool
		via        antq.LineageKind
		on         antq.Date
	}
	inTree := func(id int64) (int64, bool, error) {
		var parent sql.NullInt64
		err := db.read.QueryRowContext(ctx, `SELECT parent_id FROM unit_status WHERE plan_id = $1 AND unit_id = $2`, plan.ID, id).Scan(&parent)
		if errNoRows(err) {
			return 0, false, nil
		} else if err != nil {
			return 0, false, fmt.Errorf("restate: %w", err)
		}
		return parent.Int64, true, nil
	}
	found := map[int64]step{}
	var order []int64
	queue := []step{{id: today.ID, share: antq.ShareWhole, comparable: true}}
	seen := map[int64]bool{}
	for len(queue) > 0 && len(seen) < 10000 {
		s := queue[0]
		queue = queue[1:]
		if _, ok, err := inTree(s.id); err != nil {
			return nil, err
		} else if ok {
			if prev, dup := found[s.id]; dup {
				// Reached twice (split, then merged again): the parts add.
				prev.share += s.share
				prev.comparable = prev.comparable && s.comparable
				found[s.id] = prev
			} else {
				found[s.id] = s
				order = append(order, s.id)
			}
			continue
		}
		if seen[s.id] {
			continue
		}
		seen[s.id] = true
		rows, err := db.read.QueryContext(ctx, `SELECT o.unit_id, e.kind, e.effective_on,
       CASE WHEN e.kind = 'split' THEN me.share_ppm ELSE o.share_ppm END,
       CASE WHEN e.kind = 'split' THEN me.comparable ELSE o.comparable END
FROM lineage_units me
JOIN lineage_events e ON e.id = me.event_id
JOIN lineage_units o ON o.event_id = me.event_id AND o.role = 'from'
WHERE me.unit_id = $1 AND me.role = 'to' AND o.unit_id <> me.unit_id AND e.kind IN ('merge', 'split', 'rename', 'retype')
ORDER BY e.effective_on, o.unit_id`, s.id)
		if err != nil {
			return nil, fmt.Errorf("restate: %w", err)
		}
		for rows.Next() {
			var n step
			var kind string
			var share sql.NullInt64
			if err := rows.Scan(&n.id, &kind, &n.on, &share, &n.comparable); err != nil {
				rows.Close()
				return nil, fmt.Errorf("restate: %w", err)
			}
			n.via = antq.LineageKind(kind)
			part := int64(antq.ShareWhole)
			if share.Valid {
				part = share.Int64
			}
			n.share = s.share * part / antq.ShareWhole
			n.comparable = n.comparable && s.comparable
			if s.id != today.ID {
				n.via, n.on = s.via, s.on // the event nearest today names the way
			}
			queue = append(queue, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("restate: %w", err)
		}
	}
	// A part under another part is in that one's counts already.
	for _, id := range order {
		for p, i := id, 0; i < maxTreeDepth; i++ {
			parent, ok, err := inTree(p)
			if err != nil {
				return nil, err
			}
			if !ok || parent == 0 {
				break
			}
			if _, dup := found[parent]; dup {
				delete(found, id)
				break
			}
			p = parent
		}
	}
	var attributed []indicator.Attributed
	for _, id := range order {
		s, ok := found[id]
		if !ok {
			continue
		}
		if id == today.ID {
			res.Recorded = true
		}
		var code string
		if err := db.read.QueryRowContext(ctx, `SELECT code FROM units WHERE id = $1`, id).Scan(&code); err != nil {
			return nil, fmt.Errorf("restate: %w", err)
		}
		inScope := true
		rep, err := db.Indicators(ctx, plan.ID, code)
		if antq.ErrorCode(err) == antq.ENOTFOUND && id != today.ID {
			inScope = false
			rep, err = db.Indicators(antq.SystemContext(ctx), plan.ID, code)
		}
		if err != nil {
			return nil, err
		}
		res.Parts = append(res.Parts, RestatedPart{Unit: rep.Unit.Unit, Share: s.share, Comparable: s.comparable, Via: s.via, EffectiveOn: s.on,
			Figures: rep.Unit.Figures, InScope: inScope})
		attributed = append(attributed, indicator.Attributed{Share: s.share, Comparable: s.comparable, Figures: rep.Unit.Figures})
	}
	res.Figures = indicator.Restate(plan, attributed)
	return res, nil
}
