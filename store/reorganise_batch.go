package store

import (
	"fmt"
	"strings"

	"antq"
)

// The reorganisation's statements in batches: the old units of a day are
// looked up, ended and their children read with one statement per chunk
// of ids or codes instead of one per row (on PostgreSQL every statement is
// a round trip), and the lineage's units go through the batch writer.

// reorgChunk bounds the ids or codes of one statement.
const reorgChunk = 1000

// inParams writes n parameters, numbered from first, separated by commas.
func (a *reorgApply) inParams(b *strings.Builder, first, n int) {
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		a.db.dialect.writeParam(b, first+i)
	}
}

// prefetchSources looks up, in chunks, every old unit of the day's rows as
// it was on the day the row reads it (the day before, a move's own day),
// so that findSources finds them in byCodeOn; a code not in force is
// remembered as absent.
func (a *reorgApply) prefetchSources(rows []antq.ReorgRow) error {
	byDay := map[antq.Date][]string{}
	for i := range rows {
		r := &rows[i]
		day := r.EffectiveOn.AddDays(-1)
		if r.Event == antq.LineageMove {
			day = r.EffectiveOn
		}
		byDay[day] = append(byDay[day], r.From)
	}
	return a.prefetch(byDay)
}

// prefetchTargets looks up, in chunks, the targets and new parents the
// day's rows name, as in force on the day (before any is created).
func (a *reorgApply) prefetchTargets(rows []antq.ReorgRow) error {
	byDay := map[antq.Date][]string{}
	for i := range rows {
		r := &rows[i]
		for _, c := range []string{r.To, r.ToParent} {
			if c != "" {
				byDay[r.EffectiveOn] = append(byDay[r.EffectiveOn], c)
			}
		}
	}
	return a.prefetch(byDay)
}

// prefetch caches the versions of codes in force on each day, and the
// codes that have none as absent.
func (a *reorgApply) prefetch(wanted map[antq.Date][]string) error {
	byDay := map[antq.Date][]string{}
	for day, list := range wanted {
		seen := map[string]bool{}
		for _, c := range list {
			if _, ok := a.byCodeOn[c+"@"+day.String()]; !ok && !seen[c] {
				seen[c] = true
				byDay[day] = append(byDay[day], c)
			}
		}
	}
	for day, codes := range byDay {
		for len(codes) > 0 {
			chunk := codes[:min(len(codes), reorgChunk)]
			codes = codes[len(chunk):]
			var b strings.Builder
			b.WriteString(`SELECT u.id, u.code, u.name, u.type_label, u.kind, u.managing_level,
       u.armed_forces, u.small_enterprise, u.primary_school, u.valid_from, u.valid_to, COALESCE(l.parent_id, 0)
FROM units u LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= `)
			a.db.dialect.writeParam(&b, 1)
			b.WriteString(` AND (l.valid_to IS NULL OR l.valid_to >= `)
			a.db.dialect.writeParam(&b, 2)
			b.WriteString(`)
WHERE u.valid_from <= `)
			a.db.dialect.writeParam(&b, 3)
			b.WriteString(` AND (u.valid_to IS NULL OR u.valid_to >= `)
			a.db.dialect.writeParam(&b, 4)
			b.WriteString(`) AND u.code IN (`)
			a.inParams(&b, 5, len(chunk))
			b.WriteString(`)`)
			args := []any{day, day, day, day}
			for _, c := range chunk {
				args = append(args, c)
			}
			found := map[string]bool{}
			rs, err := a.tx.QueryContext(a.ctx, b.String(), args...)
			if err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
			for rs.Next() {
				var u reorgUnit
				var kind string
				if err := rs.Scan(&u.id, &u.code, &u.name, &u.typ, &kind, &u.level,
					&u.flags.ArmedForces, &u.flags.SmallEnterprise, &u.flags.PrimarySchool, &u.validFrom, &u.validTo, &u.parentID); err != nil {
					rs.Close()
					return fmt.Errorf("reorganise: %w", err)
				}
				u.kind = antq.UnitKind(kind)
				a.remember(u.code+"@"+day.String(), &u)
				found[u.code] = true
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
			for _, c := range chunk {
				if !found[c] {
					a.byCodeOn[c+"@"+day.String()] = nil
				}
			}
		}
	}
	return nil
}

// remember caches a unit version found in force on a day ("code@date").
func (a *reorgApply) remember(key string, u *reorgUnit) {
	a.byCodeOn[key] = u
	if u != nil {
		a.keysOf[u.id] = append(a.keysOf[u.id], key)
	}
}

// forget drops an ended version from the cache: later lookups on or after
// its event must not find it.
func (a *reorgApply) forget(id int64) {
	for _, k := range a.keysOf[id] {
		if v := a.byCodeOn[k]; v != nil && v.id == id {
			delete(a.byCodeOn, k)
		}
	}
	delete(a.keysOf, id)
}

// endVersions ends the versions ids (and their own parent links) the day
// before on, in chunks.
func (a *reorgApply) endVersions(ids []int64, on antq.Date) error {
	before := on.AddDays(-1)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), reorgChunk)]
		ids = ids[len(chunk):]
		var units, links strings.Builder
		units.WriteString(`UPDATE units SET valid_to = `)
		a.db.dialect.writeParam(&units, 1)
		units.WriteString(` WHERE id IN (`)
		a.inParams(&units, 2, len(chunk))
		units.WriteString(`)`)
		links.WriteString(`UPDATE unit_links SET valid_to = `)
		a.db.dialect.writeParam(&links, 1)
		links.WriteString(` WHERE (valid_to IS NULL OR valid_to >= `)
		a.db.dialect.writeParam(&links, 2)
		links.WriteString(`) AND unit_id IN (`)
		a.inParams(&links, 3, len(chunk))
		links.WriteString(`)`)
		args := make([]any, 0, len(chunk)+2)
		args = append(args, before)
		for _, id := range chunk {
			args = append(args, id)
		}
		if _, err := a.tx.ExecContext(a.ctx, units.String(), args...); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
		largs := append([]any{before, on}, args[1:]...)
		if _, err := a.tx.ExecContext(a.ctx, links.String(), largs...); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
	}
	return nil
}

// reorgChild is a unit hanging under an ended version on the event's day.
type reorgChild struct {
	id       int64
	from, to antq.Date
	kind     antq.UnitKind
	name     string
}

// prefetchChildren reads, in chunks, the units still hanging on day on
// under the versions ids (after endSources: the ended children are gone).
func (a *reorgApply) prefetchChildren(ids []int64, on antq.Date) (map[int64][]reorgChild, error) {
	out := map[int64][]reorgChild{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), reorgChunk)]
		ids = ids[len(chunk):]
		var b strings.Builder
		b.WriteString(`SELECT l.parent_id, l.unit_id, l.valid_from, l.valid_to, c.kind, c.name FROM unit_links l JOIN units c ON c.id = l.unit_id
WHERE (l.valid_to IS NULL OR l.valid_to >= `)
		a.db.dialect.writeParam(&b, 1)
		b.WriteString(`) AND (c.valid_to IS NULL OR c.valid_to >= `)
		a.db.dialect.writeParam(&b, 2)
		b.WriteString(`) AND l.parent_id IN (`)
		a.inParams(&b, 3, len(chunk))
		b.WriteString(`) ORDER BY l.parent_id, l.unit_id`)
		args := []any{on, on}
		for _, id := range chunk {
			args = append(args, id)
		}
		rs, err := a.tx.QueryContext(a.ctx, b.String(), args...)
		if err != nil {
			return nil, fmt.Errorf("reorganise: %w", err)
		}
		for rs.Next() {
			var parent int64
			var c reorgChild
			var kind string
			if err := rs.Scan(&parent, &c.id, &c.from, &c.to, &kind, &c.name); err != nil {
				rs.Close()
				return nil, fmt.Errorf("reorganise: %w", err)
			}
			c.kind = antq.UnitKind(kind)
			out[parent] = append(out[parent], c)
		}
		rs.Close()
		if err := rs.Err(); err != nil {
			return nil, fmt.Errorf("reorganise: %w", err)
		}
	}
	return out, nil
}
