package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"antq"
)

// unitColumns selects a unit row with its parent and size as of the row's
// reference date ($1 when the caller gives a date, else the unit's last day
// in force, capped at today). The reference date expression is refDate.
const unitSelect = `
SELECT u.id, u.code, u.kind, u.name, u.type_label, u.managing_level,
       u.armed_forces, u.small_enterprise, u.primary_school, u.budget_funded, u.no_legal_entity, u.valid_from, u.valid_to,
       COALESCE(l.parent_id, 0), COALESCE(p.code, ''), COALESCE(p.name, ''),
       s.as_of, s.households, s.staff, s.pupils,
       COUNT(*) OVER ()
FROM units u
LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= %[1]s AND (l.valid_to IS NULL OR l.valid_to >= %[1]s)
LEFT JOIN units p ON p.id = l.parent_id
LEFT JOIN unit_sizes s ON s.unit_id = u.id
     AND s.as_of = (SELECT MAX(s2.as_of) FROM unit_sizes s2 WHERE s2.unit_id = u.id AND s2.as_of <= %[1]s)
`

// refDate is the date a unit row (alias u) is shown as of when the caller
// names none: today while the unit is in force, else its last (or first)
// day.
func refDate(today string) string { return refDateOf("u", today) }

// refDateOf is refDate for a units row under another alias.
func refDateOf(alias, today string) string {
	return fmt.Sprintf(`(CASE WHEN %[2]s.valid_to IS NOT NULL AND %[2]s.valid_to < '%[1]s' THEN %[2]s.valid_to
	      WHEN %[2]s.valid_from > '%[1]s' THEN %[2]s.valid_from ELSE '%[1]s' END)`, today, alias)
}

func scanUnit(rows *sql.Rows, total *int) (*antq.Unit, error) {
	var u antq.Unit
	var kind, level string
	var asOf antq.Date
	var hh, staff, pupils sql.NullInt64
	if err := rows.Scan(&u.ID, &u.Code, &kind, &u.Name, &u.Type, &level,
		&u.Flags.ArmedForces, &u.Flags.SmallEnterprise, &u.Flags.PrimarySchool, &u.Flags.BudgetFunded, &u.Flags.NoLegalEntity, &u.ValidFrom, &u.ValidTo,
		&u.ParentID, &u.ParentCode, &u.ParentName, &asOf, &hh, &staff, &pupils, total); err != nil {
		return nil, fmt.Errorf("scan unit: %w", err)
	}
	u.Kind, u.ManagingLevel = antq.UnitKind(kind), antq.ManagingLevel(level)
	u.Size = antq.UnitSize{AsOf: asOf, Households: nullInt(hh), Staff: nullInt(staff), Pupils: nullInt(pupils)}
	return &u, nil
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

// FindUnits returns the units matching filter within the caller's scope, in
// Vietnamese collation order, and the total count before paging.
func (db *DB) FindUnits(ctx context.Context, filter antq.UnitFilter) ([]*antq.Unit, int, error) {
	return db.findUnits(ctx, db.read, filter)
}

// FindUnitByCode returns the unit with code as of asOf (zero: its latest
// version), within the caller's scope; ENOTFOUND otherwise.
func (db *DB) FindUnitByCode(ctx context.Context, code string, asOf antq.Date) (*antq.Unit, error) {
	return db.findUnitByCode(ctx, db.read, code, asOf)
}

func (db *DB) findUnitByCode(ctx context.Context, q querier, code string, asOf antq.Date) (*antq.Unit, error) {
	units, _, err := db.findUnits(ctx, q, antq.UnitFilter{Code: &code, AsOf: asOf, Limit: 1})
	if err != nil {
		return nil, err
	} else if len(units) == 0 {
		return nil, unitNotFound(code)
	}
	return units[0], nil
}

func unitNotFound(code string) error {
	return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy đơn vị %q", code)
}

func (db *DB) findUnits(ctx context.Context, q querier, filter antq.UnitFilter) (_ []*antq.Unit, total int, err error) {
	today := antq.DateOf(db.Now()).String()
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }

	ref := refDate(today)
	if !filter.AsOf.IsZero() {
		ref = arg(filter.AsOf)
		where = append(where, fmt.Sprintf("u.valid_from <= %[1]s AND (u.valid_to IS NULL OR u.valid_to >= %[1]s)", ref))
	}
	if filter.ID != nil {
		where = append(where, "u.id = "+arg(*filter.ID))
	}
	if filter.Code != nil {
		where = append(where, "u.code = "+arg(*filter.Code))
	}
	if filter.Kind != nil {
		where = append(where, "u.kind = "+arg(string(*filter.Kind)))
	}
	if filter.ParentCode != nil {
		// Written on the link, not on p.code, so that the parent's index
		// on unit_links drives the read (with p.code SQLite scanned every
		// unit: a commune's children took 3.3 s at nation scale).
		where = append(where, "l.parent_id IN (SELECT id FROM units WHERE code = "+arg(*filter.ParentCode)+")")
	}
	if s := antq.Fold(filter.Query); s != "" {
		where = append(where, "u.name_folded LIKE "+arg("%"+escapeLike(s)+"%")+" ESCAPE '\\'")
	}
	if cond, err := db.scopeCondition(ctx, q, "u.id", ref, arg); err != nil {
		return nil, 0, err
	} else if cond != "" {
		where = append(where, cond)
	}

	query := fmt.Sprintf(unitSelect, ref)
	if filter.ParentCode != nil {
		// A parent filter wants a link: the inner join lets the planner
		// start from it (the same rows as the outer join with the filter).
		query = strings.Replace(query, "LEFT JOIN unit_links l", "JOIN unit_links l", 1)
	}
	if len(where) > 0 {
		query += "WHERE " + strings.Join(where, " AND ") + "\n"
	}
	order := "u.sort_key, u.code, u.valid_from DESC"
	if filter.Code != nil && filter.AsOf.IsZero() {
		order = "u.valid_from DESC" // the latest version of a code first
	}
	query += "ORDER BY " + order
	if filter.Limit > 0 {
		query += " LIMIT " + arg(filter.Limit)
	}
	if filter.Offset > 0 {
		query += " OFFSET " + arg(filter.Offset)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find units: %w", err)
	}
	defer rows.Close()
	var units []*antq.Unit
	for rows.Next() {
		u, err := scanUnit(rows, &total)
		if err != nil {
			return nil, 0, err
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("find units: %w", err)
	}
	return units, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// scopeCondition returns the SQL condition that keeps idExpr inside the
// subtree of the caller's unit. Only the system actor (the command line,
// with no unit) sees everything: a database may hold several trees (Bình
// Phước of 2023 and today's nation), and the admin of one must not see the
// other. A request without a user sees nothing.
func (db *DB) scopeCondition(ctx context.Context, q querier, idExpr, ref string, arg func(any) string) (string, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return "", err
	}
	if user.ID == 0 && user.UnitID == 0 {
		return "", nil
	}
	// Walk up from the row's unit: it is in scope when the user's unit is
	// the unit itself or one of its ancestors on the row's reference date.
	return `EXISTS (` + withAncestorsOn(idExpr, ref) + `SELECT 1 FROM up WHERE up.id = ` + arg(user.UnitID) + `)`, nil
}

// SeesEverything reports whether the caller's scope is the whole tree: the
// command line (the system actor), or a user whose unit never has a parent
// (the nation, or a province in a provincial deployment).
func (db *DB) SeesEverything(ctx context.Context) (bool, error) {
	return db.seesEverything(ctx, db.read)
}

func (db *DB) seesEverything(ctx context.Context, q querier) (bool, error) {
	user := antq.UserFromContext(ctx)
	switch {
	case user == nil:
		return false, nil
	case user.ID == 0 && user.UnitID == 0:
		return true, nil
	}
	return db.isRoot(ctx, q, user.UnitID)
}

// isRoot reports whether the unit never has a parent (the nation, or a
// province in a provincial deployment).
func (db *DB) isRoot(ctx context.Context, q querier, unitID int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM unit_links WHERE unit_id = $1`, unitID).Scan(&n); err != nil {
		return false, fmt.Errorf("scope: %w", err)
	}
	return n == 0, nil
}

// Children returns the units directly under the unit with code, as of asOf
// (zero: the parent's reference date).
// A non-nil kind keeps only children of that kind.
func (db *DB) Children(ctx context.Context, code string, asOf antq.Date, kind *antq.UnitKind, offset, limit int) (*antq.Unit, []*antq.Unit, int, error) {
	parent, err := db.FindUnitByCode(ctx, code, asOf)
	if err != nil {
		return nil, nil, 0, err
	}
	if asOf.IsZero() {
		asOf = db.unitRefDate(parent)
	}
	units, total, err := db.findUnits(ctx, db.read, antq.UnitFilter{ParentCode: &parent.Code, Kind: kind, AsOf: asOf, Offset: offset, Limit: limit})
	return parent, units, total, err
}

// unitRefDate is the date a unit is shown as of when none is given.
func (db *DB) unitRefDate(u *antq.Unit) antq.Date {
	today := antq.DateOf(db.Now())
	switch {
	case !u.ValidTo.IsZero() && u.ValidTo.Before(today):
		return u.ValidTo
	case u.ValidFrom.After(today):
		return u.ValidFrom
	}
	return today
}

// Ancestors returns the chain from the root down to the unit's parent as of
// asOf (zero: the unit's reference date), for a breadcrumb. Ancestors above
// the caller's scope are left out.
func (db *DB) Ancestors(ctx context.Context, code string, asOf antq.Date) ([]*antq.Unit, error) {
	u, err := db.FindUnitByCode(ctx, code, asOf)
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = db.unitRefDate(u)
	}
	var chain []*antq.Unit
	for id := u.ParentID; id != 0 && len(chain) < maxTreeDepth; {
		p, _, err := db.findUnits(ctx, db.read, antq.UnitFilter{ID: &id, AsOf: asOf, Limit: 1})
		if err != nil {
			return nil, err
		} else if len(p) == 0 {
			break // out of scope from here up
		}
		chain = append(chain, p[0])
		id = p[0].ParentID
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	return chain, nil
}

// errNoRows tells sql.ErrNoRows apart.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
