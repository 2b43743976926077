package store

import (
	"context"
	"fmt"

	"antq"
	"antq/yearend"
)

// Notices returns what the caller has to act on in the plan (issue 16 item
// 15): the year-end dossiers in its scope that are late or due within
// yearend.WarnDays, and the dossiers and facts returned to the caller (it
// submitted them) with the reason; at most limit items, every one counted.
func (db *DB) Notices(ctx context.Context, planID string, limit int) (*yearend.Notices, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	factsID := factsPlanID(c, plan)
	open, _, err := db.Inbox(ctx, planID, yearend.InboxFilter{States: []yearend.State{yearend.Draft, yearend.Submitted, yearend.Returned, yearend.Reviewed}})
	if err != nil {
		return nil, err
	}
	var items []yearend.Notice
	for _, it := range open {
		if n, ok := yearend.DeadlineNotice(it); ok {
			items = append(items, n)
		}
	}
	// Returned to the caller: what it submitted, in its scope.
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	scope, err := db.scopeCondition(ctx, db.read, "u.id", refDate(antq.DateOf(db.Now()).String()), arg)
	if err != nil {
		return nil, err
	}
	if scope != "" {
		scope = " AND " + scope
	}
	pid, who := arg(factsID), arg(user.Username)
	q := `SELECT 'dossier', d.kind, u.code, u.name, u.kind, d.return_reason FROM dossiers d JOIN units u ON u.id = d.unit_id
WHERE d.plan_id = ` + pid + ` AND d.state = 'returned' AND d.submitted_by = ` + who + scope
	for _, t := range []struct{ table, fact string }{{"registrations", "registration"}, {"propaganda", "propaganda"}, {"models", "model"}, {"incidents", "incident"}} {
		q += `
UNION ALL SELECT 'fact', '` + t.fact + `', u.code, u.name, u.kind, COALESCE(f.return_reason, '') FROM ` + t.table + ` f JOIN units u ON u.id = f.unit_id
WHERE f.plan_id = ` + pid + ` AND f.state = 'returned' AND f.submitted_by = ` + who + scope
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var what, kind, ukind string
		u := &antq.Unit{}
		n := yearend.Notice{Kind: yearend.NoticeReturned, Unit: u}
		if err := rows.Scan(&what, &kind, &u.Code, &u.Name, &ukind, &n.Reason); err != nil {
			return nil, fmt.Errorf("notices: %w", err)
		}
		u.Kind = antq.UnitKind(ukind)
		if what == "dossier" {
			n.Dossier, n.State = yearend.DossierKind(kind), yearend.Returned
		} else {
			n.Fact = antq.FactKind(kind)
		}
		items = append(items, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	out := yearend.NoticesFrom(items, limit)
	// Name each unit with its parent: two "Khu phố 4" of different wards
	// must read differently.
	parents := map[string]string{}
	for i := range out.Items {
		u := out.Items[i].Unit
		name, ok := parents[u.Code]
		if !ok {
			full, err := db.FindUnitByCode(ctx, u.Code, plan.Window.To)
			if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
				return nil, err
			}
			if full != nil {
				name = full.ParentName
			}
			parents[u.Code] = name
		}
		u.ParentName = name
	}
	return out, nil
}
