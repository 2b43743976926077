package store

import (
	"context"
	"database/sql"
	"fmt"

	"antq"
)

// LineageLink is one unit on the other side of a reorganisation event: a
// predecessor (it became this unit) or a successor (this unit became it).
type LineageLink struct {
	Event       antq.LineageKind `json:"event"`
	EffectiveOn antq.Date        `json:"effective_on"`
	Legal       antq.LegalBasis  `json:"legal_basis"`
	Note        string           `json:"note,omitempty"`
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Type        string           `json:"type"`
	Kind        antq.UnitKind    `json:"kind"`
	ValidFrom   antq.Date        `json:"valid_from"`
	ValidTo     antq.Date        `json:"valid_to"`
	// Share is the part (ppm) of the predecessor that went into the
	// successor; nil with Comparable true is the whole of it.
	Share      *int64 `json:"share_ppm,omitempty"`
	Comparable bool   `json:"comparable"`
}

// Lineage returns the predecessors and successors of the unit version id,
// oldest event first. Moves (the same unit on both sides) are left out.
func (db *DB) Lineage(ctx context.Context, unitID int64) (predecessors, successors []LineageLink, err error) {
	for _, side := range []struct {
		mine, other string
		out         *[]LineageLink
	}{{"to", "from", &predecessors}, {"from", "to", &successors}} {
		// The share sits on the side that is one of several: on the 'from'
		// rows of a merge, on the 'to' rows of a split.
		rows, err := db.read.QueryContext(ctx, `SELECT e.kind, e.effective_on, e.legal_number, e.legal_date, e.legal_issuer, e.note,
       u.code, u.name, u.type_label, u.kind, u.valid_from, u.valid_to,
       CASE WHEN e.kind = 'split' THEN (CASE WHEN me.role = 'to' THEN me.share_ppm ELSE o.share_ppm END)
            ELSE (CASE WHEN me.role = 'from' THEN me.share_ppm ELSE o.share_ppm END) END,
       CASE WHEN e.kind = 'split' THEN (CASE WHEN me.role = 'to' THEN me.comparable ELSE o.comparable END)
            ELSE (CASE WHEN me.role = 'from' THEN me.comparable ELSE o.comparable END) END
FROM lineage_units me
JOIN lineage_events e ON e.id = me.event_id
JOIN lineage_units o ON o.event_id = me.event_id AND o.role = $3
JOIN units u ON u.id = o.unit_id
WHERE me.unit_id = $1 AND me.role = $2 AND o.unit_id <> me.unit_id
ORDER BY e.effective_on, u.sort_key`, unitID, side.mine, side.other)
		if err != nil {
			return nil, nil, fmt.Errorf("lineage: %w", err)
		}
		for rows.Next() {
			var l LineageLink
			var kind, ukind string
			var legalDate antq.Date
			var share sql.NullInt64
			if err := rows.Scan(&kind, &l.EffectiveOn, &l.Legal.Number, &legalDate, &l.Legal.Issuer, &l.Note,
				&l.Code, &l.Name, &l.Type, &ukind, &l.ValidFrom, &l.ValidTo, &share, &l.Comparable); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("lineage: %w", err)
			}
			l.Event, l.Kind, l.Legal.Date, l.Share = antq.LineageKind(kind), antq.UnitKind(ukind), legalDate, nullInt(share)
			*side.out = append(*side.out, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("lineage: %w", err)
		}
	}
	return predecessors, successors, nil
}

// ShareLabel says on screen how much of the predecessor the link carries.
func (l LineageLink) ShareLabel() string {
	switch {
	case !l.Comparable:
		return "một phần, không so sánh được"
	case l.Share != nil:
		return antq.ShareText(*l.Share)
	}
	return "toàn bộ"
}

// Label is the event's Vietnamese name.
func (l LineageLink) Label() string { return l.Event.Label() }

// Basis is the legal basis in one line.
func (l LineageLink) Basis() string { return l.Legal.String() }
