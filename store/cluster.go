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
	user := antq.UserFromContext(ctx)
	if user == nil {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
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

// CreateCluster creates a cluster or block for a year. The organiser must
// be in the caller's scope, and so must every member.
func (db *DB) CreateCluster(ctx context.Context, in cluster.Input) (*cluster.Cluster, error) {
	user := antq.UserFromContext(ctx)
	if user == nil {
		return nil, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
	}
	if !user.Can(antq.PermClusterWrite) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không được lập cụm, khối thi đua")
	}
	if err := cluster.CheckInput(in, true); err != nil {
		return nil, err
	}
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		ref := clusterRefDate(*in.Year)
		// The organiser as it is at the year's end, or at its start if it
		// ended within the year (a reorganisation).
		org, err := db.findUnitByCode(ctx, tx, *in.Organiser, ref)
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			org, err = db.findUnitByCode(ctx, tx, *in.Organiser, antq.NewDate(*in.Year, 1, 1))
		}
		if err != nil {
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"organiser": "không có đơn vị " + *in.Organiser + " trong phạm vi của bạn"})
			}
			return err
		}
		sheet, err := db.latestSheet(ctx, tx, *in.Sheet)
		if err != nil {
			return err
		}
		if err := db.checkSheetPlan(ctx, sheet, *in.Year, in.Members); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM clusters WHERE year = $1 AND code = $2`, *in.Year, *in.Code).Scan(&n); err != nil {
			return fmt.Errorf("create cluster: %w", err)
		}
		if n > 0 {
			return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"code": fmt.Sprintf("năm %d đã có cụm, khối mã %s", *in.Year, *in.Code)})
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO clusters (code, name, year, kind, organiser_id, sheet_id, sheet_version, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`, *in.Code, strings.TrimSpace(*in.Name), *in.Year, string(*in.Kind), org.ID, sheet.ID, sheet.Version, tx.now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create cluster: %w", err)
		}
		if err := db.writeCluster(ctx, tx, id, *in.Year, ref, in); err != nil {
			return err
		}
		c, err := db.loadCluster(ctx, tx, id)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "cluster", Key: clusterKey(c), UnitID: org.ID, New: c})
	})
	if err != nil {
		return nil, err
	}
	return db.Cluster(ctx, id)
}

func clusterKey(c *cluster.Cluster) string { return strconv.Itoa(c.Year) + "/" + c.Code }

func (db *DB) checkSheetPlan(ctx context.Context, sheet *rules.Sheet, year int, members []cluster.MemberInput) error {
	plan, c, err := db.Plan(ctx, sheet.Plan)
	if err != nil {
		return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"sheet": "bảng điểm dùng kế hoạch " + sheet.Plan + " chưa được nạp"})
	}
	if err := sheet.CheckPlan(c); err != nil {
		return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"sheet": err.Error()})
	}
	return cluster.CheckYear(year, members, plan)
}

// writeCluster writes what in changes besides the row's own columns:
// members (replaced), head (a new rotation entry), pact.
func (db *DB) writeCluster(ctx context.Context, tx *Tx, id int64, year int, ref antq.Date, in cluster.Input) error {
	invalid := func(field, why string) error {
		return antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{field: why})
	}
	if in.Members != nil {
		keep := map[int64]bool{}
		for i, m := range in.Members {
			joined := m.JoinedOn
			if joined.IsZero() {
				joined = antq.NewDate(year, 1, 1)
			}
			u, err := db.findUnitByCode(ctx, tx, m.Code, joined)
			if antq.ErrorCode(err) == antq.ENOTFOUND {
				return invalid(fmt.Sprintf("members[%d].code", i), "không có đơn vị "+m.Code+" ngày "+joined.VN()+" trong phạm vi của bạn")
			} else if err != nil {
				return err
			}
			keep[u.ID] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_members (cluster_id, unit_id, joined_on, left_on) VALUES ($1, $2, $3, $4)
ON CONFLICT (cluster_id, unit_id) DO UPDATE SET joined_on = excluded.joined_on, left_on = excluded.left_on`, id, u.ID, joined, m.LeftOn); err != nil {
				return fmt.Errorf("cluster members: %w", err)
			}
		}
		old, err := queryColumn[int64](ctx, tx, `SELECT unit_id FROM cluster_members WHERE cluster_id = $1`, id)
		if err != nil {
			return fmt.Errorf("cluster members: %w", err)
		}
		for _, uid := range old {
			if keep[uid] {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM cluster_scores WHERE cluster_id = $1 AND unit_id = $2)
  + (SELECT COUNT(*) FROM cluster_nominations WHERE cluster_id = $1 AND unit_id = $2)`, id, uid).Scan(&n); err != nil {
				return fmt.Errorf("cluster members: %w", err)
			}
			if n > 0 {
				return invalid("members", "một thành viên đã có điểm hoặc đề nghị không thể bỏ khỏi cụm: hãy ghi ngày rời cụm")
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM cluster_members WHERE cluster_id = $1 AND unit_id = $2`, id, uid); err != nil {
				return fmt.Errorf("cluster members: %w", err)
			}
		}
	}
	if in.Head != nil {
		var headID int64
		err := tx.QueryRowContext(ctx, `SELECT m.unit_id FROM cluster_members m JOIN units u ON u.id = m.unit_id WHERE m.cluster_id = $1 AND u.code = $2`, id, *in.Head).Scan(&headID)
		if errNoRows(err) {
			return invalid("head", "đơn vị trưởng "+*in.Head+" phải là thành viên của cụm, khối")
		} else if err != nil {
			return fmt.Errorf("cluster head: %w", err)
		}
		var cur sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT head_id FROM clusters WHERE id = $1`, id).Scan(&cur); err != nil {
			return fmt.Errorf("cluster head: %w", err)
		}
		if !cur.Valid || cur.Int64 != headID {
			since := antq.NewDate(year, 1, 1)
			if in.HeadSince != nil {
				since = *in.HeadSince
			}
			if since.Year() != year {
				return invalid("head_since", fmt.Sprintf("ngày nhận nhiệm vụ trưởng cụm phải trong năm %d", year))
			}
			reason := "Phân công đơn vị trưởng năm " + strconv.Itoa(year)
			if in.HeadReason != nil {
				reason = strings.TrimSpace(*in.HeadReason)
			} else if cur.Valid {
				return invalid("head_reason", "đổi đơn vị trưởng trong năm cần ghi lý do")
			}
			user := antq.UserFromContext(ctx)
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_heads (cluster_id, unit_id, since, reason, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, headID, since, reason, user.Username, tx.now); err != nil {
				return fmt.Errorf("cluster head: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE clusters SET head_id = $1 WHERE id = $2`, headID, id); err != nil {
				return fmt.Errorf("cluster head: %w", err)
			}
		}
	} else {
		// The head must stay a member.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM clusters c WHERE c.id = $1 AND c.head_id IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM cluster_members m WHERE m.cluster_id = c.id AND m.unit_id = c.head_id)`, id).Scan(&n); err != nil {
			return fmt.Errorf("cluster head: %w", err)
		}
		if n > 0 {
			return invalid("members", "danh sách thành viên phải có đơn vị trưởng cụm, khối")
		}
	}
	if in.Pact != nil {
		if in.Pact.SignedOn.Year() != year {
			return invalid("pact.signed_on", fmt.Sprintf("giao ước thi đua của năm %d phải ký trong năm đó", year))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clusters SET pact_number = $1, pact_signed_on = $2, pact_evidence = $3 WHERE id = $4`,
			strings.TrimSpace(in.Pact.Number), in.Pact.SignedOn, strings.TrimSpace(in.Pact.Evidence), id); err != nil {
			return fmt.Errorf("cluster pact: %w", err)
		}
	}
	_ = ref
	return nil
}

// UpdateCluster changes a cluster: name, members, head (a rotation entry
// with its reason), pact, or its sheet (to the sheet's newest version).
// Year, kind, organiser and code stay. A closed ranking refuses changes
// that move it (members, sheet) until it is reopened.
func (db *DB) UpdateCluster(ctx context.Context, id int64, in cluster.Input) (*cluster.Cluster, error) {
	if err := cluster.CheckInput(in, false); err != nil {
		return nil, err
	}
	if in.Year != nil || in.Kind != nil || in.Organiser != nil || in.Code != nil {
		return nil, antq.Invalid("Thông tin cụm, khối thi đua không hợp lệ", map[string]string{"code": "không đổi được mã, năm, loại hay đơn vị tổ chức: hãy lập cụm, khối mới"})
	}
	err := db.clusterTx(ctx, func(tx *Tx) error {
		old, v, err := db.visibleCluster(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := cluster.CheckEdit(v.User, old.View); err != nil {
			return refuseCluster(err, old, "update")
		}
		if old.Closed != nil && (in.Members != nil || in.Sheet != nil) {
			return antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng đã khóa: mở lại (có lý do) trước khi đổi thành viên hay bảng điểm")
		}
		if in.Name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE clusters SET name = $1 WHERE id = $2`, strings.TrimSpace(*in.Name), id); err != nil {
				return fmt.Errorf("update cluster: %w", err)
			}
		}
		if in.Sheet != nil {
			sheet, err := db.latestSheet(ctx, tx, *in.Sheet)
			if err != nil {
				return err
			}
			if err := db.checkSheetPlan(ctx, sheet, old.Year, nil); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE clusters SET sheet_id = $1, sheet_version = $2 WHERE id = $3`, sheet.ID, sheet.Version, id); err != nil {
				return fmt.Errorf("update cluster: %w", err)
			}
		}
		if in.Members != nil {
			if err := cluster.CheckYear(old.Year, in.Members, nil); err != nil {
				return err
			}
		}
		if err := db.writeCluster(ctx, tx, id, old.Year, clusterRefDate(old.Year), in); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clusters SET updated_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("update cluster: %w", err)
		}
		c, err := db.loadCluster(ctx, tx, id)
		if err != nil {
			return err
		}
		reason := ""
		if in.HeadReason != nil {
			reason = *in.HeadReason
		}
		return db.audit(ctx, tx, auditEntry{Action: "update", Entity: "cluster", Key: clusterKey(c), UnitID: c.Organiser.ID, Old: old, New: c, Reason: reason})
	})
	if err != nil {
		return nil, err
	}
	return db.Cluster(ctx, id)
}

// ClusterSheet returns one stored version of a scoring sheet (sheets are
// rules, not figures: no scope).
func (db *DB) ClusterSheet(ctx context.Context, id string, version int) (*rules.Sheet, error) {
	return db.sheetOf(ctx, db.read, id, version)
}
