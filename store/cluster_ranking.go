package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"antq"
	"antq/cluster"
	"antq/indicator"
	"antq/rules"
)

// Ranking is a cluster's ranking as the caller may see it: every member
// for the organiser and the head, only the caller's own members (with
// their ranks among all) for a member.
type Ranking struct {
	Cluster *cluster.Cluster
	Sheet   *rules.Sheet
	Rows    []cluster.Row
	// Scores are the scored criteria of each row's member, by unit code.
	Scores map[string]map[string]cluster.Score
	// Votes are the meeting's nominations, by unit code.
	Votes map[string][]cluster.Nomination
}

// ClusterRanking returns the cluster's ranking: computed criteria follow
// the official figures of the sheet's plan as they are now, until the
// ranking is closed; a closed ranking is its snapshot.
func (db *DB) ClusterRanking(ctx context.Context, id int64) (*Ranking, error) {
	c, v, err := db.visibleCluster(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	return db.ranking(ctx, db.read, c, v)
}

func (db *DB) ranking(ctx context.Context, q querier, c *cluster.Cluster, v cluster.Viewer) (*Ranking, error) {
	sheet, err := db.sheetOf(ctx, q, c.SheetID, c.SheetVersion)
	if err != nil {
		return nil, err
	}
	r := &Ranking{Cluster: c, Sheet: sheet}
	if r.Scores, err = db.clusterScores(ctx, q, c); err != nil {
		return nil, err
	}
	if r.Votes, err = db.clusterVotes(ctx, q, c.ID); err != nil {
		return nil, err
	}
	_, closure, err := db.openClosure(ctx, q, c.ID)
	if err != nil {
		return nil, err
	}
	if closure != nil {
		if err := json.Unmarshal([]byte(closure.snapshot), &r.Rows); err != nil {
			return nil, fmt.Errorf("cluster snapshot: %w", err)
		}
	} else if r.Rows, err = db.liveRows(ctx, q, c, sheet, r.Scores, r.Votes); err != nil {
		return nil, err
	}
	if !c.View.SeesAll() {
		own := map[string]bool{}
		for _, m := range c.Members {
			if v.MembersInScope[m.Unit.ID] {
				own[m.Unit.Code] = true
			}
		}
		var rows []cluster.Row
		for _, row := range r.Rows {
			if own[row.Unit.Code] {
				rows = append(rows, row)
			}
		}
		r.Rows = rows
		for code := range r.Scores {
			if !own[code] {
				delete(r.Scores, code)
			}
		}
		for code := range r.Votes {
			if !own[code] {
				delete(r.Votes, code)
			}
		}
	}
	return r, nil
}

// liveRows ranks the members on the official figures as they are now: one
// read of the members' stored counts (O(members × indicators)), never a
// walk of their subtrees.
func (db *DB) liveRows(ctx context.Context, q querier, c *cluster.Cluster, sheet *rules.Sheet,
	scores map[string]map[string]cluster.Score, votes map[string][]cluster.Nomination) ([]cluster.Row, error) {
	figures, err := db.memberFigures(ctx, q, sheet.Plan, c.Members)
	if err != nil {
		return nil, err
	}
	entrants := make([]cluster.Entrant, len(c.Members))
	for i, m := range c.Members {
		e := cluster.Entrant{Unit: m.Unit, Figures: figures[m.Unit.ID], Scores: scores[m.Unit.Code]}
		for _, n := range votes[m.Unit.Code] {
			share := rules.Ratio{Num: int64(n.VotesFor), Den: int64(n.Present)}
			if e.Vote == nil || e.Vote.Less(share) {
				e.Vote = &share
			}
		}
		entrants[i] = e
	}
	return cluster.Rank(sheet, entrants), nil
}

// memberFigures reads the official figures of each member's subtree from
// the maintained counts (a member without children: its own status).
func (db *DB) memberFigures(ctx context.Context, q querier, planID string, members []cluster.Member) (map[int64]cluster.Figures, error) {
	out := map[int64]cluster.Figures{}
	if len(members) == 0 {
		return out, nil
	}
	plan, _, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if err := db.ensureBuilt(ctx, plan); err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range members {
		ids = append(ids, m.Unit.ID)
	}
	carrier, err := db.figureCarriers(ctx, q, plan.ID, ids)
	if err != nil {
		return nil, err
	}
	carried := map[int64][]int64{} // a version in the plan's tree → the members it carries
	args := []any{plan.ID}
	var list []string
	for _, m := range members {
		cid := carrier[m.Unit.ID]
		if len(carried[cid]) == 0 {
			args = append(args, cid)
			list = append(list, fmt.Sprintf("$%d", len(args)))
		}
		carried[cid] = append(carried[cid], m.Unit.ID)
	}
	in := strings.Join(list, ", ")
	var addTo func(uid int64, c indicator.Counts)
	official := map[rules.Indicator]bool{}
	for _, id := range rules.Indicators {
		official[id] = true
	}
	add := func(cid int64, c indicator.Counts) {
		for _, uid := range carried[cid] {
			addTo(uid, c)
		}
	}
	addTo = func(uid int64, c indicator.Counts) {
		f := out[uid]
		if f == nil {
			f = cluster.Figures{}
			out[uid] = f
		}
		for id, byKind := range c {
			if !official[id] {
				continue // provisional and pending channels
			}
			if f[id] == nil {
				f[id] = map[antq.UnitKind]indicator.Fraction{}
			}
			for k, fr := range byKind {
				g := f[id][k]
				g.Num += fr.Num
				g.Den += fr.Den
				f[id][k] = g
			}
		}
	}
	masks := func(s *indicator.Status) []any { return []any{&s.Den, &s.Num} }
	parents, err := splitLeaves(ctx, q, "member figures", masks, func(uid int64, kind antq.UnitKind, s indicator.Status) {
		c := indicator.Counts{}
		c.Add(kind, s, 1)
		add(uid, c)
	}, `SELECT unit_id, kind, children, den_mask, num_mask FROM unit_status WHERE plan_id = $1 AND unit_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	if len(parents) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT unit_id, indicator, kind, num, den FROM indicator_counts WHERE plan_id = $1 AND unit_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("member figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var id, kind string
		var fr indicator.Fraction
		if err := rows.Scan(&uid, &id, &kind, &fr.Num, &fr.Den); err != nil {
			return nil, fmt.Errorf("member figures: %w", err)
		}
		add(uid, indicator.Counts{rules.Indicator(id): {antq.UnitKind(kind): &fr}})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("member figures: %w", err)
	}
	return out, nil
}

// figureCarriers maps each member version to the version of the plan's
// tree that carries its figures: itself when it is in the tree, else,
// following the reorganisations that ended it, the one successor that
// takes it whole (cluster.CarriesFigures: a rename or re-type mid-year;
// not a merge or a split);
// a member no such chain leads into the tree maps to itself (no figures).
func (db *DB) figureCarriers(ctx context.Context, q querier, planID string, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	at := map[int64][]int64{} // the version looked at now → the members that lead to it
	for _, id := range ids {
		out[id] = id
		at[id] = append(at[id], id)
	}
	for hop := 0; hop < 16 && len(at) > 0; hop++ {
		args := []any{planID}
		var list []string
		for id := range at {
			args = append(args, id)
			list = append(list, fmt.Sprintf("$%d", len(args)))
		}
		in := strings.Join(list, ", ")
		inTree, err := queryColumn[int64](ctx, q, `SELECT unit_id FROM unit_status WHERE plan_id = $1 AND unit_id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("member figures: %w", err)
		}
		for _, id := range inTree {
			for _, m := range at[id] {
				out[m] = id
			}
			delete(at, id)
		}
		if len(at) == 0 {
			break
		}
		endedList := make([]string, len(list)) // the same ids, numbered from $1
		for i := range list {
			endedList[i] = fmt.Sprintf("$%d", i+1)
		}
		ended := strings.Join(endedList, ", ")
		rows, err := q.QueryContext(ctx, `SELECT me.unit_id, e.kind, me.partial, o.unit_id,
  (SELECT COUNT(*) FROM lineage_units f WHERE f.event_id = e.id AND f.role = 'from'),
  (SELECT COUNT(*) FROM lineage_units t WHERE t.event_id = e.id AND t.role = 'to')
FROM lineage_units me JOIN lineage_events e ON e.id = me.event_id
JOIN lineage_units o ON o.event_id = e.id AND o.role = 'to' AND o.unit_id <> me.unit_id
WHERE me.role = 'from' AND me.unit_id IN (`+ended+`)`, args[1:]...)
		if err != nil {
			return nil, fmt.Errorf("member figures: %w", err)
		}
		next := map[int64][]int64{}
		seen := map[int64]int{} // events seen per version: a version ended twice is not followed
		succ := map[int64]int64{}
		for rows.Next() {
			var from, to int64
			var kind string
			var partial bool
			var s cluster.Succession
			if err := rows.Scan(&from, &kind, &partial, &to, &s.Froms, &s.Tos); err != nil {
				rows.Close()
				return nil, fmt.Errorf("member figures: %w", err)
			}
			s.Kind, s.Partial = antq.LineageKind(kind), partial
			seen[from]++
			if cluster.CarriesFigures(s) {
				succ[from] = to
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("member figures: %w", err)
		}
		for from, to := range succ {
			if seen[from] == 1 {
				next[to] = append(next[to], at[from]...)
			}
		}
		at = next
	}
	return out, nil
}

func (db *DB) clusterScores(ctx context.Context, q querier, c *cluster.Cluster) (map[string]map[string]cluster.Score, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.code, s.criterion, s.self_points, s.self_note, s.self_evidence, COALESCE(s.self_by, ''),
  s.reviewed_points, s.reviewed_note, COALESCE(s.reviewed_by, '')
FROM cluster_scores s JOIN units u ON u.id = s.unit_id WHERE s.cluster_id = $1`, c.ID)
	if err != nil {
		return nil, fmt.Errorf("cluster scores: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string]cluster.Score{}
	for rows.Next() {
		var code string
		var s cluster.Score
		var self, reviewed sql.NullInt64
		if err := rows.Scan(&code, &s.Criterion, &self, &s.SelfNote, &s.SelfEvidence, &s.SelfBy, &reviewed, &s.ReviewedNote, &s.ReviewedBy); err != nil {
			return nil, fmt.Errorf("cluster scores: %w", err)
		}
		if self.Valid {
			p := antq.Tenths(self.Int64)
			s.Self = &p
		}
		if reviewed.Valid {
			p := antq.Tenths(reviewed.Int64)
			s.Reviewed = &p
		}
		if out[code] == nil {
			out[code] = map[string]cluster.Score{}
		}
		out[code][s.Criterion] = s
	}
	return out, rows.Err()
}

// UpdateScores changes one member's scored, bonus and deduction criteria:
// its own self-scores (a user of the member unit) or the cluster's
// reviewed scores (the head or the organiser). A closed ranking refuses.
func (db *DB) UpdateScores(ctx context.Context, id int64, code string, in []cluster.ScoreInput) (*Ranking, error) {
	err := db.clusterTx(ctx, func(tx *Tx) error {
		c, v, err := db.visibleCluster(ctx, tx, id)
		if err != nil {
			return err
		}
		var member *cluster.Member
		for i := range c.Members {
			if c.Members[i].Unit.Code == code && (c.View.SeesAll() || v.MembersInScope[c.Members[i].Unit.ID]) {
				member = &c.Members[i]
			}
		}
		if member == nil {
			return antq.Errorf(antq.ENOTFOUND, "Cụm, khối không có thành viên %s", code)
		}
		for _, s := range in {
			if s.Self != nil || s.SelfNote != nil || s.SelfEvidence != nil {
				if err := cluster.CheckSelfScore(v.User, member.Unit.ID); err != nil {
					return refuseCluster(err, c, "self-score "+code)
				}
			}
			if s.Reviewed != nil || s.ReviewedNote != nil {
				if err := cluster.CheckReview(v.User, c.View); err != nil {
					return refuseCluster(err, c, "review "+code)
				}
			}
		}
		if c.Closed != nil {
			return antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng đã khóa ngày %s: mở lại (có lý do) trước khi sửa điểm", c.Closed.ClosedOn.VN())
		}
		sheet, err := db.sheetOf(ctx, tx, c.SheetID, c.SheetVersion)
		if err != nil {
			return err
		}
		if err := cluster.CheckScores(sheet, in); err != nil {
			return err
		}
		before, err := db.clusterScores(ctx, tx, c)
		if err != nil {
			return err
		}
		user := v.User.Username
		for _, s := range in {
			old := before[code][s.Criterion]
			next := old
			next.Criterion = s.Criterion
			if s.Self != nil {
				next.Self, next.SelfBy = s.Self, user
			}
			if s.SelfNote != nil {
				next.SelfNote = strings.TrimSpace(*s.SelfNote)
			}
			if s.SelfEvidence != nil {
				next.SelfEvidence = strings.TrimSpace(*s.SelfEvidence)
			}
			if s.Reviewed != nil {
				next.Reviewed, next.ReviewedBy = s.Reviewed, user
			}
			if s.ReviewedNote != nil {
				next.ReviewedNote = strings.TrimSpace(*s.ReviewedNote)
			}
			var selfAt, reviewedAt any
			if s.Self != nil {
				selfAt = tx.now
			}
			if s.Reviewed != nil {
				reviewedAt = tx.now
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_scores (cluster_id, unit_id, criterion, self_points, self_note, self_evidence, self_by, self_at,
  reviewed_points, reviewed_note, reviewed_by, reviewed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (cluster_id, unit_id, criterion) DO UPDATE SET self_points = excluded.self_points, self_note = excluded.self_note,
  self_evidence = excluded.self_evidence, self_by = excluded.self_by, self_at = COALESCE(excluded.self_at, cluster_scores.self_at),
  reviewed_points = excluded.reviewed_points, reviewed_note = excluded.reviewed_note, reviewed_by = excluded.reviewed_by,
  reviewed_at = COALESCE(excluded.reviewed_at, cluster_scores.reviewed_at)`,
				c.ID, member.Unit.ID, s.Criterion, tenthsOrNil(next.Self), next.SelfNote, next.SelfEvidence, nilIfEmpty(next.SelfBy), selfAt,
				tenthsOrNil(next.Reviewed), next.ReviewedNote, nilIfEmpty(next.ReviewedBy), reviewedAt); err != nil {
				return fmt.Errorf("cluster scores: %w", err)
			}
			var oldV any
			if _, ok := before[code][s.Criterion]; ok {
				oldV = old
			}
			if err := db.audit(ctx, tx, auditEntry{Action: "update", Entity: "cluster_score", Key: clusterKey(c) + "/" + code + "/" + s.Criterion,
				UnitID: member.Unit.ID, Old: oldV, New: next}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.ClusterRanking(ctx, id)
}

func tenthsOrNil(t *antq.Tenths) any {
	if t == nil {
		return nil
	}
	return int64(*t)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CloseRanking closes the ranking: its rows as they are now become the
// snapshot it shows from then on, with the date and the user.
func (db *DB) CloseRanking(ctx context.Context, id int64) (*Ranking, error) {
	err := db.clusterTx(ctx, func(tx *Tx) error {
		c, v, err := db.allowedCluster(ctx, tx, id, cluster.CheckReview, "close")
		if err != nil {
			return err
		}
		if c.Closed != nil {
			return antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng đã khóa ngày %s", c.Closed.ClosedOn.VN())
		}
		r, err := db.ranking(ctx, tx, c, v)
		if err != nil {
			return err
		}
		snap, err := json.Marshal(r.Rows)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_closures (cluster_id, closed_on, closed_by, closed_at, snapshot) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, antq.DateOf(tx.now), v.User.Username, tx.now, string(snap)); err != nil {
			return fmt.Errorf("close ranking: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "close", Entity: "cluster_ranking", Key: clusterKey(c), UnitID: c.Organiser.ID, New: r.Rows})
	})
	if err != nil {
		return nil, err
	}
	return db.ClusterRanking(ctx, id)
}

// ReopenRanking reopens a closed ranking with a reason (audited): computed
// criteria follow the live figures again and scores may change.
func (db *DB) ReopenRanking(ctx context.Context, id int64, reason string) (*Ranking, error) {
	reason = strings.TrimSpace(reason)
	err := db.clusterTx(ctx, func(tx *Tx) error {
		c, v, err := db.allowedCluster(ctx, tx, id, cluster.CheckReview, "reopen")
		if err != nil {
			return err
		}
		if reason == "" {
			return antq.Invalid("Cần lý do mở lại bảng xếp hạng", map[string]string{"reason": "hãy ghi lý do mở lại"})
		}
		cl, row, err := db.openClosure(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		if cl == nil {
			return antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng chưa khóa")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cluster_closures SET reopened_by = $1, reopened_at = $2, reopen_reason = $3 WHERE id = $4`,
			v.User.Username, tx.now, reason, row.id); err != nil {
			return fmt.Errorf("reopen ranking: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "reopen", Entity: "cluster_ranking", Key: clusterKey(c), UnitID: c.Organiser.ID, Old: cl, Reason: reason})
	})
	if err != nil {
		return nil, err
	}
	return db.ClusterRanking(ctx, id)
}
