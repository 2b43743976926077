package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// MoveUnit hangs the unit with code under a new parent from the date on:
// the current parent link ends the day before and a new one starts, so the
// past keeps its old parent. Built plans whose tree date falls on or after
// the move are adjusted in the same transaction: the unit's whole subtree
// leaves the old ancestors' counts and joins the new ones'.
func (db *DB) MoveUnit(ctx context.Context, code, newParentCode string, on antq.Date, reason string) error {
	if on.IsZero() {
		return antq.Invalid("Thiếu ngày hiệu lực", map[string]string{"on": "cần ngày chuyển"})
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := db.moveUnitTx(ctx, tx, code, newParentCode, on, reason)
		return err
	})
}

// moveUnitTx is MoveUnit inside an open transaction; it returns the id of
// the lineage event it recorded.
func (db *DB) moveUnitTx(ctx context.Context, tx *Tx, code, newParentCode string, on antq.Date, reason string) (int64, error) {
	var eventID int64
	err := func() error {
		u, err := db.findUnitByCode(ctx, tx, code, on)
		if err != nil {
			return err
		}
		p, err := db.findUnitByCode(ctx, tx, newParentCode, on)
		if err != nil {
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return antq.Invalid("Đơn vị cấp trên không hợp lệ", map[string]string{"parent": "không có đơn vị mã " + newParentCode + " vào ngày " + on.VN()})
			}
			return err
		}
		f := antq.FieldErrors{}
		if !antq.AllowedParent(u.Kind, p.Kind) {
			f.Add("parent", fmt.Sprintf("%s không thể trực thuộc %s", u.Kind.Label(), p.Kind.Label()))
		}
		if p.ID == u.ParentID {
			f.Add("parent", "đơn vị đã trực thuộc "+p.Name)
		}
		if p.ID == u.ID {
			f.Add("parent", "một đơn vị không thể trực thuộc chính nó")
		}
		// No cycles: the new parent must not lie under the unit.
		// Walked in the transaction: the parent may be new in it.
		for id, depth := p.ParentID, 0; id != 0 && depth < maxTreeDepth; depth++ {
			if id == u.ID {
				f.Add("parent", p.Name+" thuộc đơn vị đang chuyển (tạo vòng)")
				break
			}
			a, _, err := db.findUnits(ctx, tx, antq.UnitFilter{ID: &id, AsOf: on, Limit: 1})
			if err != nil {
				return err
			} else if len(a) == 0 {
				break
			}
			id = a[0].ParentID
		}
		if err := f.Err("Không thể chuyển đơn vị"); err != nil {
			return err
		}
		oldParent := u.ParentID
		if oldParent != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE unit_links SET valid_to = $1 WHERE unit_id = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3)`,
				on.AddDays(-1), u.ID, on); err != nil {
				return fmt.Errorf("move unit: %w", err)
			}
			// A link that started on the move day itself would now end
			// before it starts: drop it instead.
			if _, err := tx.ExecContext(ctx, `DELETE FROM unit_links WHERE unit_id = $1 AND valid_from = $2`, u.ID, on); err != nil {
				return fmt.Errorf("move unit: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO unit_links (unit_id, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)`,
			u.ID, p.ID, on, u.ValidTo); err != nil {
			return fmt.Errorf("move unit: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO lineage_events (kind, effective_on, note) VALUES ($1, $2, $3) RETURNING id`,
			string(antq.LineageMove), on, reason).Scan(&eventID); err != nil {
			return fmt.Errorf("move unit: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO lineage_units (event_id, unit_id, role, partial) VALUES ($1, $2, 'from', FALSE), ($1, $2, 'to', FALSE)`,
			eventID, u.ID); err != nil {
			return fmt.Errorf("move unit: %w", err)
		}
		if err := db.registryChanged(ctx, tx); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, auditEntry{Action: "move", Entity: "unit", Key: u.Code, UnitID: u.ID, Reason: reason,
			Old: map[string]any{"parent": u.ParentCode}, New: map[string]any{"parent": p.Code, "on": on}}); err != nil {
			return err
		}
		return db.moveInPlans(ctx, tx, u, oldParent, p.ID, on)
	}()
	return eventID, err
}

// moveInPlans re-hangs the unit in every built plan whose tree the move
// affects: those that take the unit's kind on the move day or later.
func (db *DB) moveInPlans(ctx context.Context, tx *Tx, u *antq.Unit, oldParent, newParent int64, on antq.Date) error {
	plans, err := queryColumn[string](ctx, tx, `SELECT b.plan_id FROM plan_builds b JOIN unit_status s ON s.plan_id = b.plan_id AND s.unit_id = $1`, u.ID)
	if err != nil {
		return fmt.Errorf("move unit: %w", err)
	}
	c, err := db.Catalog(ctx)
	if err != nil {
		return err
	}
	// The plans in the catalogue's order, the order every write locks them.
	built := map[string]bool{}
	for _, id := range plans {
		built[id] = true
	}
	for _, plan := range c.Plans() {
		if !built[plan.ID] {
			continue
		}
		delete(built, plan.ID)
		if plan.KindDate(u.Kind).Before(on) {
			continue // the plan took the unit before it moved
		}
		if err := db.moveInPlan(ctx, tx, plan.ID, u.ID, newParent); err != nil {
			return err
		}
	}
	if len(built) > 0 {
		return fmt.Errorf("move unit: plans %v are built but not in the catalogue", slices.Sorted(maps.Keys(built)))
	}
	return nil
}

func (db *DB) moveInPlan(ctx context.Context, tx *Tx, planID string, unitID, newParent int64) error {
	if err := db.lockPlan(ctx, tx, planID); err != nil {
		return err
	}
	row, err := db.statusRow(ctx, tx, planID, unitID)
	if err != nil {
		return err
	}
	if np, err := db.statusRow(ctx, tx, planID, newParent); err != nil {
		return err
	} else if np == nil {
		// Moved out of the plan's tree: simplest correct answer is a rebuild.
		return db.rebuildIn(ctx, tx, planID)
	}
	// The subtree's totals: its stored counts, or its own status for a leaf.
	sub := indicator.Counts{}
	if row.children > 0 {
		if sub, err = db.storedCounts(ctx, tx, planID, unitID); err != nil {
			return err
		}
	} else {
		sub.Add(row.kind, row.status, 1)
	}
	neg := indicator.Counts{}
	for id, byKind := range sub {
		for kind, f := range byKind {
			neg.AddFraction(id, kind, indicator.Fraction{Num: -f.Num, Den: -f.Den})
		}
	}
	oldAnc, err := db.statusAncestors(ctx, tx, planID, row.parentID)
	if err != nil {
		return err
	}
	newAnc, err := db.statusAncestors(ctx, tx, planID, newParent)
	if err != nil {
		return err
	}
	if err := db.addCounts(ctx, tx, planID, oldAnc, neg); err != nil {
		return err
	}
	if err := db.addCounts(ctx, tx, planID, newAnc, sub); err != nil {
		return err
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE unit_status SET parent_id = $1 WHERE plan_id = $2 AND unit_id = $3`, []any{newParent, planID, unitID}},
		{`UPDATE unit_status SET children = children - 1 WHERE plan_id = $1 AND unit_id = $2`, []any{planID, row.parentID}},
		{`UPDATE unit_status SET children = children + 1 WHERE plan_id = $1 AND unit_id = $2`, []any{planID, newParent}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("move unit: %w", err)
		}
	}
	if err := db.forgetTreeOrder(ctx, tx, planID); err != nil {
		return err
	}
	if err := db.fixLeafCounts(ctx, tx, planID, newParent); err != nil {
		return err
	}
	if err := db.fixLeafCounts(ctx, tx, planID, row.parentID); err != nil {
		return err
	}
	// A residential area carries households: both communes' coverage moves.
	if row.kind == antq.KindResidentialArea {
		plan, r, err := db.planRules(ctx, planID)
		if err != nil {
			return err
		}
		for _, c := range []int64{row.parentID, newParent} {
			if _, err := db.refreshOne(ctx, tx, r, plan, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// fixLeafCounts keeps the invariant "counts rows exist exactly for units
// with children": a unit that gained its first child gets rows holding its
// own status plus the child's subtree (already added); one that lost its
// last child loses its rows.
func (db *DB) fixLeafCounts(ctx context.Context, tx *Tx, planID string, unitID int64) error {
	row, err := db.statusRow(ctx, tx, planID, unitID)
	if err != nil || row == nil {
		return err
	}
	if row.children == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM indicator_counts WHERE plan_id = $1 AND unit_id = $2`, planID, unitID)
		return err
	}
	// Recompute the unit's rows from its own status and its children's.
	c := indicator.Counts{}
	c.Add(row.kind, row.status, 1)
	internal, err := splitLeaves(ctx, tx, "counts", statusDest, func(_ int64, kind antq.UnitKind, s indicator.Status) { c.Add(kind, s, 1) },
		`SELECT unit_id, kind, children, `+statusCols+` FROM unit_status WHERE plan_id = $1 AND parent_id = $2`, planID, unitID)
	if err != nil {
		return err
	}
	for _, id := range internal {
		sub, err := db.storedCounts(ctx, tx, planID, id)
		if err != nil {
			return err
		}
		c.Merge(sub)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_counts WHERE plan_id = $1 AND unit_id = $2`, planID, unitID); err != nil {
		return fmt.Errorf("counts: %w", err)
	}
	return db.addCounts(ctx, tx, planID, []int64{unitID}, c)
}

// storedCounts reads a unit's stored counts.
func (db *DB) storedCounts(ctx context.Context, q querier, planID string, unitID int64) (indicator.Counts, error) {
	rows, err := q.QueryContext(ctx, `SELECT indicator, kind, num, den FROM indicator_counts WHERE plan_id = $1 AND unit_id = $2`, planID, unitID)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	defer rows.Close()
	c := indicator.Counts{}
	for rows.Next() {
		var ind, kind string
		var f indicator.Fraction
		if err := rows.Scan(&ind, &kind, &f.Num, &f.Den); err != nil {
			return nil, fmt.Errorf("counts: %w", err)
		}
		c.AddFraction(rules.Indicator(ind), antq.UnitKind(kind), f)
	}
	return c, rows.Err()
}

// rebuildIn rebuilds one plan inside an open transaction.
func (db *DB) rebuildIn(ctx context.Context, tx *Tx, planID string) error {
	plan, r, err := db.planRules(ctx, planID)
	if err != nil {
		return err
	}
	tree, err := db.loadPlanTree(ctx, tx, plan)
	if err != nil {
		return err
	}
	if err := db.computeStatuses(ctx, tx, r, plan, tree); err != nil {
		return err
	}
	return db.writeBuild(ctx, tx, plan, tree)
}
