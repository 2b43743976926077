package store

import (
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/geo"
)

// BoundaryLayer is a boundary file to load: its shapes (simplified already)
// and the dates they hold for.
type BoundaryLayer struct {
	File      string
	Source    string // where the shapes come from, with the licence
	ValidFrom antq.Date
	ValidTo   antq.Date // zero: still in force
	Shapes    []geo.Shape
}

// BoundaryResult reports a load: how many shapes, and which codes have a
// unit in force in the layer's period and which have none.
type BoundaryResult struct {
	Shapes    int
	Points    int
	Matched   int
	Unmatched []string
}

// ImportBoundaries stores a layer in one transaction: a shape replaces the
// one of the same code and first day. Only the command line and an
// administrator of the whole deployment load boundaries.
func (db *DB) ImportBoundaries(ctx context.Context, l BoundaryLayer) (*BoundaryResult, error) {
	if l.ValidFrom.IsZero() {
		return nil, antq.Invalid("Thiếu ngày bắt đầu hiệu lực của ranh giới", map[string]string{"valid_from": "bắt buộc"})
	}
	if !l.ValidTo.IsZero() && l.ValidTo.Before(l.ValidFrom) {
		return nil, antq.Invalid("Ngày hết hiệu lực trước ngày bắt đầu", map[string]string{"valid_to": "phải từ ngày bắt đầu trở đi"})
	}
	if everything, err := db.SeesEverything(ctx); err != nil {
		return nil, err
	} else if !everything {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Chỉ quản trị viên cấp cao nhất được nạp ranh giới hành chính")
	}
	var validTo *antq.Date
	if !l.ValidTo.IsZero() {
		validTo = &l.ValidTo
	}
	res := &BoundaryResult{Shapes: len(l.Shapes)}
	err := db.inTx(ctx, func(tx *Tx) error {
		for _, s := range l.Shapes {
			n := s.Points()
			res.Points += n
			if _, err := tx.ExecContext(ctx, `INSERT INTO boundaries (code, valid_from, valid_to, name, source, geometry, points, loaded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (code, valid_from) DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name, source = excluded.source,
  geometry = excluded.geometry, points = excluded.points, loaded_at = excluded.loaded_at`,
				s.Code, l.ValidFrom, validTo, s.Name, l.Source, geo.MarshalGeometry(s.Geometry), n, tx.now); err != nil {
				return fmt.Errorf("boundaries: %w", err)
			}
			var units int
			until := l.ValidTo
			if until.IsZero() {
				until = antq.NewDate(9999, 12, 31)
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE code = $1
AND (valid_to IS NULL OR valid_to >= $2) AND valid_from <= $3`, s.Code, l.ValidFrom, until).Scan(&units); err != nil {
				return fmt.Errorf("boundaries: %w", err)
			}
			if units > 0 {
				res.Matched++
			} else {
				res.Unmatched = append(res.Unmatched, s.Code)
			}
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "boundaries", Key: l.File,
			New: map[string]any{"shapes": res.Shapes, "points": res.Points, "valid_from": l.ValidFrom, "valid_to": validTo, "source": l.Source}})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Boundaries returns the shapes of the codes in force on each code's date
// (code → date, e.g. the day the plan looks at the unit); a code without a
// shape on its date is absent from the answer. Boundaries are public
// geography: the caller's scope decides which codes it asks for.
func (db *DB) Boundaries(ctx context.Context, on map[string]antq.Date) (map[string]geo.Shape, error) {
	out := map[string]geo.Shape{}
	if len(on) == 0 {
		return out, nil
	}
	codes := make([]string, 0, len(on))
	args := make([]any, 0, len(on))
	for c := range on {
		codes = append(codes, c)
		args = append(args, c)
	}
	var q strings.Builder
	q.WriteString(`SELECT code, valid_from, valid_to, name, geometry FROM boundaries WHERE code IN (`)
	for i := range codes {
		if i > 0 {
			q.WriteString(", ")
		}
		db.dialect.writeParam(&q, i+1)
	}
	q.WriteString(`) ORDER BY code, valid_from`)
	rows, err := db.read.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("boundaries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s geo.Shape
		var from, to antq.Date
		var text string
		if err := rows.Scan(&s.Code, &from, &to, &s.Name, &text); err != nil {
			return nil, fmt.Errorf("boundaries: %w", err)
		}
		if !antq.Covers(from, to, on[s.Code]) {
			continue
		}
		if s.Geometry, err = geo.UnmarshalGeometry(text); err != nil {
			return nil, fmt.Errorf("boundary %s: %w", s.Code, err)
		}
		out[s.Code] = s // ordered by valid_from: the latest that covers the date wins
	}
	return out, rows.Err()
}
