package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
)

// PersonFilter selects people: those of a unit's subtree (the caller's
// scope when empty), optionally matching a name.
type PersonFilter struct {
	UnitCode string
	Query    string
	Offset   int
	Limit    int
}

const personSelect = `SELECT p.id, u.code, u.name,
  COALESCE((SELECT pu.name FROM unit_links l JOIN units pu ON pu.id = l.parent_id WHERE l.unit_id = u.id ORDER BY l.valid_from DESC LIMIT 1), ''),
  p.full_name, p.birth_year, p.gender, p.role, p.position, p.service_years, p.service_as_of,
  p.national_id_hash IS NOT NULL, p.created_at, p.created_by, COUNT(*) OVER ()
FROM people p JOIN units u ON u.id = p.unit_id `

func scanPerson(row rowScanner, total *int) (*antq.Person, error) {
	var p antq.Person
	var asOf sql.Null[antq.Date]
	var gender, role string
	var n int
	if err := row.Scan(&p.ID, &p.UnitCode, &p.UnitName, &p.UnitParent, &p.FullName, &p.Birth, &gender, &role, &p.Position, &p.ServiceYears, &asOf,
		&p.HasNationalID, &p.CreatedAt, &p.CreatedBy, &n); err != nil {
		return nil, err
	}
	if total != nil {
		*total = n
	}
	p.Gender, p.Role, p.ServiceAsOf = antq.Gender(gender), antq.PersonRole(role), asOf.V
	return &p, nil
}

// personScope is the condition that keeps a person (alias p, unit u) in
// the caller's scope.
func (db *DB) personScope(ctx context.Context, q querier, arg func(any) string) (string, error) {
	return db.scopeCondition(ctx, q, "p.unit_id", refDate(antq.DateOf(db.Now()).String()), arg)
}

// CreatePerson records a person of a unit in the caller's scope (and, for
// data entry, its reach). A national ID number is kept only as its keyed
// hash; a number already on file is a conflict.
func (db *DB) CreatePerson(ctx context.Context, in antq.PersonInput) (*antq.Person, error) {
	today := antq.DateOf(db.Now())
	p, err := in.Check(today)
	if err != nil {
		return nil, err
	}
	var hash any
	if in.NationalID != "" {
		number, _ := antq.NormalNationalID(in.NationalID)
		h, err := db.nationalIDHash(number)
		if err != nil {
			return nil, err
		}
		hash = h
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		u, err := db.writableUnit(ctx, tx, p.UnitCode, "unit_code")
		if err != nil {
			return err
		}
		if hash != nil {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE national_id_hash = $1`, hash).Scan(&n); err != nil {
				return fmt.Errorf("create person: %w", err)
			}
			if n > 0 {
				return antq.Errorf(antq.ECONFLICT, "Số định danh này đã có trong hồ sơ một người khác")
			}
		}
		var asOf any
		if !p.ServiceAsOf.IsZero() {
			asOf = p.ServiceAsOf
		}
		p.UnitName, p.CreatedAt, p.CreatedBy = u.Name, tx.now, actorName(ctx)
		if err := tx.QueryRowContext(ctx, `INSERT INTO people (unit_id, full_name, birth_year, gender, role, position, service_years, service_as_of, national_id_hash, created_at, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, u.ID, p.FullName, p.Birth, string(p.Gender), string(p.Role), p.Position,
			p.ServiceYears, asOf, hash, tx.now, p.CreatedBy).Scan(&p.ID); err != nil {
			return fmt.Errorf("create person: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "person", Key: fmt.Sprint(p.ID), UnitID: u.ID, New: p})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// writableUnit is the unit code names, in the caller's scope (else
// ENOTFOUND) and reach (else EFORBIDDEN).
func (db *DB) writableUnit(ctx context.Context, q querier, code, field string) (*antq.Unit, error) {
	if strings.TrimSpace(code) == "" {
		return nil, antq.Invalid("Cần đơn vị", map[string]string{field: "cần đơn vị"})
	}
	u, err := db.findUnitByCode(ctx, q, code, antq.Date{})
	if err != nil {
		return nil, err
	}
	if user := antq.UserFromContext(ctx); user != nil && user.ID != 0 && !user.MayChange(u) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Tài khoản nhập liệu chỉ ghi thông tin của đơn vị mình và các khu dân cư, cơ quan, tổ chức trực thuộc trực tiếp")
	}
	return u, nil
}

// person reads one person in scope, unaudited (the callers audit).
func (db *DB) person(ctx context.Context, q querier, id int64) (*antq.Person, int64, error) {
	p, _, err := findInScope(ctx, q, personSelect, "p.id", id, db.personScope, func(r rowScanner) (*antq.Person, int64, error) {
		p, err := scanPerson(r, nil)
		return p, 0, err
	}, "person", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy người %d", id))
	if err != nil {
		return nil, 0, err
	}
	var unitID int64
	if err := q.QueryRowContext(ctx, `SELECT unit_id FROM people WHERE id = $1`, id).Scan(&unitID); err != nil {
		return nil, 0, fmt.Errorf("person: %w", err)
	}
	return p, unitID, nil
}

// Person returns a person in the caller's scope; every read is appended to
// the audit trail.
func (db *DB) Person(ctx context.Context, id int64) (*antq.Person, error) {
	p, unitID, err := db.person(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "person", Key: fmt.Sprint(id), UnitID: unitID}); err != nil {
		return nil, err
	}
	return p, nil
}

// People lists the people of a unit's subtree within the caller's scope.
// The listing is audited (which unit, which filter, how many shown).
func (db *DB) People(ctx context.Context, f PersonFilter) ([]*antq.Person, int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var where []string
	var unitID int64
	if f.UnitCode != "" {
		u, err := db.findUnitByCode(ctx, db.read, f.UnitCode, antq.Date{})
		if err != nil {
			return nil, 0, err
		}
		unitID = u.ID
		where = append(where, `EXISTS (`+withAncestorsOn("p.unit_id", refDate(antq.DateOf(db.Now()).String()))+`SELECT 1 FROM up WHERE up.id = `+arg(u.ID)+`)`)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		where = append(where, "LOWER(p.full_name) LIKE "+arg("%"+escapeLike(strings.ToLower(s))+"%")+" ESCAPE '\\'")
	}
	where, err := withScope(ctx, db.read, db.personScope, arg, where)
	if err != nil {
		return nil, 0, err
	}
	query := personSelect
	if len(where) > 0 {
		query += "WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY p.full_name, p.id LIMIT " + arg(pageLimit(f.Limit, 500, 100)) + " OFFSET " + arg(max(f.Offset, 0))
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	defer rows.Close()
	out := []*antq.Person{}
	total := 0
	for rows.Next() {
		p, err := scanPerson(rows, &total)
		if err != nil {
			return nil, 0, fmt.Errorf("people: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("people: %w", err)
	}
	ids := make([]string, len(out))
	for i, p := range out {
		ids[i] = fmt.Sprint(p.ID)
	}
	key := "list " + f.UnitCode + ": " + strings.Join(ids, ",")
	if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "person", Key: key, UnitID: unitID}); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// MatchNationalID finds the person in scope whose national ID number is
// number (audited, whether or not it matches). No number is ever listed:
// only a number typed in can be matched.
func (db *DB) MatchNationalID(ctx context.Context, number string) (*antq.Person, error) {
	n, ok := antq.NormalNationalID(number)
	if !ok {
		return nil, antq.Invalid("Số định danh không hợp lệ", map[string]string{"national_id": "số định danh cá nhân gồm 12 chữ số (chứng minh nhân dân cũ: 9 chữ số)"})
	}
	h, err := db.nationalIDHash(n)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.read.QueryRowContext(ctx, `SELECT id FROM people WHERE national_id_hash = $1`, h).Scan(&id)
	if errNoRows(err) {
		id = 0
	} else if err != nil {
		return nil, fmt.Errorf("match national ID: %w", err)
	}
	var p *antq.Person
	if id != 0 {
		if p, _, err = db.person(ctx, db.read, id); err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
			return nil, err
		}
	}
	key := "match: none"
	if p != nil {
		key = fmt.Sprintf("match: %d", p.ID)
	}
	if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "person", Key: key}); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không có người nào trong phạm vi của bạn mang số định danh này")
	}
	return p, nil
}
