package store

import (
	"fmt"
	"slices"
	"strings"

	"antq"
)

// writeLineage records one lineage event per group of rows, with the
// units on each side and their shares; a move re-hangs its unit.
func (a *reorgApply) writeLineage(rows []antq.ReorgRow) error {
	units := a.db.newBatchInsert(a.ctx, a.tx, "lineage_units", []string{"event_id", "unit_id", "role", "partial", "share_ppm", "comparable"}, "")
	if err := a.writeEvents(units); err != nil {
		units.flush()
		return err
	}
	if err := units.flush(); err != nil {
		return fmt.Errorf("reorganise: %w", err)
	}
	return nil
}

// writeEvents writes the day's events; their units go to the batch units.
func (a *reorgApply) writeEvents(units *batchInsert) error {
	for _, g := range a.groups {
		r0 := g.rows[0]
		var legalDate any
		if !r0.Legal.Date.IsZero() {
			legalDate = r0.Legal.Date
		}
		var notes []string
		for _, r := range g.rows {
			if r.Note != "" && !slices.Contains(notes, r.Note) {
				notes = append(notes, r.Note)
			}
		}
		if g.kind == antq.LineageMove {
			i := a.index[r0]
			if a.from[i] == nil {
				continue
			}
			p, err := a.find(r0.ToParent, r0.EffectiveOn)
			if err != nil {
				return err
			}
			if p == nil {
				a.fail(r0, "to_parent_code", "không có đơn vị mã "+r0.ToParent+" vào ngày "+r0.EffectiveOn.VN())
				continue
			}
			// The caller sees the whole tree (checked above); the move's
			// own scope walk would lose a unit whose parent ends today.
			whole := *antq.UserFromContext(a.ctx)
			whole.ID, whole.UnitID = 0, 0
			actor := antq.ActorFromContext(a.ctx)
			actor.User = &whole
			eventID, err := a.db.moveUnitTx(antq.NewContextWithActor(a.ctx, actor), a.tx, r0.From, r0.ToParent, r0.EffectiveOn, strings.Join(notes, "; "))
			if code := antq.ErrorCode(err); code == antq.EINVALID || code == antq.ENOTFOUND {
				reasons := antq.ErrorFields(err)
				if len(reasons) == 0 {
					reasons = map[string]string{"": antq.ErrorMessage(err)}
				}
				for _, reason := range reasons {
					a.fail(r0, "to_parent_code", reason)
				}
				continue
			} else if err != nil {
				return err
			}
			if _, err := a.tx.ExecContext(a.ctx, `UPDATE lineage_events SET legal_basis = $1, legal_number = $2, legal_date = $3, legal_issuer = $4 WHERE id = $5`,
				r0.Legal.String(), r0.Legal.Number, legalDate, r0.Legal.Issuer, eventID); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
			a.res.Events++
			a.res.Moved++
			continue
		}
		var eventID int64
		if err := a.tx.QueryRowContext(a.ctx, `INSERT INTO lineage_events (kind, effective_on, legal_basis, note, legal_number, legal_date, legal_issuer)
VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, string(g.kind), g.on, r0.Legal.String(), strings.Join(notes, "; "),
			r0.Legal.Number, legalDate, r0.Legal.Issuer).Scan(&eventID); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
		a.res.Events++
		seen := map[string]bool{}
		link := func(u *reorgUnit, role string, share *int64, comparable, partial bool) error {
			if u == nil {
				return nil
			}
			k := fmt.Sprint(u.id, role)
			if seen[k] {
				return nil
			}
			seen[k] = true
			if err := units.add(eventID, u.id, role, partial, share, comparable); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
			return nil
		}
		for _, r := range g.rows {
			i := a.index[r]
			partial := r.Share != nil || r.NotComparable
			switch g.kind {
			case antq.LineageSplit:
				// One source, the parts carry their shares.
				if err := link(a.from[i], "from", nil, true, false); err != nil {
					return err
				}
				if err := link(a.to[i], "to", r.Share, !r.NotComparable, partial); err != nil {
					return err
				}
			default:
				// One target (or none); each source carries its share.
				if err := link(a.from[i], "from", r.Share, !r.NotComparable, partial); err != nil {
					return err
				}
				if a.to[i] != nil {
					if err := link(a.to[i], "to", nil, true, false); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}
