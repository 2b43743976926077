package store

import (
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/yearend"
)

// Inbox lists the dossiers in the caller's scope that wait for action, with
// deadline status, late ones first.
func (db *DB) Inbox(ctx context.Context, planID string, f yearend.InboxFilter) ([]yearend.InboxItem, int, error) {
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, 0, err
	}
	factsID := factsPlanID(c, plan)
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		return nil, 0, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var ph []string
	for _, s := range f.Wanted() {
		ph = append(ph, arg(string(s)))
	}
	where := []string{"d.plan_id = " + arg(factsID), "d.state IN (" + strings.Join(ph, ", ") + ")"}
	if f.Kind != "" {
		where = append(where, "d.kind = "+arg(string(f.Kind)))
	}
	today := antq.DateOf(db.Now())
	if f.Under != "" {
		// The unit itself, or a unit linked to it on the plan's last day.
		c := arg(f.Under)
		where = append(where, "(u.code = "+c+" OR d.unit_id IN (SELECT l.unit_id FROM unit_links l JOIN units p ON p.id = l.parent_id WHERE p.code = "+c+
			" AND l.valid_from <= "+arg(plan.Window.To)+" AND (l.valid_to IS NULL OR l.valid_to >= "+arg(plan.Window.To)+")))")
	}
	cond, err := db.scopeCondition(ctx, db.read, "d.unit_id", refDate(today.String()), arg)
	if err != nil {
		return nil, 0, err
	}
	if cond != "" {
		where = append(where, cond)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT d.unit_id, u.code, u.name, u.kind, d.kind, d.state, COALESCE(d.result, ''), d.updated_at, d.updated_by
FROM dossiers d JOIN units u ON u.id = d.unit_id WHERE `+strings.Join(where, " AND ")+` ORDER BY d.updated_at`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var all []yearend.InboxItem
	for rows.Next() {
		var it yearend.InboxItem
		u := &antq.Unit{}
		var ukind, dkind, state string
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &ukind, &dkind, &state, &it.Result, &it.Updated, &it.By); err != nil {
			return nil, 0, fmt.Errorf("inbox: %w", err)
		}
		u.Kind = antq.UnitKind(ukind)
		it.Unit, it.Kind, it.State = u, yearend.DossierKind(dkind), yearend.State(state)
		it.Deadline = yearend.Deadline(sets, it.Kind, u.Kind, plan.Year, today, false)
		if f.Late && !it.Late() {
			continue
		}
		all = append(all, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	yearend.SortLateFirst(all)
	total := len(all)
	offset := min(f.Offset, len(all))
	all = all[offset:]
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	return all, total, nil
}
