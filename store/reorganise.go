package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"antq"
)

// ReorgResult sums up an applied reorganisation file.
type ReorgResult struct {
	File    string `json:"file"`
	Rows    int    `json:"rows"`
	Events  int    `json:"events"`
	Ended   int    `json:"ended"`   // unit versions ended the day before their event
	Created int    `json:"created"` // unit versions started (new units, renamed or re-typed versions)
	Moved   int    `json:"moved"`   // units hung under another parent (move rows and the units of ended ones)
	// Attributed counts the facts of ended units handed to their
	// successors for plans that look at the tree after the change;
	// NotAttributed says, in Vietnamese, what stayed as recorded and why;
	// Rebuilt lists the plans whose figures are rebuilt on the new tree at
	// their next read (reorganise_attribute.go).
	Attributed    int           `json:"attributed"`
	NotAttributed []string      `json:"not_attributed"`
	Rebuilt       []string      `json:"rebuilt"`
	Duration      time.Duration `json:"-"`
}

// reorgUnit is the little of a unit version a reorganisation needs.
type reorgUnit struct {
	id                 int64
	code, name, typ    string
	kind               antq.UnitKind
	level              string
	flags              antq.UnitFlags
	validFrom, validTo antq.Date
	parentID           int64
}

// reorgGroup is one lineage event: the rows of one merge (same target),
// one split (same source) or a single other row.
type reorgGroup struct {
	kind antq.LineageKind
	on   antq.Date
	rows []*antq.ReorgRow
}

// Reorganise applies a reorganisation file (see antq.ReorgRow) in one
// transaction, all or nothing: every problem is reported as an
// antq.ImportErrors naming the row and column, and nothing is written.
// Old versions end the day before their event, so the past keeps its tree:
// facts, plans and decisions stay on the versions they were recorded on.
// Only an administrator at the root of a tree may reorganise it (and only
// units of that tree); the command line may reorganise any.
func (db *DB) Reorganise(ctx context.Context, file string, rows []antq.ReorgRow) (ReorgResult, error) {
	start := time.Now()
	res := ReorgResult{File: file, Rows: len(rows), NotAttributed: []string{}, Rebuilt: []string{}}
	user, err := signedIn(ctx)
	if err != nil {
		return res, err
	}
	if !user.Can(antq.PermUnitWrite) {
		return res, antq.Errorf(antq.EFORBIDDEN, "Không có quyền sắp xếp đơn vị")
	}
	if len(rows) == 0 {
		return res, antq.ImportErrors{{File: file, Reason: "không có dòng sắp xếp nào (no rows)"}}
	}
	var errs antq.ImportErrors
	fail := func(r *antq.ReorgRow, col, reason string) {
		if len(errs) < antq.MaxReportedRowErrors {
			errs = append(errs, antq.RowError{File: file, Row: r.Row, Column: col, Reason: reason})
		}
	}
	for i := range rows {
		for col, reason := range rows[i].Validate() {
			fail(&rows[i], col, reason)
		}
	}
	if len(errs) > 0 {
		return res, errs
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		if all, err := db.seesEverything(ctx, tx); err != nil {
			return err
		} else if !all {
			return antq.Errorf(antq.EFORBIDDEN, "Chỉ quản trị viên toàn hệ thống mới được sắp xếp đơn vị hành chính")
		}
		if db.dialect.unitsLockSQL != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.unitsLockSQL); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
		}
		a := &reorgApply{db: db, tx: tx, ctx: ctx, res: &res, index: map[*antq.ReorgRow]int{},
			ended: map[int64]*reorgUnit{}, successor: map[int64]*reorgUnit{}, movedNow: map[int64]bool{}, system: user.ID == 0 && user.UnitID == 0, byCodeOn: map[string]*reorgUnit{}, keysOf: map[int64][]string{}}
		a.fail = func(r *antq.ReorgRow, col, reason string) { a.errCount++; fail(r, col, reason) }
		// Day by day: a later event may act on a unit an earlier one made.
		byDay := append([]antq.ReorgRow(nil), rows...)
		slices.SortStableFunc(byDay, func(x, y antq.ReorgRow) int { return x.EffectiveOn.Compare(y.EffectiveOn) })
		for len(byDay) > 0 && !a.failed() {
			n := 1
			for n < len(byDay) && byDay[n].EffectiveOn == byDay[0].EffectiveOn {
				n++
			}
			if err := a.run(byDay[:n]); err != nil {
				return err
			}
			byDay = byDay[n:]
		}
		if len(errs) > 0 {
			return errs
		}
		if err := db.registryChanged(ctx, tx); err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "reorganise", Entity: "unit", Key: file,
			New: map[string]any{"rows": res.Rows, "events": res.Events, "ended": res.Ended, "created": res.Created, "moved": res.Moved}})
	})
	res.Duration = time.Since(start)
	return res, err
}

// reorgApply holds one reorganisation's state inside its transaction.
type reorgApply struct {
	db   *DB
	tx   *Tx
	ctx  context.Context
	fail func(r *antq.ReorgRow, col, reason string)
	res  *ReorgResult
	// errCount counts the row errors reported; index is each row's position.
	errCount int
	index    map[*antq.ReorgRow]int
	// ended: versions this file ends (by id); byCodeOn: versions found or
	// created in force on an event's day ("code@date").
	ended map[int64]*reorgUnit
	// successor: the unit that takes over an ended one (merge, abolish).
	successor map[int64]*reorgUnit
	// system: the command line, which sees every tree.
	system bool
	// movedNow: units a move row of the day re-hangs itself.
	movedNow map[int64]bool
	byCodeOn map[string]*reorgUnit
	// keysOf are each cached version's byCodeOn keys; children the units
	// under the day's ended versions (prefetched by rehang).
	keysOf   map[int64][]string
	children map[int64][]reorgChild
	// groups are the file's events; from and to each row's old unit and
	// target (nil when in error); endedBy the row that ends each old unit.
	groups   []*reorgGroup
	from, to []*reorgUnit
	endedBy  map[int64]*antq.ReorgRow
}

func (a *reorgApply) find(code string, on antq.Date) (*reorgUnit, error) {
	key := code + "@" + on.String()
	if u, ok := a.byCodeOn[key]; ok {
		return u, nil
	}
	var u reorgUnit
	var kind string
	err := a.tx.QueryRowContext(a.ctx, `SELECT u.id, u.code, u.name, u.type_label, u.kind, u.managing_level,
       u.armed_forces, u.small_enterprise, u.primary_school, u.budget_funded, u.no_legal_entity, u.valid_from, u.valid_to, COALESCE(l.parent_id, 0)
FROM units u LEFT JOIN unit_links l ON l.unit_id = u.id AND l.valid_from <= $2 AND (l.valid_to IS NULL OR l.valid_to >= $2)
WHERE u.code = $1 AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to >= $2)`, code, on).Scan(
		&u.id, &u.code, &u.name, &u.typ, &kind, &u.level,
		&u.flags.ArmedForces, &u.flags.SmallEnterprise, &u.flags.PrimarySchool, &u.flags.BudgetFunded, &u.flags.NoLegalEntity, &u.validFrom, &u.validTo, &u.parentID)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("reorganise: %w", err)
	}
	u.kind = antq.UnitKind(kind)
	a.remember(key, &u)
	return &u, nil
}

// run applies the rows of one day (Reorganise calls it day by day).
func (a *reorgApply) run(rows []antq.ReorgRow) error {
	a.from = make([]*reorgUnit, len(rows))
	a.to = make([]*reorgUnit, len(rows))
	a.endedBy = map[int64]*antq.ReorgRow{}
	a.groups = nil
	a.group(rows)
	// Each step stops the day at the first failure, except that a failed
	// target still lets rehang report the units left without a parent.
	for _, step := range []struct {
		run           func([]antq.ReorgRow) error
		pastRowErrors bool // the next step runs even after a row error
	}{{a.findSources, false}, {a.endSources, false}, {a.findTargets, true}, {a.rehang, false}, {a.writeLineage, false}, {a.attributeFacts, false}} {
		if err := step.run(rows); err != nil || (a.failed() && !step.pastRowErrors) {
			return err
		}
	}
	return nil
}

// group gathers the rows into events: the rows of a merge share its
// target, those of a split its source; any other row is an event alone.
func (a *reorgApply) group(rows []antq.ReorgRow) {
	byKey := map[string]*reorgGroup{}
	for i := range rows {
		a.index[&rows[i]] = i
	}
	for i := range rows {
		r := &rows[i]
		key := fmt.Sprintf("%d", i)
		switch r.Event {
		case antq.LineageMerge:
			key = "merge|" + r.EffectiveOn.String() + "|" + r.To
		case antq.LineageSplit:
			key = "split|" + r.EffectiveOn.String() + "|" + r.From
		}
		g := byKey[key]
		if g == nil {
			g = &reorgGroup{kind: r.Event, on: r.EffectiveOn}
			byKey[key] = g
			a.groups = append(a.groups, g)
		}
		g.rows = append(g.rows, r)
	}
}

// findSources finds the old units as they were the day before, and which
// row ends each; the shares of each split must add up to the whole.
func (a *reorgApply) findSources(rows []antq.ReorgRow) error {
	if err := a.prefetchSources(rows); err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		before := r.EffectiveOn.AddDays(-1)
		day := before
		if r.Event == antq.LineageMove {
			day = r.EffectiveOn
		}
		u, err := a.find(r.From, day)
		if err != nil {
			return err
		}
		if u == nil {
			a.fail(r, "from_code", "không có đơn vị mã "+r.From+" còn hiệu lực ngày "+day.VN())
			continue
		}
		if !a.system {
			// A root administrator reorganises their own tree only.
			if _, err := a.db.findUnitByCode(a.ctx, a.tx, r.From, day); antq.ErrorCode(err) == antq.ENOTFOUND {
				a.fail(r, "from_code", "không có đơn vị mã "+r.From+" trong phạm vi quản lý của bạn")
				continue
			} else if err != nil {
				return err
			}
		}
		a.from[i] = u
		if r.Event == antq.LineageMove {
			a.movedNow[u.id] = true
		}
		if !r.Event.Ends() {
			continue
		}
		if !u.validTo.IsZero() && u.validTo.Before(r.EffectiveOn) {
			// A unit set up to end the day before (the demo's Bình Phước,
			// imported up to 30/06/2025) takes its lineage without being
			// ended again, unless an event already gave it one.
			if u.validTo != before {
				a.fail(r, "from_code", u.name+" đã hết hiệu lực ngày "+u.validTo.VN())
				continue
			}
			var n int
			if err := a.tx.QueryRowContext(a.ctx, `SELECT COUNT(*) FROM lineage_units lu JOIN lineage_events e ON e.id = lu.event_id
WHERE lu.unit_id = $1 AND lu.role = 'from' AND e.effective_on = $2 AND e.kind <> 'move'`, u.id, r.EffectiveOn).Scan(&n); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
			if n > 0 {
				a.fail(r, "from_code", u.name+" đã được sắp xếp từ ngày "+r.EffectiveOn.VN()+" (tệp đã được áp dụng?)")
				continue
			}
		}
		if prev, ok := a.endedBy[u.id]; ok {
			// A split names its source on every row; anything else may end
			// a unit once.
			if !(prev.Event == antq.LineageSplit && r.Event == antq.LineageSplit && prev.EffectiveOn == r.EffectiveOn) {
				a.fail(r, "from_code", fmt.Sprintf("%s đã được sắp xếp ở dòng %d; một đơn vị chia cho nhiều đơn vị mới thì dùng split", u.name, prev.Row))
			}
			continue
		}
		a.endedBy[u.id] = r
		a.ended[u.id] = u
	}
	// Shares of each split add up to the whole (unless not comparable).
	for _, g := range a.groups {
		if g.kind != antq.LineageSplit {
			continue
		}
		var sum int64
		all := true
		for _, r := range g.rows {
			if r.Share != nil {
				sum += *r.Share
			} else {
				all = false
			}
		}
		if all && sum != antq.ShareWhole {
			a.fail(g.rows[len(g.rows)-1], "share", fmt.Sprintf("tổng tỷ lệ các phần của %s là %s, phải bằng 100%%", g.rows[0].From, antq.ShareText(sum)))
		} else if !all && sum > antq.ShareWhole {
			a.fail(g.rows[len(g.rows)-1], "share", "tổng tỷ lệ các phần vượt quá 100%")
		}
	}
	return nil
}

// endSources ends the old units: the version and its own parent link end
// the day before.
func (a *reorgApply) endSources(rows []antq.ReorgRow) error {
	// All rows of a run share their day (Reorganise runs day by day).
	var ids []int64
	for i := range rows {
		u := a.from[i]
		if u == nil || a.endedBy[u.id] != &rows[i] {
			continue
		}
		on := a.endedBy[u.id].EffectiveOn
		if !u.validFrom.Before(on) {
			a.fail(a.endedBy[u.id], "effective_on", u.name+" bắt đầu hiệu lực ngày "+u.validFrom.VN()+"; không thể kết thúc trước ngày đó")
			continue
		}
		if u.validTo == on.AddDays(-1) {
			continue // ends there already
		}
		ids = append(ids, u.id)
	}
	if len(ids) == 0 || a.failed() {
		return nil
	}
	if err := a.endVersions(ids, rows[0].EffectiveOn); err != nil {
		return err
	}
	a.res.Ended += len(ids)
	for _, id := range ids {
		a.forget(id)
	}
	return nil
}

// findTargets finds each row's target in force on the day, or creates it,
// in file order; the new versions of renamed units come last, so that a
// parent ended by this file is replaced by its successor.
func (a *reorgApply) findTargets(rows []antq.ReorgRow) error {
	if err := a.prefetchTargets(rows); err != nil {
		return err
	}
	for _, versions := range []bool{false, true} {
		for i := range rows {
			r := &rows[i]
			var err error
			switch r.Event {
			case antq.LineageMerge, antq.LineageAbolish:
				if r.To != "" && !versions {
					a.to[i], err = a.target(r, r.To, nil)
					if a.to[i] != nil && a.from[i] != nil {
						a.successor[a.from[i].id] = a.to[i]
					}
				}
			case antq.LineageSplit:
				if !versions {
					a.to[i], err = a.target(r, r.To, nil)
				}
			case antq.LineageRename, antq.LineageRetype:
				if versions {
					a.to[i], err = a.target(r, r.From, a.from[i])
				}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// rehang moves the units still hanging under an ended version to its
// successor: the new version of a renamed unit, the target of a merge or
// of an abolition.
func (a *reorgApply) rehang(rows []antq.ReorgRow) error {
	var ids []int64
	for i := range rows {
		if u := a.from[i]; u != nil && rows[i].Event.Ends() && a.endedBy[u.id] == &rows[i] {
			ids = append(ids, u.id)
		}
	}
	var err error
	if a.children, err = a.prefetchChildren(ids, rows[0].EffectiveOn); err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if !r.Event.Ends() || a.from[i] == nil || a.endedBy[a.from[i].id] != r {
			continue
		}
		if a.to[i] == nil && (r.To != "" || r.Event == antq.LineageRename || r.Event == antq.LineageRetype) {
			continue // its target is in error already
		}
		if err := a.rehangChildren(r, a.from[i], a.to[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *reorgApply) failed() bool { return a.errCount > 0 }

// target finds the unit a row leads to in force on its day, or creates it:
// a new unit from the row's to_* columns, or (prev != nil) a new version
// of prev with the row's new name or type.
func (a *reorgApply) target(r *antq.ReorgRow, code string, prev *reorgUnit) (*reorgUnit, error) {
	on := r.EffectiveOn
	if prev == nil {
		if u, err := a.find(code, on); err != nil || u != nil {
			return u, err
		}
		if r.ToName == "" {
			a.fail(r, "to_code", "không có đơn vị mã "+code+" vào ngày "+on.VN()+"; ghi to_name, to_type, to_parent_code để thành lập đơn vị mới")
			return nil, nil
		}
	} else if u := a.byCodeOn[code+"@"+on.String()]; u != nil && u.validFrom == on {
		return u, nil // created by an earlier row of this file
	}
	n := reorgUnit{code: code, name: r.ToName, typ: r.ToType, kind: r.ToLevel, validFrom: on}
	parentCode := r.ToParent
	if prev != nil {
		n.kind, n.level, n.flags, n.validTo = prev.kind, prev.level, prev.flags, prev.validTo
		if n.name == "" {
			n.name = prev.name
		}
		if n.typ == "" {
			n.typ = prev.typ
		}
		if next, ok := a.successor[prev.parentID]; ok && parentCode == "" {
			parentCode = next.code
		} else if _, ended := a.ended[prev.parentID]; ended && parentCode == "" {
			a.fail(r, "to_parent_code", "đơn vị cấp trên của "+prev.name+" kết thúc cùng ngày: ghi to_parent_code")
			return nil, nil
		} else if parentCode == "" && prev.parentID != 0 {
			if err := a.tx.QueryRowContext(a.ctx, `SELECT code FROM units WHERE id = $1`, prev.parentID).Scan(&parentCode); err != nil {
				return nil, fmt.Errorf("reorganise: %w", err)
			}
		}
	}
	var parent *reorgUnit
	if parentCode != "" {
		p, err := a.find(parentCode, on)
		if err != nil {
			return nil, err
		}
		if p == nil {
			a.fail(r, "to_parent_code", "không có đơn vị cấp trên mã "+parentCode+" vào ngày "+on.VN())
			return nil, nil
		}
		parent = p
	}
	if n.kind == "" {
		switch {
		case parent == nil || parent.kind == antq.KindNation:
			n.kind = antq.KindProvince
		case parent.kind == antq.KindProvince || parent.kind == antq.KindDistrict:
			n.kind = antq.KindCommune
		case parent.kind == antq.KindCommune:
			n.kind = antq.KindResidentialArea
		}
	}
	if parent != nil && !antq.AllowedParent(n.kind, parent.kind) {
		a.fail(r, "to_parent_code", fmt.Sprintf("%s không thể trực thuộc %s", n.kind.Label(), parent.kind.Label()))
		return nil, nil
	}
	if parent == nil && n.kind != antq.KindProvince && n.kind != antq.KindNation {
		a.fail(r, "to_parent_code", "cần đơn vị cấp trên cho "+n.kind.Label())
		return nil, nil
	}
	u := antq.Unit{Code: n.code, Kind: n.kind, Name: n.name, Type: n.typ, ManagingLevel: antq.ManagingLevel(n.level), ValidFrom: on, ValidTo: n.validTo}
	if err := u.Validate(); err != nil {
		for col, reason := range antq.ErrorFields(err) {
			a.fail(r, "to_"+col, reason)
		}
		return nil, nil
	}
	var validTo any
	if !n.validTo.IsZero() {
		validTo = n.validTo
	}
	if err := a.tx.QueryRowContext(a.ctx, `INSERT INTO units (code, kind, name, type_label, name_folded, sort_key, managing_level,
    armed_forces, small_enterprise, primary_school, budget_funded, no_legal_entity, valid_from, valid_to)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		n.code, string(n.kind), n.name, n.typ, antq.Fold(n.name), antq.SortKey(n.name), n.level,
		n.flags.ArmedForces, n.flags.SmallEnterprise, n.flags.PrimarySchool, n.flags.BudgetFunded, n.flags.NoLegalEntity, on, validTo).Scan(&n.id); err != nil {
		return nil, fmt.Errorf("reorganise: %w", err)
	}
	if prev != nil {
		// The new version starts with the old one's latest size.
		if _, err := a.tx.ExecContext(a.ctx, `INSERT INTO unit_sizes (unit_id, as_of, households, staff, pupils)
SELECT $1, $2, households, staff, pupils FROM unit_sizes WHERE unit_id = $3 ORDER BY as_of DESC LIMIT 1`, n.id, on, prev.id); err != nil {
			return nil, fmt.Errorf("reorganise: %w", err)
		}
	}
	if parent != nil {
		n.parentID = parent.id
		if _, err := a.tx.ExecContext(a.ctx, `INSERT INTO unit_links (unit_id, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)`,
			n.id, parent.id, on, validTo); err != nil {
			return nil, fmt.Errorf("reorganise: %w", err)
		}
	}
	a.res.Created++
	a.byCodeOn[n.code+"@"+on.String()] = &n
	return &n, nil
}

// rehangChildren moves the units still under the ended version u (and not
// ended by this file) under its successor.
func (a *reorgApply) rehangChildren(r *antq.ReorgRow, u, successor *reorgUnit) error {
	on := r.EffectiveOn
	var children []reorgChild
	for _, c := range a.children[u.id] {
		if _, ended := a.ended[c.id]; !ended && !a.movedNow[c.id] {
			children = append(children, c)
		}
	}
	if len(children) == 0 {
		return nil
	}
	if successor == nil || r.Event == antq.LineageSplit {
		a.fail(r, "from_code", fmt.Sprintf("%s còn %d đơn vị trực thuộc đang hiệu lực (ví dụ %s): thêm dòng move cho từng đơn vị hoặc ghi to_code nhận chúng",
			u.name, len(children), children[0].name))
		return nil
	}
	for _, c := range children {
		if !antq.AllowedParent(c.kind, successor.kind) {
			a.fail(r, "to_code", fmt.Sprintf("%s (%s) không thể trực thuộc %s", c.name, c.kind.Label(), successor.kind.Label()))
			return nil
		}
		if c.from.Before(on) {
			if _, err := a.tx.ExecContext(a.ctx, `UPDATE unit_links SET valid_to = $1 WHERE unit_id = $2 AND valid_from = $3`, on.AddDays(-1), c.id, c.from); err != nil {
				return fmt.Errorf("reorganise: %w", err)
			}
		} else if _, err := a.tx.ExecContext(a.ctx, `DELETE FROM unit_links WHERE unit_id = $1 AND valid_from = $2`, c.id, c.from); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
		var validTo any
		if !c.to.IsZero() {
			validTo = c.to
		}
		if _, err := a.tx.ExecContext(a.ctx, `INSERT INTO unit_links (unit_id, parent_id, valid_from, valid_to) VALUES ($1, $2, $3, $4)`,
			c.id, successor.id, on, validTo); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
		a.res.Moved++
	}
	return nil
}
