package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"antq"
)

// ImportResult reports what ImportUnits wrote.
type ImportResult struct {
	File     string           `json:"file"`
	Units    int              `json:"units"`
	ByKind   []antq.KindCount `json:"by_kind"`
	Sizes    int              `json:"sizes"` // size snapshots written
	Duration time.Duration    `json:"duration"`
}

// RowsPerSecond is the import throughput.
func (r ImportResult) RowsPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Units) / r.Duration.Seconds()
}

// ImportUnits adds the units of one import file, all or nothing, in one
// transaction. Before writing anything it checks every record: its own
// fields (Unit.Validate), its code against the file and against existing
// versions whose validity overlaps, its parent (in the file or the database,
// in force on the unit's valid_from, of a kind that may hold it, outliving
// it, inside the caller's scope) and cycles. Any problem returns
// antq.ImportErrors naming file, row and column, and nothing is written.
//
// On success the records are completed in place: Unit.ID, Unit.ParentID and
// the default managing level of organisations (from the parent's kind).
//
// Ids are allocated in Go in one block (SQLite: MAX(id)+1 under the write
// lock; PostgreSQL: a block of the identity sequence, with the units table
// locked against other writers), so no row needs a round trip for its id.
func (db *DB) ImportUnits(ctx context.Context, file string, recs []antq.UnitRecord) (ImportResult, error) {
	start := time.Now()
	res := ImportResult{File: file}
	user := antq.UserFromContext(ctx)
	if user == nil {
		return res, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	if len(recs) == 0 {
		return res, antq.ImportErrors{{File: file, Reason: "không có đơn vị nào để nhập (no units to import)"}}
	}

	// A dedicated connection: on PostgreSQL the bulk copy runs on the very
	// session that holds the transaction.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	defer conn.Close()
	// A bulk load (a nation's units into a young database) is faster with
	// the secondary indexes and foreign keys of the unit tables rebuilt or
	// checked once at the end than maintained row by row: when the file is
	// large and at least a quarter of the units already there (ids are
	// dense, so the largest id counts them well enough).
	var maxID int64
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM units`).Scan(&maxID); err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	bulk := len(recs) >= bulkMinRows && int64(len(recs))*4 >= maxID
	if bulk && db.engine == SQLite {
		// Connection settings for the load, put back afterwards: foreign keys
		// (switched per connection, outside transactions) are checked in
		// full before commit; the index rebuild sorts with a helper thread.
		for _, p := range []string{`PRAGMA foreign_keys = OFF`, `PRAGMA threads = 2`} {
			if _, err := conn.ExecContext(ctx, p); err != nil {
				return res, fmt.Errorf("import units: %s: %w", p, err)
			}
		}
		defer func() {
			for _, p := range []string{`PRAGMA foreign_keys = ON`, `PRAGMA threads = 0`} {
				if _, err := conn.ExecContext(context.Background(), p); err != nil {
					conn.Raw(func(any) error { return driver.ErrBadConn }) // never reuse it as it is
					return
				}
			}
		}()
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("import units: begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, db: db, now: db.Now().UTC()}
	defer tx.Rollback()
	if db.engine == Postgres {
		// One unit writer at a time: the overlap checks below must see every
		// unit that could conflict, and ids are taken as one block. Readers
		// are not blocked.
		if _, err := tx.ExecContext(ctx, `LOCK TABLE units IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return res, fmt.Errorf("import units: lock: %w", err)
		}
	}

	plan, err := db.planImport(ctx, tx, user, file, recs)
	if err != nil {
		return res, err
	}
	firstID, err := db.allocateUnitIDs(ctx, tx, len(recs))
	if err != nil {
		return res, err
	}
	for i := range recs {
		u := &recs[i].Unit
		u.ID = firstID + int64(i)
		switch p := plan.parent[i]; {
		case p > 0:
			u.ParentID = p
		case p < 0:
			u.ParentID = firstID + (-p - 1)
		default:
			u.ParentID = 0
		}
		if u.Size.AsOf.IsZero() {
			u.Size.AsOf = u.ValidFrom
		}
	}
	plan.parent = nil // the ids say it all now

	var restore []string
	if bulk {
		if restore, err = db.suspendUnitIndexes(ctx, tx); err != nil {
			return res, err
		}
	}
	if db.engine == Postgres {
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("unexpected driver connection %T", dc)
			}
			res.Sizes, err = copyUnitsPostgres(ctx, c.Conn(), recs)
			return err
		})
	} else {
		res.Sizes, err = insertUnitsSQLite(ctx, tx, recs)
	}
	if err != nil {
		return res, fmt.Errorf("import units: %w", err)
	}
	for _, stmt := range restore {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return res, fmt.Errorf("import units: restore %q: %w", stmt, err)
		}
	}
	if bulk && db.engine == SQLite {
		if err := foreignKeyCheck(ctx, tx, "unit_links", "unit_sizes"); err != nil {
			return res, err
		}
	}

	// New units change plans' trees: their figures are rebuilt on next use
	// (a rebuild writes only what differs).
	if err := db.invalidateIndicators(ctx, tx); err != nil {
		return res, err
	}
	res.Units = len(recs)
	for _, k := range antq.UnitKinds {
		if n := plan.byKind[k]; n > 0 {
			res.ByKind = append(res.ByKind, antq.KindCount{Kind: k, Count: n})
		}
	}
	var unitID int64
	if len(recs) == 1 {
		unitID = recs[0].Unit.ID
	}
	if err := db.audit(ctx, tx, auditEntry{Action: "import", Entity: "unit", Key: file, UnitID: unitID,
		New: struct {
			File    string           `json:"file"`
			Units   int              `json:"units"`
			ByKind  []antq.KindCount `json:"by_kind"`
			FirstID int64            `json:"first_id"`
		}{file, res.Units, res.ByKind, firstID}}); err != nil {
		return res, err
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("import units: commit: %w", err)
	}
	res.Duration = time.Since(start)
	if bulk {
		// PostgreSQL plans with stale statistics after a bulk load (finding
		// one unit by code walked a whole index); refresh them.
		if err := db.Analyze(ctx, "units", "unit_links", "unit_sizes"); err != nil {
			return res, err
		}
	}
	return res, nil
}

// CreateUnit adds one unit: a one-record import, with the same checks. On
// success u.ID, u.ParentID and the default managing level are set. Errors
// are EINVALID (ECONFLICT for a duplicate code) with the reason per field.
func (db *DB) CreateUnit(ctx context.Context, u *antq.Unit) error {
	recs := []antq.UnitRecord{{Unit: *u}}
	if _, err := db.ImportUnits(ctx, "", recs); err != nil {
		var ie antq.ImportErrors
		if !errors.As(err, &ie) {
			return err
		}
		e := &antq.Error{Code: antq.EINVALID, Message: "Thông tin đơn vị không hợp lệ", Fields: map[string]string{}, Err: ie}
		for _, re := range ie {
			field := re.Column
			if field == "level" {
				field = "kind"
			}
			if strings.HasPrefix(re.Reason, reasonCodeExists) {
				e.Code = antq.ECONFLICT
			}
			if _, ok := e.Fields[field]; !ok {
				e.Fields[field] = re.Reason
			}
		}
		return e
	}
	*u = recs[0].Unit
	return nil
}

// ---- checks ----

// importPlan is what the checks found out: each record's parent.
type importPlan struct {
	// parent of each record: a database id (> 0), -(j+1) for record j of
	// the file, or 0 for a root.
	parent []int64
	byKind map[antq.UnitKind]int
}

// existingUnit is a version of a unit already in the database.
type existingUnit struct {
	id       int64
	kind     antq.UnitKind
	from, to antq.Date
}

const (
	reasonCodeExists = "mã đã tồn tại"
	// lookupByCodeMax is the number of codes above which the checks read the
	// whole units table once instead of asking code by code.
	lookupByCodeMax = 2000
)

func overlaps(aFrom, aTo, bFrom, bTo antq.Date) bool {
	return (bTo.IsZero() || !aFrom.After(bTo)) && (aTo.IsZero() || !bFrom.After(aTo))
}

// validityText shows a validity interval to a reader.
func validityText(from, to antq.Date) string {
	if to.IsZero() {
		return "từ " + from.String()
	}
	return from.String() + " – " + to.String()
}

// planImport runs every check; it returns antq.ImportErrors when any fails.
func (db *DB) planImport(ctx context.Context, tx *Tx, user *antq.User, file string, recs []antq.UnitRecord) (*importPlan, error) {
	var errs rowErrors
	fail := func(i int, column, format string, args ...any) {
		errs.add(antq.RowError{File: file, Row: recs[i].Row, Column: column, Reason: fmt.Sprintf(format, args...)})
	}

	// 1. Each record's own fields, and codes within the file. A code may
	// appear more than once only as versions whose validity does not overlap.
	index := make(map[string]int32, len(recs))
	var versions map[string][]int32 // codes with several versions in the file
	for i := range recs {
		u := &recs[i].Unit
		if err := u.Validate(); err != nil {
			fields := antq.ErrorFields(err)
			for _, f := range slices.Sorted(maps.Keys(fields)) {
				fail(i, fieldColumn(f), "%s", fields[f])
			}
		}
		if !antq.ValidCode(u.Code) || u.ValidFrom.IsZero() {
			continue
		}
		first, seen := index[u.Code]
		if !seen {
			index[u.Code] = int32(i)
			continue
		}
		vs := versions[u.Code]
		if vs == nil {
			vs = []int32{first}
		}
		dup := slices.IndexFunc(vs, func(j int32) bool {
			o := &recs[j].Unit
			return overlaps(u.ValidFrom, u.ValidTo, o.ValidFrom, o.ValidTo)
		})
		if dup >= 0 {
			fail(i, "code", "mã trùng trong tệp (duplicate code): %s đã có ở dòng %d", u.Code, recs[vs[dup]].Row)
			continue
		}
		if versions == nil {
			versions = map[string][]int32{}
		}
		versions[u.Code] = append(vs, int32(i))
	}

	// 2. The versions already in the database of every code the file names.
	existing, err := db.existingUnits(ctx, tx, recs, index)
	if err != nil {
		return nil, err
	}
	callerRoot, err := db.isRoot(ctx, tx, user.UnitID)
	if err != nil {
		return nil, err
	}

	// 3. Each record against the database and its parent.
	plan := &importPlan{parent: make([]int64, len(recs)), byKind: map[antq.UnitKind]int{}}
	dbParents := map[int64]antq.Date{} // for the scope check: a date each is linked on
	for i := range recs {
		u := &recs[i].Unit
		plan.byKind[u.Kind]++
		for _, e := range existing[u.Code] {
			if overlaps(u.ValidFrom, u.ValidTo, e.from, e.to) {
				fail(i, "code", "%s: %s (%s, hiệu lực %s) (code already exists)", reasonCodeExists, u.Code, e.kind, validityText(e.from, e.to))
				break
			}
		}
		if !u.Kind.Valid() || u.ValidFrom.IsZero() {
			continue // reported by Validate
		}
		if u.ParentCode == "" {
			switch {
			case u.Kind != antq.KindNation && u.Kind != antq.KindProvince:
				fail(i, "parent_code", "cần mã đơn vị cha cho loại %s (parent_code required)", u.Kind)
			case !callerRoot:
				fail(i, "parent_code", "chỉ tài khoản cấp cao nhất được tạo đơn vị gốc (only a root user may add a unit without parent)")
			}
			continue
		}
		if u.ParentCode == u.Code {
			fail(i, "parent_code", "vòng lặp cha-con (cycle): %s là cha của chính nó", u.Code)
			continue
		}
		// The parent version in force on the unit's first day: the file first
		// (versions there do not overlap the database's, or they were reported).
		var ref int64
		var pKind antq.UnitKind
		var pTo antq.Date
		known := false
		if j, ok := index[u.ParentCode]; ok {
			known = true
			candidates := versions[u.ParentCode] // every version, when there are several
			if candidates == nil {
				candidates = []int32{j}
			}
			for _, k := range candidates {
				if p := &recs[k].Unit; p.ActiveOn(u.ValidFrom) {
					ref, pKind, pTo = -int64(k)-1, p.Kind, p.ValidTo
					break
				}
			}
		}
		if ref == 0 {
			for _, e := range existing[u.ParentCode] {
				known = true
				if antq.Covers(e.from, e.to, u.ValidFrom) {
					ref, pKind, pTo = e.id, e.kind, e.to
					dbParents[e.id] = u.ValidFrom
					break
				}
			}
		}
		switch {
		case ref == 0 && known:
			fail(i, "parent_code", "mã cha %s không có hiệu lực ngày %s (parent not in force on the unit's valid_from)", u.ParentCode, u.ValidFrom)
			continue
		case ref == 0:
			fail(i, "parent_code", "mã cha không tồn tại: %s (unknown parent code)", u.ParentCode)
			continue
		}
		plan.parent[i] = ref
		if pKind.Valid() && !antq.AllowedParent(u.Kind, pKind) {
			fail(i, "parent_code", "%s không thể trực thuộc %s (mã cha %s) (parent kind not allowed: %s under %s)",
				u.Kind.Label(), strings.ToLower(pKind.Label()), u.ParentCode, u.Kind, pKind)
		}
		if !pTo.IsZero() && (u.ValidTo.IsZero() || u.ValidTo.After(pTo)) {
			fail(i, "valid_to", "đơn vị cha %s hết hiệu lực ngày %s: đơn vị này phải kết thúc không muộn hơn (unit outlives its parent)", u.ParentCode, pTo)
		}
		if u.Kind.Organisation() && u.ManagingLevel == "" {
			u.ManagingLevel = antq.DefaultManagingLevel(pKind)
		}
	}

	// 4. Cycles among parents in the file (the kind rules forbid them too,
	// but a wrong kind must not hide a loop).
	findCycles(recs, plan.parent, func(i int, chain string) {
		fail(i, "parent_code", "vòng lặp cha-con (cycle): %s", chain)
	})

	// 5. Scope: a caller below the root may only add under units in its
	// subtree; a parent outside it does not exist for the caller.
	if !callerRoot && len(dbParents) > 0 {
		outside := map[int64]bool{}
		for id, on := range dbParents {
			in, err := db.inScope(ctx, tx, id, on)
			if err != nil {
				return nil, err
			}
			if !in {
				outside[id] = true
			}
		}
		for i, p := range plan.parent {
			if outside[p] {
				fail(i, "parent_code", "mã cha không tồn tại: %s (unknown parent code)", recs[i].Unit.ParentCode)
			}
		}
	}

	if len(errs.list) > 0 {
		return nil, errs.sorted()
	}
	return plan, nil
}

// fieldColumn names the file column of a Unit field.
func fieldColumn(field string) string {
	if field == "kind" {
		return "level"
	}
	return field
}

// findCycles walks the parent chains inside the file once and calls report
// for every record on a loop, with the loop written out.
func findCycles(recs []antq.UnitRecord, parent []int64, report func(i int, chain string)) {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]uint8, len(recs))
	var path []int
	for i := range recs {
		path = path[:0]
		for j := i; state[j] == unseen; {
			state[j] = onPath
			path = append(path, j)
			p := parent[j]
			if p >= 0 {
				break // a root or a database parent ends the chain
			}
			next := int(-p - 1)
			if state[next] == onPath {
				loop := path[slices.Index(path, next):]
				codes := make([]string, 0, len(loop)+1)
				for _, k := range loop {
					codes = append(codes, recs[k].Unit.Code)
				}
				codes = append(codes, recs[next].Unit.Code)
				chain := strings.Join(codes, " → ")
				for _, k := range loop {
					report(k, chain)
				}
				break
			}
			j = next
		}
		for _, k := range path {
			state[k] = done
		}
	}
}

// existingUnits returns the versions in the database of the codes the file
// names (its units and their parents). A small file asks code by code; a
// large one reads the units table once.
func (db *DB) existingUnits(ctx context.Context, q querier, recs []antq.UnitRecord, index map[string]int32) (map[string][]existingUnit, error) {
	parentsOnly := map[string]bool{}
	for i := range recs {
		if c := recs[i].Unit.ParentCode; c != "" {
			if _, ok := index[c]; !ok {
				parentsOnly[c] = true
			}
		}
	}
	wanted := func(code string) bool {
		_, ok := index[code]
		return ok || parentsOnly[code]
	}
	out := map[string][]existingUnit{}
	scan := func(rows *sql.Rows) error {
		defer rows.Close()
		var code, kind sql.RawBytes
		var e existingUnit
		for rows.Next() {
			if err := rows.Scan(&e.id, &code, &kind, &e.from, &e.to); err != nil {
				return fmt.Errorf("import units: read existing: %w", err)
			}
			if wanted(string(code)) {
				k, _ := kindOf(string(kind))
				e.kind = k
				out[string(code)] = append(out[string(code)], e)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("import units: read existing: %w", err)
		}
		return nil
	}
	const sel = `SELECT id, code, kind, valid_from, valid_to FROM units`
	if len(index)+len(parentsOnly) > lookupByCodeMax {
		rows, err := q.QueryContext(ctx, sel)
		if err != nil {
			return nil, fmt.Errorf("import units: read existing: %w", err)
		}
		return out, scan(rows)
	}
	codes := make([]string, 0, len(index)+len(parentsOnly))
	for c := range index {
		codes = append(codes, c)
	}
	for c := range parentsOnly {
		codes = append(codes, c)
	}
	for chunk := range slices.Chunk(codes, 500) {
		args := make([]any, len(chunk))
		marks := make([]string, len(chunk))
		for i, c := range chunk {
			args[i], marks[i] = c, fmt.Sprintf("$%d", i+1)
		}
		rows, err := q.QueryContext(ctx, sel+` WHERE code IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("import units: read existing: %w", err)
		}
		if err := scan(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// kindOf returns the UnitKind constant spelled s.
func kindOf(s string) (antq.UnitKind, bool) {
	for _, k := range antq.UnitKinds {
		if string(k) == s {
			return k, true
		}
	}
	return antq.UnitKind(s), false
}

// inScope reports whether the unit id is inside the caller's subtree on day on.
func (db *DB) inScope(ctx context.Context, q querier, id int64, on antq.Date) (bool, error) {
	args := []any{id, on}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	cond, err := db.scopeCondition(ctx, q, "u.id", "$2", arg)
	if err != nil {
		return false, err
	}
	if cond == "" {
		return true, nil
	}
	var n int
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM units u WHERE u.id = $1 AND `+cond, args...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("import units: scope: %w", err)
	}
	return n > 0, nil
}

// rowErrors collects row errors up to antq.MaxReportedRowErrors.
type rowErrors struct {
	list antq.ImportErrors
	more int
}

func (e *rowErrors) add(re antq.RowError) {
	if len(e.list) < antq.MaxReportedRowErrors-1 {
		e.list = append(e.list, re)
	} else {
		e.more++
	}
}

// sorted returns the errors in row order, with a last line saying how many
// more were found when there were too many to list.
func (e *rowErrors) sorted() antq.ImportErrors {
	slices.SortStableFunc(e.list, func(a, b antq.RowError) int { return cmp.Compare(a.Row, b.Row) })
	if e.more > 0 {
		file := e.list[0].File
		e.list = append(e.list, antq.RowError{File: file,
			Reason: fmt.Sprintf("… và %d lỗi khác không liệt kê (and %d more errors)", e.more, e.more)})
	}
	return e.list
}

// ---- writing ----

// allocateUnitIDs reserves n consecutive unit ids and returns the first.
func (db *DB) allocateUnitIDs(ctx context.Context, tx *Tx, n int) (int64, error) {
	var first int64
	if db.engine != Postgres {
		// The write lock is held since BEGIN IMMEDIATE: nobody else inserts.
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM units`).Scan(&first); err != nil {
			return 0, fmt.Errorf("import units: ids: %w", err)
		}
		return first, nil
	}
	// The table lock keeps other unit writers out, so the block from the
	// sequence's next value (or past any id written explicitly) is ours; the
	// sequence is moved past it for later inserts.
	var seq string
	if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence('units', 'id')`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	err := tx.QueryRowContext(ctx, `SELECT GREATEST(nextval($1::regclass), (SELECT COALESCE(MAX(id), 0) + 1 FROM units))`, seq).Scan(&first)
	if err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT setval($1::regclass, $2)`, seq, first+int64(n)-1); err != nil {
		return 0, fmt.Errorf("import units: ids: %w", err)
	}
	return first, nil
}

// bulkMinRows is the size from which an import that is also at least a
// quarter of the existing units rebuilds indexes and checks foreign keys at
// the end.
const bulkMinRows = 20_000

// suspendUnitIndexes drops the non-unique secondary indexes of units,
// unit_links and unit_sizes and, on PostgreSQL, the foreign keys of
// unit_links and unit_sizes (each checked by a trigger per row there), and
// returns the statements that put them back, exactly as the schema defines
// them. Unique indexes stay: they guard the data. On PostgreSQL the DDL
// holds an exclusive lock on the tables until commit, so readers of units
// wait for a bulk import to finish; SQLite readers keep reading their
// snapshot.
func (db *DB) suspendUnitIndexes(ctx context.Context, tx *Tx) (restore []string, err error) {
	type object struct{ drop, create string }
	var objs []object
	collect := func(query string) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var o object
			if err := rows.Scan(&o.drop, &o.create); err != nil {
				return err
			}
			objs = append(objs, o)
		}
		return rows.Err()
	}
	if db.engine == Postgres {
		err = collect(`
SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
FROM pg_index i
WHERE i.indrelid IN ('units'::regclass, 'unit_links'::regclass, 'unit_sizes'::regclass)
  AND NOT i.indisunique AND NOT i.indisprimary
ORDER BY 1`)
		if err == nil {
			err = collect(`
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
FROM pg_constraint c
WHERE c.contype = 'f' AND c.conrelid IN ('unit_links'::regclass, 'unit_sizes'::regclass)
ORDER BY 1`)
		}
	} else {
		err = collect(`
SELECT 'DROP INDEX "' || name || '"', sql FROM sqlite_master
WHERE type = 'index' AND tbl_name IN ('units', 'unit_links', 'unit_sizes')
  AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'
ORDER BY name`)
	}
	if err != nil {
		return nil, fmt.Errorf("import units: list indexes: %w", err)
	}
	for _, o := range objs {
		if _, err := tx.ExecContext(ctx, o.drop); err != nil {
			return nil, fmt.Errorf("import units: %s: %w", o.drop, err)
		}
		restore = append(restore, o.create)
	}
	return restore, nil
}

// foreignKeyCheck fails when a row of the tables breaks a foreign key
// (SQLite, after loading with foreign keys off).
func foreignKeyCheck(ctx context.Context, tx *Tx, tables ...string) error {
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check($1)`, t)
		if err != nil {
			return fmt.Errorf("import units: foreign key check: %w", err)
		}
		var table, parent string
		var rowid sql.NullInt64
		found := rows.Next()
		if found {
			err = rows.Scan(&table, &rowid, &parent)
		}
		rows.Close()
		if err != nil {
			return fmt.Errorf("import units: foreign key check: %w", err)
		} else if found {
			return fmt.Errorf("import units: %s row %d refers to a missing %s row", table, rowid.Int64, parent)
		}
	}
	return nil
}

var (
	unitInsertColumns = []string{"id", "code", "kind", "name", "type_label", "name_folded", "sort_key",
		"managing_level", "armed_forces", "small_enterprise", "primary_school", "valid_from", "valid_to"}
	linkInsertColumns = []string{"unit_id", "parent_id", "valid_from", "valid_to"}
	sizeInsertColumns = []string{"unit_id", "as_of", "households", "staff", "pupils"}
)

func hasSize(u *antq.Unit) bool {
	return u.Size.Households != nil || u.Size.Staff != nil || u.Size.Pupils != nil
}

func intOrNil(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// insertUnitsSQLite writes the units, their links and sizes with prepared
// multi-row INSERTs (SQLite only: the statements use '?' parameters).
func insertUnitsSQLite(ctx context.Context, tx *Tx, recs []antq.UnitRecord) (sizes int, err error) {
	dateText := func(d antq.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.String()
	}
	names := deriveNames(ctx, recs)
	defer names.stop()
	w := newBatchInserter(ctx, tx, "units", unitInsertColumns)
	for i := range recs {
		folded, key, err := names.next()
		if err != nil {
			return 0, err
		}
		u := &recs[i].Unit
		w.args = append(w.args, u.ID, u.Code, string(u.Kind), u.Name, u.Type, folded, key, string(u.ManagingLevel),
			u.Flags.ArmedForces, u.Flags.SmallEnterprise, u.Flags.PrimarySchool, u.ValidFrom.String(), dateText(u.ValidTo))
		if err := w.rowDone(); err != nil {
			return 0, err
		}
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	w = newBatchInserter(ctx, tx, "unit_links", linkInsertColumns)
	for i := range recs {
		if u := &recs[i].Unit; u.ParentID != 0 {
			w.args = append(w.args, u.ID, u.ParentID, u.ValidFrom.String(), dateText(u.ValidTo))
			if err := w.rowDone(); err != nil {
				return 0, err
			}
		}
	}
	if err := w.close(); err != nil {
		return 0, err
	}
	w = newBatchInserter(ctx, tx, "unit_sizes", sizeInsertColumns)
	for i := range recs {
		if u := &recs[i].Unit; hasSize(u) {
			w.args = append(w.args, u.ID, u.Size.AsOf.String(), intOrNil(u.Size.Households), intOrNil(u.Size.Staff), intOrNil(u.Size.Pupils))
			if err := w.rowDone(); err != nil {
				return 0, err
			}
			sizes++
		}
	}
	return sizes, w.close()
}

// batchInserter sends rows as multi-row INSERT statements; the statement for
// a full batch is prepared once.
type batchInserter struct {
	ctx   context.Context
	tx    *Tx
	table string
	cols  []string
	batch int
	stmt  *sql.Stmt
	args  []any // values of the rows not sent yet
	rows  int
	err   error
}

// batchParams bounds the parameters of one statement (SQLite allows 32766).
const batchParams = 8000

func newBatchInserter(ctx context.Context, tx *Tx, table string, cols []string) *batchInserter {
	batch := batchParams / len(cols)
	return &batchInserter{ctx: ctx, tx: tx, table: table, cols: cols, batch: batch, args: make([]any, 0, batch*len(cols))}
}

// insertSQL writes the statement with anonymous '?' parameters: SQLite
// looks numbered ones ($1) up by name, which grows with the square of their
// number.
func (w *batchInserter) insertSQL(rows int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", w.table, strings.Join(w.cols, ", "))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(w.cols)), ", ") + ")"
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	return b.String()
}

// rowDone ends the row whose values were appended to args.
func (w *batchInserter) rowDone() error {
	w.rows++
	if w.rows < w.batch {
		return nil
	}
	if w.stmt == nil {
		if w.stmt, w.err = w.tx.PrepareContext(w.ctx, w.insertSQL(w.batch)); w.err != nil {
			return fmt.Errorf("insert %s: %w", w.table, w.err)
		}
	}
	if _, err := w.stmt.ExecContext(w.ctx, w.args...); err != nil {
		return fmt.Errorf("insert %s: %w", w.table, err)
	}
	clear(w.args) // drop references to the sent values
	w.args, w.rows = w.args[:0], 0
	return nil
}

// close sends the last, partial batch and releases the statement.
func (w *batchInserter) close() error {
	if w.stmt != nil {
		defer w.stmt.Close()
	}
	if w.rows == 0 {
		return nil
	}
	if _, err := w.tx.ExecContext(w.ctx, w.insertSQL(w.rows), w.args...); err != nil {
		return fmt.Errorf("insert %s: %w", w.table, err)
	}
	return nil
}

// copyUnitsPostgres writes the units, links and sizes with COPY on the
// transaction's connection.
func copyUnitsPostgres(ctx context.Context, c *pgx.Conn, recs []antq.UnitRecord) (sizes int, err error) {
	dateOrNil := func(d antq.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.Time()
	}
	names := deriveNames(ctx, recs)
	defer names.stop()
	vals := make([]any, len(unitInsertColumns))
	i := -1
	units := &copySource{next: func() ([]any, bool, error) {
		if i++; i >= len(recs) {
			return nil, false, nil
		}
		folded, key, err := names.next()
		if err != nil {
			return nil, false, err
		}
		u := &recs[i].Unit
		vals[0], vals[1], vals[2], vals[3], vals[4] = u.ID, u.Code, string(u.Kind), u.Name, u.Type
		vals[5], vals[6], vals[7] = folded, key, string(u.ManagingLevel)
		vals[8], vals[9], vals[10] = u.Flags.ArmedForces, u.Flags.SmallEnterprise, u.Flags.PrimarySchool
		vals[11], vals[12] = u.ValidFrom.Time(), dateOrNil(u.ValidTo)
		return vals, true, nil
	}}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"units"}, unitInsertColumns, units); err != nil {
		return 0, fmt.Errorf("copy units: %w", err)
	}

	linkVals := make([]any, len(linkInsertColumns))
	i = -1
	links := &copySource{next: func() ([]any, bool, error) {
		for i++; i < len(recs); i++ {
			if u := &recs[i].Unit; u.ParentID != 0 {
				linkVals[0], linkVals[1], linkVals[2], linkVals[3] = u.ID, u.ParentID, u.ValidFrom.Time(), dateOrNil(u.ValidTo)
				return linkVals, true, nil
			}
		}
		return nil, false, nil
	}}
	if _, err := c.CopyFrom(ctx, pgx.Identifier{"unit_links"}, linkInsertColumns, links); err != nil {
		return 0, fmt.Errorf("copy unit_links: %w", err)
	}

	sizeVals := make([]any, len(sizeInsertColumns))
	i = -1
	sizeRows := &copySource{next: func() ([]any, bool, error) {
		for i++; i < len(recs); i++ {
			if u := &recs[i].Unit; hasSize(u) {
				sizeVals[0], sizeVals[1] = u.ID, u.Size.AsOf.Time()
				sizeVals[2], sizeVals[3], sizeVals[4] = intOrNil(u.Size.Households), intOrNil(u.Size.Staff), intOrNil(u.Size.Pupils)
				return sizeVals, true, nil
			}
		}
		return nil, false, nil
	}}
	n, err := c.CopyFrom(ctx, pgx.Identifier{"unit_sizes"}, sizeInsertColumns, sizeRows)
	if err != nil {
		return 0, fmt.Errorf("copy unit_sizes: %w", err)
	}
	return int(n), nil
}

// copySource adapts a row function to pgx.CopyFromSource.
type copySource struct {
	next func() ([]any, bool, error)
	vals []any
	err  error
}

func (s *copySource) Next() bool {
	var ok bool
	s.vals, ok, s.err = s.next()
	return ok && s.err == nil
}
func (s *copySource) Values() ([]any, error) { return s.vals, nil }
func (s *copySource) Err() error             { return s.err }

// nameDeriver computes each record's folded name and collation key on a
// second goroutine, a chunk ahead of the writer: collation costs about as
// much as the insert, and a 2-core machine can do both at once. Memory stays
// at a few chunks whatever the file size.
type nameDeriver struct {
	ch     chan nameChunk
	done   chan struct{}
	cur    nameChunk
	pos    int
	cancel context.CancelFunc
}

type nameChunk struct {
	folded []string
	keys   [][]byte
}

const nameChunkSize = 2048

func deriveNames(ctx context.Context, recs []antq.UnitRecord) *nameDeriver {
	ctx, cancel := context.WithCancel(ctx)
	d := &nameDeriver{ch: make(chan nameChunk, 4), done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(d.done)
		defer close(d.ch)
		// Names repeat a lot (Ấp 1, Khu phố 2, Trường Tiểu học …): remember
		// recent ones.
		type derived struct {
			folded string
			key    []byte
		}
		cache := make(map[string]derived, 4096)
		var folder wordFolder
		for chunk := range slices.Chunk(recs, nameChunkSize) {
			c := nameChunk{folded: make([]string, len(chunk)), keys: make([][]byte, len(chunk))}
			for i := range chunk {
				name := chunk[i].Unit.Name
				v, ok := cache[name]
				if !ok {
					v = derived{folder.fold(name), antq.SortKey(name)}
					if len(cache) >= 50000 {
						clear(cache)
					}
					cache[name] = v
				}
				c.folded[i], c.keys[i] = v.folded, v.key
			}
			select {
			case d.ch <- c:
			case <-ctx.Done():
				return
			}
		}
	}()
	return d
}

// next returns the folded name and sort key of the next record.
func (d *nameDeriver) next() (string, []byte, error) {
	if d.pos == len(d.cur.folded) {
		c, ok := <-d.ch
		if !ok {
			return "", nil, errors.New("import units: names ended early")
		}
		d.cur, d.pos = c, 0
	}
	f, k := d.cur.folded[d.pos], d.cur.keys[d.pos]
	d.pos++
	return f, k, nil
}

// stop ends the goroutine and waits for it.
func (d *nameDeriver) stop() {
	d.cancel()
	<-d.done
}

// wordFolder computes antq.Fold word by word with a cache: Vietnamese has a
// few thousand syllables, so nearly every word of a large file is folded
// once. Fold works on each character and its combining marks and collapses
// white space, so folding the words of a name one by one and joining them
// with single spaces gives the same text (TestWordFolderMatchesFold).
type wordFolder struct {
	words map[string]string
	buf   strings.Builder
}

func (f *wordFolder) fold(s string) string {
	if f.words == nil {
		f.words = make(map[string]string, 8192)
	}
	f.buf.Reset()
	for w := range strings.FieldsSeq(s) {
		fw, ok := f.words[w]
		if !ok {
			fw = antq.Fold(w)
			if len(f.words) >= 100_000 {
				clear(f.words)
			}
			f.words[w] = fw
		}
		if fw == "" {
			continue
		}
		if f.buf.Len() > 0 {
			f.buf.WriteByte(' ')
		}
		f.buf.WriteString(fw)
	}
	return f.buf.String()
}
