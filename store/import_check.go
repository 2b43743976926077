package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"antq"
)

// The checks of ImportUnits: every record against its own fields, the file,
// the database and the caller's scope, before anything is written.

// checkedImport is what the checks found out: each record's parent.
type checkedImport struct {
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

// checkImport runs every check; it returns antq.ImportErrors when any fails.
func (db *DB) checkImport(ctx context.Context, tx *Tx, user *antq.User, file string, recs []antq.UnitRecord) (*checkedImport, error) {
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
	checked := &checkedImport{parent: make([]int64, len(recs)), byKind: map[antq.UnitKind]int{}}
	dbParents := map[int64]antq.Date{} // for the scope check: a date each is linked on
	for i := range recs {
		u := &recs[i].Unit
		checked.byKind[u.Kind]++
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
		checked.parent[i] = ref
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
	findCycles(recs, checked.parent, func(i int, chain string) {
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
		for i, p := range checked.parent {
			if outside[p] {
				fail(i, "parent_code", "mã cha không tồn tại: %s (unknown parent code)", recs[i].Unit.ParentCode)
			}
		}
	}

	if len(errs.list) > 0 {
		return nil, errs.sorted()
	}
	return checked, nil
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
