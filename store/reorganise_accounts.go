package store

import (
	"context"
	"fmt"
	"strings"

	"antq"
)

// AccountToReassign is an account attached to a unit version that has
// ended (a district of 2025, a merged commune): it keeps working on the
// unit as it was, and the successors say where it may go.
type AccountToReassign struct {
	Username   string        `json:"username"`
	FullName   string        `json:"full_name"`
	Role       antq.Role     `json:"role"`
	UnitCode   string        `json:"unit"`
	UnitName   string        `json:"unit_name"`
	UnitEnded  antq.Date     `json:"unit_valid_to"`
	Successors []LineageLink `json:"successors"`
}

// AccountsToReassign lists the enabled accounts in the caller's scope whose
// unit ended before today, with that unit's successors. An administrator
// moves one with UpdateUser (audited like any change of unit).
func (db *DB) AccountsToReassign(ctx context.Context) ([]AccountToReassign, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	cond, err := db.usersInScope(ctx, db.read, arg)
	if err != nil {
		return nil, err
	}
	where := []string{"un.valid_to IS NOT NULL", "un.valid_to < " + arg(antq.DateOf(db.Now())), "us.disabled = " + arg(false)}
	if cond != "" {
		where = append(where, cond)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT us.username, us.full_name, us.role, un.id, un.code, un.name, un.valid_to
FROM users us JOIN units un ON un.id = us.unit_id WHERE `+strings.Join(where, " AND ")+` ORDER BY un.sort_key, us.username`, args...)
	if err != nil {
		return nil, fmt.Errorf("accounts to reassign: %w", err)
	}
	var out []AccountToReassign
	var unitIDs []int64
	for rows.Next() {
		var a AccountToReassign
		var role string
		var id int64
		if err := rows.Scan(&a.Username, &a.FullName, &role, &id, &a.UnitCode, &a.UnitName, &a.UnitEnded); err != nil {
			rows.Close()
			return nil, fmt.Errorf("accounts to reassign: %w", err)
		}
		a.Role = antq.Role(role)
		out = append(out, a)
		unitIDs = append(unitIDs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts to reassign: %w", err)
	}
	for i, id := range unitIDs {
		if _, out[i].Successors, err = db.Lineage(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}
