package main

// Direct, read-only looks at an instance's database, for what the
// command line does not show: per-table content hashes, the schema
// version, the evidence files the database names.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// openDirect opens the instance's database with the harness's own
// connection (the server should be stopped or idle).
func openDirect(in *instance) (*sql.DB, error) {
	if in.engine() == "postgres" {
		return sql.Open("pgx", in.dsn)
	}
	return sql.Open("sqlite", "file:"+in.sqlitePath()+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
}

// tableColumns lists the tables of the database and their columns in
// order.
func tableColumns(ctx context.Context, db *sql.DB, engine string) (map[string][]string, error) {
	out := map[string][]string{}
	var rows *sql.Rows
	var err error
	if engine == "postgres" {
		rows, err = db.QueryContext(ctx, `SELECT c.table_name, c.column_name FROM information_schema.columns c
JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`)
	} else {
		rows, err = db.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`)
	}
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// tableHash is a table's row count and the SHA-256 of its rows (the given
// columns, every row in the order of those columns), each value written
// with its Go type so that NULL, ” and 0 differ.
type tableHash struct {
	rows int64
	sum  string
}

func hashTable(ctx context.Context, db *sql.DB, table string, cols []string) (tableHash, error) {
	quoted := make([]string, len(cols))
	order := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c + `"`
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err := db.QueryContext(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM "`+table+`" ORDER BY `+strings.Join(order, ", "))
	if err != nil {
		return tableHash{}, fmt.Errorf("%s: %w", table, err)
	}
	defer rows.Close()
	h := sha256.New()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return tableHash{}, fmt.Errorf("%s: %w", table, err)
		}
		for _, v := range vals {
			switch x := v.(type) {
			case nil:
				h.Write([]byte("N|"))
			case []byte:
				fmt.Fprintf(h, "b%d:%x|", len(x), x)
			case time.Time:
				fmt.Fprintf(h, "t%s|", x.UTC().Format(time.RFC3339Nano))
			case string:
				fmt.Fprintf(h, "s%d:%s|", len(x), x)
			default:
				fmt.Fprintf(h, "%T:%v|", x, x)
			}
		}
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		return tableHash{}, fmt.Errorf("%s: %w", table, err)
	}
	return tableHash{rows: n, sum: hex.EncodeToString(h.Sum(nil))}, nil
}

// contentHashes hashes every table of the instance; with only, each table
// is hashed on the columns only gives for it (tables missing from only are
// left out).
func contentHashes(ctx context.Context, in *instance, only map[string][]string) (map[string]tableHash, map[string][]string, error) {
	db, err := openDirect(in)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	tables, err := tableColumns(ctx, db, in.engine())
	if err != nil {
		return nil, nil, err
	}
	out := map[string]tableHash{}
	for t, cols := range tables {
		if only != nil {
			c, ok := only[t]
			if !ok {
				continue
			}
			cols = c
		}
		if out[t], err = hashTable(ctx, db, t, cols); err != nil {
			return nil, nil, err
		}
	}
	return out, tables, nil
}

// compareHashes lists the tables whose content differs.
func compareHashes(want, got map[string]tableHash) []string {
	var diff []string
	for t, w := range want {
		g, ok := got[t]
		switch {
		case !ok:
			diff = append(diff, t+": missing")
		case g != w:
			diff = append(diff, fmt.Sprintf("%s: %d rows %s…, want %d rows %s…", t, g.rows, g.sum[:12], w.rows, w.sum[:12]))
		}
	}
	for t := range got {
		if _, ok := want[t]; !ok {
			diff = append(diff, t+": unexpected table")
		}
	}
	sort.Strings(diff)
	return diff
}

// schemaVersion is the highest migration recorded in the database (0 if
// none).
func schemaVersion(ctx context.Context, in *instance) (int, error) {
	db, err := openDirect(in)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil && strings.Contains(err.Error(), "schema_migrations") {
		return 0, nil // not even the version table yet
	}
	return int(v.Int64), err
}

// referencedFiles lists the evidence files the database names.
func referencedFiles(ctx context.Context, in *instance) ([]string, error) {
	db, err := openDirect(in)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT sha256 FROM files ORDER BY sha256`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func sumRows(h map[string]tableHash) (n int64) {
	for _, t := range h {
		n += t.rows
	}
	return n
}

// schemaOf describes the instance's schema: every table with its columns,
// and every index, one line each, sorted.
func schemaOf(ctx context.Context, in *instance) ([]string, error) {
	db, err := openDirect(in)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	tables, err := tableColumns(ctx, db, in.engine())
	if err != nil {
		return nil, err
	}
	var out []string
	for t, cols := range tables {
		out = append(out, "table "+t+"("+strings.Join(cols, ", ")+")")
	}
	q := `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
	if in.engine() == "postgres" {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, "index "+n)
	}
	sort.Strings(out)
	return out, rows.Err()
}
