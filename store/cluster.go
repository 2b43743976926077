package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"antq"
	"antq/cluster"
	"antq/rules"
)

// Emulation clusters and blocks (issue 14). Reads and writes follow the
// store's pattern: load the cluster and the caller's relation to it
// (cluster.RelationOf), ask package cluster whether the step is allowed and
// whether the input is valid, write in one transaction with the audit.
// A cluster the caller has no relation to does not exist for it (404).

// clusterTx runs fn in a write transaction; a step refused for the
// caller's role or relation (a refusal from refuseCluster) is appended to
// the audit trail in a transaction of its own, as the facts' refusals are.
func (db *DB) clusterTx(ctx context.Context, fn func(tx *Tx) error) error {
	err := db.inTx(ctx, fn)
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	if aerr := db.inTx(ctx, func(tx *Tx) error { return db.audit(ctx, tx, r.entry) }); aerr != nil {
		return aerr
	}
	return r.err
}

// refuseCluster wraps a refusal of a step on c (err from a cluster.Check…)
// with its audit record; other errors pass unchanged.
func refuseCluster(err error, c *cluster.Cluster, step string) error {
	if err == nil || antq.ErrorCode(err) != antq.EFORBIDDEN {
		return err
	}
	return &refusal{err: err, entry: auditEntry{Action: "refused", Entity: "cluster", Key: clusterKey(c), UnitID: c.Organiser.ID,
		Reason: antq.ErrorMessage(err), New: map[string]any{"step": step}}}
}

// clusterRefDate is the day a cluster looks at units on: the last day of
// its year.
func clusterRefDate(year int) antq.Date { return antq.NewDate(year, 12, 31) }

// sheetOf returns the stored version of a scoring sheet, storing the
// embedded one the first time a cluster uses it.
func (db *DB) sheetOf(ctx context.Context, q querier, id string, version int) (*rules.Sheet, error) {
	var body string
	err := q.QueryRowContext(ctx, `SELECT body FROM cluster_sheets WHERE id = $1 AND version = $2`, id, version).Scan(&body)
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không có bảng điểm %s phiên bản %d", id, version)
	} else if err != nil {
		return nil, fmt.Errorf("sheet: %w", err)
	}
	return rules.LoadSheet("sheet:"+id, []byte(body))
}

// latestSheet resolves a sheet id to its newest version: a stored one or
// the embedded one (stored now, in tx).
func (db *DB) latestSheet(ctx context.Context, tx *Tx, id string) (*rules.Sheet, error) {
	var version sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM cluster_sheets WHERE id = $1`, id).Scan(&version); err != nil {
		return nil, fmt.Errorf("sheet: %w", err)
	}
	emb, body, embErr := rules.EmbeddedSheet(id)
	if embErr == nil && (!version.Valid || int64(emb.Version) > version.Int64) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_sheets (id, version, body, loaded_at, loaded_by) VALUES ($1, $2, $3, $4, $5)`,
			emb.ID, emb.Version, string(body), tx.now, "system"); err != nil {
			return nil, fmt.Errorf("sheet: %w", err)
		}
		return emb, nil
	}
	if !version.Valid {
		return nil, antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"sheet": "không có bảng điểm " + id})
	}
	return db.sheetOf(ctx, tx, id, int(version.Int64))
}

// LoadSheet validates a scoring sheet file and stores it as a new version
// (the same id and version again with the same content changes nothing).
// Clusters keep the version they were given until changed to the newer
// one.
func (db *DB) LoadSheet(ctx context.Context, file string, body []byte) (*rules.Sheet, error) {
	s, err := rules.LoadSheet(file, body)
	if err != nil {
		return nil, antq.Invalid("Tệp bảng điểm không hợp lệ: "+err.Error(), nil)
	}
	c, err := db.Catalog(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.CheckPlan(c); err != nil {
		return nil, antq.Invalid("Bảng điểm không hợp lệ: "+err.Error(), nil)
	}
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		var old string
		err := tx.QueryRowContext(ctx, `SELECT body FROM cluster_sheets WHERE id = $1 AND version = $2`, s.ID, s.Version).Scan(&old)
		switch {
		case err == nil && old == string(body):
			return nil
		case err == nil:
			return antq.Errorf(antq.ECONFLICT, "Bảng điểm %s phiên bản %d đã có với nội dung khác: hãy tăng số phiên bản", s.ID, s.Version)
		case !errNoRows(err):
			return fmt.Errorf("load sheet: %w", err)
		}
		var newest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM cluster_sheets WHERE id = $1`, s.ID).Scan(&newest); err != nil {
			return fmt.Errorf("load sheet: %w", err)
		}
		if newest.Valid && int64(s.Version) < newest.Int64 {
			return antq.Errorf(antq.ECONFLICT, "Bảng điểm %s đã có phiên bản %d, mới hơn phiên bản %d", s.ID, newest.Int64, s.Version)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_sheets (id, version, body, loaded_at, loaded_by) VALUES ($1, $2, $3, $4, $5)`,
			s.ID, s.Version, string(body), tx.now, user.Username); err != nil {
			return fmt.Errorf("load sheet: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "cluster_sheet", Key: s.ID + "/" + strconv.Itoa(s.Version), New: string(body)})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

const clusterSelect = `SELECT c.id, c.code, c.name, c.year, c.kind, c.organiser_id, o.code, o.name, c.head_id, COALESCE(h.code, ''), COALESCE(h.name, ''),
  c.sheet_id, c.sheet_version, c.pact_number, c.pact_signed_on, c.pact_evidence
FROM clusters c JOIN units o ON o.id = c.organiser_id LEFT JOIN units h ON h.id = c.head_id
`

// loadCluster reads a cluster with its members, head rotation and closure,
// whatever the caller's relation (callers decide with viewer).
func (db *DB) loadCluster(ctx context.Context, q querier, id int64) (*cluster.Cluster, error) {
	rows, err := q.QueryContext(ctx, clusterSelect+`WHERE c.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	list, err := db.scanClusters(rows)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, clusterNotFound(id)
	}
	c := list[0]
	return c, db.clusterDetails(ctx, q, c)
}

func clusterNotFound(id int64) error {
	return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy cụm, khối thi đua số %d", id)
}

func (db *DB) scanClusters(rows *sql.Rows) ([]*cluster.Cluster, error) {
	defer rows.Close()
	var out []*cluster.Cluster
	for rows.Next() {
		c := &cluster.Cluster{}
		var kind, headCode, headName string
		var headID sql.NullInt64
		var pactNumber, pactEvidence sql.NullString
		var pactOn antq.Date
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Year, &kind, &c.Organiser.ID, &c.Organiser.Code, &c.Organiser.Name,
			&headID, &headCode, &headName, &c.SheetID, &c.SheetVersion, &pactNumber, &pactOn, &pactEvidence); err != nil {
			return nil, fmt.Errorf("cluster: %w", err)
		}
		c.Kind = cluster.Kind(kind)
		if headID.Valid {
			c.Head = &cluster.Unit{ID: headID.Int64, Code: headCode, Name: headName}
		}
		if pactNumber.Valid {
			c.Pact = &cluster.Pact{Number: pactNumber.String, SignedOn: pactOn, Evidence: pactEvidence.String}
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	return out, nil
}

func (db *DB) clusterDetails(ctx context.Context, q querier, c *cluster.Cluster) error {
	today := antq.DateOf(db.Now())
	rows, err := q.QueryContext(ctx, `SELECT m.unit_id, u.code, u.name, m.joined_on, m.left_on, u.valid_to
FROM cluster_members m JOIN units u ON u.id = m.unit_id WHERE m.cluster_id = $1 ORDER BY u.sort_key, u.code`, c.ID)
	if err != nil {
		return fmt.Errorf("cluster members: %w", err)
	}
	for rows.Next() {
		var m cluster.Member
		var validTo antq.Date
		if err := rows.Scan(&m.Unit.ID, &m.Unit.Code, &m.Unit.Name, &m.JoinedOn, &m.LeftOn, &validTo); err != nil {
			rows.Close()
			return fmt.Errorf("cluster members: %w", err)
		}
		m.Ended = !validTo.IsZero() && validTo.Before(today)
		c.Members = append(c.Members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cluster members: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT h.unit_id, u.code, u.name, h.since, h.reason, h.set_by
FROM cluster_heads h JOIN units u ON u.id = h.unit_id WHERE h.cluster_id = $1 ORDER BY h.id`, c.ID)
	if err != nil {
		return fmt.Errorf("cluster heads: %w", err)
	}
	for rows.Next() {
		var h cluster.HeadTerm
		if err := rows.Scan(&h.Unit.ID, &h.Unit.Code, &h.Unit.Name, &h.Since, &h.Reason, &h.SetBy); err != nil {
			rows.Close()
			return fmt.Errorf("cluster heads: %w", err)
		}
		c.Heads = append(c.Heads, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cluster heads: %w", err)
	}
	cl, _, err := db.openClosure(ctx, q, c.ID)
	if err != nil {
		return err
	}
	c.Closed = cl
	return nil
}

// openClosure returns the closure in force (not reopened) and its
// snapshot, or nil.
func (db *DB) openClosure(ctx context.Context, q querier, clusterID int64) (*cluster.Closure, *closureRow, error) {
	r := &closureRow{}
	cl := &cluster.Closure{}
	err := q.QueryRowContext(ctx, `SELECT id, closed_on, closed_by, closed_at, snapshot FROM cluster_closures
WHERE cluster_id = $1 AND reopened_at IS NULL ORDER BY id DESC LIMIT 1`, clusterID).Scan(&r.id, &cl.ClosedOn, &cl.ClosedBy, &cl.ClosedAt, &r.snapshot)
	if errNoRows(err) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, fmt.Errorf("cluster closure: %w", err)
	}
	return cl, r, nil
}

type closureRow struct {
	id       int64
	snapshot string
}

// viewerOf is what the store knows of the caller for c: whether its scope
// holds the organiser, and which members it holds.
func (db *DB) viewerOf(ctx context.Context, q querier, c *cluster.Cluster) (cluster.Viewer, error) {
	v := cluster.Viewer{User: antq.UserFromContext(ctx), MembersInScope: map[int64]bool{}}
	if v.User == nil {
		return v, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	var args []any
	arg := func(x any) string { args = append(args, x); return fmt.Sprintf("$%d", len(args)) }
	// The organiser and each member are looked at on the last day of the
	// cluster's year, or on their own last day if they ended before.
	yearEnd := arg(clusterRefDate(c.Year))
	ref := "CASE WHEN x.valid_to IS NOT NULL AND x.valid_to < " + yearEnd + " THEN x.valid_to ELSE " + yearEnd + " END"
	cond, err := db.scopeCondition(ctx, q, "x.id", ref, arg)
	if err != nil {
		return v, err
	}
	if cond == "" { // the command line: everything is in scope
		v.SeesOrganiser = true
		for _, m := range c.Members {
			v.MembersInScope[m.Unit.ID] = true
		}
		return v, nil
	}
	ids := []int64{c.Organiser.ID}
	for _, m := range c.Members {
		ids = append(ids, m.Unit.ID)
	}
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = arg(id)
	}
	query := `SELECT x.id FROM units x WHERE x.id IN (` + strings.Join(list, ", ") + `) AND ` + cond
	in, err := queryColumn[int64](ctx, q, query, args...)
	if err != nil {
		return v, fmt.Errorf("cluster scope: %w", err)
	}
	for _, id := range in {
		if id == c.Organiser.ID {
			v.SeesOrganiser = true
		}
		v.MembersInScope[id] = true
	}
	delete(v.MembersInScope, c.Organiser.ID)
	for _, m := range c.Members { // the organiser may be a member too
		if m.Unit.ID == c.Organiser.ID && v.SeesOrganiser {
			v.MembersInScope[m.Unit.ID] = true
		}
	}
	return v, nil
}

// visibleCluster loads a cluster and the caller's relation; a cluster the
// caller has none to is not found.
func (db *DB) visibleCluster(ctx context.Context, q querier, id int64) (*cluster.Cluster, cluster.Viewer, error) {
	c, err := db.loadCluster(ctx, q, id)
	if err != nil {
		return nil, cluster.Viewer{}, err
	}
	v, err := db.viewerOf(ctx, q, c)
	if err != nil {
		return nil, v, err
	}
	if c.View = cluster.RelationOf(v, c); c.View == cluster.RelNone {
		return nil, v, clusterNotFound(id)
	}
	return c, v, nil
}

// allowedCluster is visibleCluster for a step the caller must be allowed
// (check: cluster.CheckReview, cluster.CheckEdit); a refusal names the
// cluster and the step.
func (db *DB) allowedCluster(ctx context.Context, q querier, id int64, check func(*antq.User, cluster.Relation) error, step string) (*cluster.Cluster, cluster.Viewer, error) {
	c, v, err := db.visibleCluster(ctx, q, id)
	if err != nil {
		return nil, v, err
	}
	if err := check(v.User, c.View); err != nil {
		return nil, v, refuseCluster(err, c, step)
	}
	return c, v, nil
}

// Cluster returns a cluster the caller may see, with the caller's relation
// in View. A member sees the members' list (the cluster's composition is
// public to its members) but only its own scores and rank.
func (db *DB) Cluster(ctx context.Context, id int64) (*cluster.Cluster, error) {
	c, _, err := db.visibleCluster(ctx, db.read, id)
	return c, err
}

// Clusters lists the clusters of a year (0: every year) the caller has a
// relation to, by year and code.
func (db *DB) Clusters(ctx context.Context, year int) ([]*cluster.Cluster, error) {
	query, args := clusterSelect, []any{}
	if year != 0 {
		query += `WHERE c.year = $1 `
		args = append(args, year)
	}
	rows, err := db.read.QueryContext(ctx, query+`ORDER BY c.year DESC, c.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	all, err := db.scanClusters(rows)
	if err != nil {
		return nil, err
	}
	var out []*cluster.Cluster
	for _, c := range all {
		if err := db.clusterDetails(ctx, db.read, c); err != nil {
			return nil, err
		}
		v, err := db.viewerOf(ctx, db.read, c)
		if err != nil {
			return nil, err
		}
		if c.View = cluster.RelationOf(v, c); c.View != cluster.RelNone {
			out = append(out, c)
		}
	}
	return out, nil
}

// ClusterSheet returns one stored version of a scoring sheet (sheets are
// rules, not figures: no scope).
func (db *DB) ClusterSheet(ctx context.Context, id string, version int) (*rules.Sheet, error) {
	return db.sheetOf(ctx, db.read, id, version)
}
