package store

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"antq"
)

// Dated standings of a person (prosecuted, compulsory education,
// disciplinary review, dismissed, betrayal): recorded by those who may
// record people, on a person in their scope and reach, audited; read with
// the person (in scope), never on the public page. Eligibility for an
// award looks at the standings in force on the day it is checked.

const standingSelect = `SELECT s.id, s.person_id, s.standing, s.valid_from, s.valid_to, s.source, s.note, s.created_by, s.created_at FROM person_standings s `

func scanStanding(row rowScanner) (*antq.PersonStanding, error) {
	var s antq.PersonStanding
	var standing string
	if err := row.Scan(&s.ID, &s.PersonID, &standing, &s.From, &s.To, &s.Source, &s.Note, &s.CreatedBy, &s.CreatedAt); err != nil {
		return nil, err
	}
	s.Standing = antq.Standing(standing)
	return &s, nil
}

// writablePerson is a person in the caller's scope whose unit the caller
// may write, for person:write.
func (db *DB) writablePerson(ctx context.Context, tx *Tx, personID int64) (*antq.Person, int64, error) {
	if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermPersonWrite) {
		return nil, 0, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền ghi thông tin cá nhân")
	}
	p, unitID, err := db.person(ctx, tx, personID)
	if err != nil {
		return nil, 0, err
	}
	if _, err := db.writableUnit(ctx, tx, p.UnitCode, "unit_code"); err != nil {
		return nil, 0, err
	}
	return p, unitID, nil
}

// AddStanding records a standing of a person.
func (db *DB) AddStanding(ctx context.Context, personID int64, in antq.StandingInput) (*antq.PersonStanding, error) {
	s, err := in.Check(antq.DateOf(db.Now()))
	if err != nil {
		return nil, err
	}
	s.PersonID, s.CreatedBy = personID, actorName(ctx)
	err = db.inTx(ctx, func(tx *Tx) error {
		_, unitID, err := db.writablePerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		s.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO person_standings (person_id, standing, valid_from, valid_to, source, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, personID, string(s.Standing), s.From, s.To, s.Source, s.Note, s.CreatedBy, tx.now).Scan(&s.ID); err != nil {
			return fmt.Errorf("standing: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "person_standing", Key: fmt.Sprintf("%d/%d", personID, s.ID), UnitID: unitID, New: s})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// CloseStanding sets the last day of an open standing (the case closed,
// the review ended).
func (db *DB) CloseStanding(ctx context.Context, personID, id int64, to antq.Date) (*antq.PersonStanding, error) {
	var out *antq.PersonStanding
	err := db.inTx(ctx, func(tx *Tx) error {
		old, unitID, err := db.writableStanding(ctx, tx, personID, id)
		if err != nil {
			return err
		}
		f := antq.FieldErrors{}
		switch {
		case !old.To.IsZero():
			return antq.Errorf(antq.ECONFLICT, "Tình trạng này đã kết thúc ngày %s", old.To.VN())
		case to.IsZero():
			f.Add("to", "cần ngày kết thúc")
		case to.Before(old.From):
			f.Add("to", "ngày kết thúc trước ngày bắt đầu "+old.From.VN())
		case to.After(antq.DateOf(db.Now())):
			f.Add("to", "ngày kết thúc ở tương lai")
		}
		if err := f.Err("Không ghi được ngày kết thúc"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE person_standings SET valid_to = $1 WHERE id = $2`, to, id); err != nil {
			return fmt.Errorf("standing: %w", err)
		}
		next := *old
		next.To = to
		out = &next
		return db.audit(ctx, tx, auditEntry{Action: "update", Entity: "person_standing", Key: fmt.Sprintf("%d/%d", personID, id), UnitID: unitID, Old: old, New: out})
	})
	return out, err
}

// DeleteStanding removes a standing recorded by mistake (a standing that
// ended is closed, not deleted), with the reason, which the audit trail
// keeps with what was removed.
func (db *DB) DeleteStanding(ctx context.Context, personID, id int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return antq.Invalid("Cần lý do xóa", antq.FieldErrors{"reason": "ghi lý do xóa, ví dụ: nhập nhầm người hoặc nhầm quyết định"})
	} else if utf8.RuneCountInString(reason) > 1000 {
		return antq.Invalid("Lý do xóa quá dài", antq.FieldErrors{"reason": "tối đa 1.000 ký tự"})
	}
	return db.inTx(ctx, func(tx *Tx) error {
		old, unitID, err := db.writableStanding(ctx, tx, personID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM person_standings WHERE id = $1`, id); err != nil {
			return fmt.Errorf("standing: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "delete", Entity: "person_standing", Key: fmt.Sprintf("%d/%d", personID, id), UnitID: unitID, Old: old, Reason: reason})
	})
}

// writableStanding is the standing id of a person the caller may write
// (writablePerson), with the person's unit id.
func (db *DB) writableStanding(ctx context.Context, tx *Tx, personID, id int64) (*antq.PersonStanding, int64, error) {
	_, unitID, err := db.writablePerson(ctx, tx, personID)
	if err != nil {
		return nil, 0, err
	}
	old, err := standingOf(ctx, tx, personID, id)
	return old, unitID, err
}

// standingOf is the standing id of the person, ENOTFOUND if there is none.
func standingOf(ctx context.Context, tx *Tx, personID, id int64) (*antq.PersonStanding, error) {
	st, err := scanStanding(tx.QueryRowContext(ctx, standingSelect+`WHERE s.id = $1 AND s.person_id = $2`, id, personID))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tình trạng %d của người %d", id, personID)
	} else if err != nil {
		return nil, fmt.Errorf("standing: %w", err)
	}
	return st, nil
}

// PersonStandings lists a person's standings, newest first, in the
// caller's scope (the caller audits the read of the person).
func (db *DB) PersonStandings(ctx context.Context, personID int64) ([]*antq.PersonStanding, error) {
	if _, _, err := db.person(ctx, db.read, personID); err != nil {
		return nil, err
	}
	return listRows(ctx, db.read, "standings", scanStanding, standingSelect+`WHERE s.person_id = $1 ORDER BY s.valid_from DESC, s.id DESC`, personID)
}

// standingsOn maps the people with a standing in force on day to their
// standings' codes (personID 0: everyone's; the callers hold candidates
// already in scope).
func (db *DB) standingsOn(ctx context.Context, q querier, personID int64, day antq.Date) (map[int64][]string, error) {
	query := `SELECT person_id, standing FROM person_standings WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $1)`
	args := []any{day}
	if personID != 0 {
		query += ` AND person_id = $2`
		args = append(args, personID)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY person_id, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("standings: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("standings: %w", err)
		}
		out[id] = append(out[id], s)
	}
	return out, rows.Err()
}
