package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"antq"
	"antq/cluster"
)

const nominationSelect = `SELECT n.id, n.cluster_id, c.code, c.name, c.year, u.code, u.name, n.award, n.meeting_on, n.present, n.votes_for,
  n.total, n.rank, n.note, n.created_by, n.created_at
FROM cluster_nominations n JOIN clusters c ON c.id = n.cluster_id JOIN units u ON u.id = n.unit_id
`

func scanNominations(ctx context.Context, q querier, where string, args ...any) ([]cluster.Nomination, error) {
	var out []cluster.Nomination
	err := queryEach(ctx, q, "nominations", func(rows *sql.Rows) error {
		var n cluster.Nomination
		var award string
		if err := rows.Scan(&n.ID, &n.ClusterID, &n.ClusterCode, &n.ClusterName, &n.Year, &n.Unit.Code, &n.Unit.Name, &award, &n.MeetingOn,
			&n.Present, &n.VotesFor, &n.Total, &n.Rank, &n.Note, &n.CreatedBy, &n.CreatedAt); err != nil {
			return err
		}
		n.Award = cluster.Award(award)
		out = append(out, n)
		return nil
	}, nominationSelect+where+` ORDER BY c.year, c.code, n.rank, u.sort_key`, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// clusterVotes are a cluster's nominations by unit code.
func (db *DB) clusterVotes(ctx context.Context, q querier, clusterID int64) (map[string][]cluster.Nomination, error) {
	list, err := scanNominations(ctx, q, `WHERE n.cluster_id = $1`, clusterID)
	if err != nil {
		return nil, err
	}
	out := map[string][]cluster.Nomination{}
	for _, n := range list {
		out[n.Unit.Code] = append(out[n.Unit.Code], n)
	}
	return out, nil
}

// RecordNomination records the meeting's vote on proposing a member for
// an award (the head or the organiser), with the member's total and rank
// as the live ranking has them; the vote then breaks ties the sheet's
// order leaves to it. A closed ranking refuses.
func (db *DB) RecordNomination(ctx context.Context, id int64, in cluster.NominationInput) (*cluster.Nomination, error) {
	var nid int64
	err := db.clusterTx(ctx, func(tx *Tx) error {
		c, v, err := db.allowedCluster(ctx, tx, id, cluster.CheckReview, "nominate "+in.Unit)
		if err != nil {
			return err
		}
		if c.Closed != nil {
			return antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng đã khóa ngày %s: mở lại (có lý do) trước khi ghi kết quả bình xét", c.Closed.ClosedOn.VN())
		}
		existing, err := scanNominations(ctx, tx, `WHERE n.cluster_id = $1`, c.ID)
		if err != nil {
			return err
		}
		if err := cluster.CheckNomination(c, existing, in); err != nil {
			return err
		}
		r, err := db.ranking(ctx, tx, c, v)
		if err != nil {
			return err
		}
		var unitID int64
		for _, m := range c.Members {
			if m.Unit.Code == in.Unit {
				unitID = m.Unit.ID
			}
		}
		var total antq.Tenths
		rank := 0
		for _, row := range r.Rows {
			if row.Unit.Code == in.Unit {
				total, rank = row.Total, row.Rank
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO cluster_nominations (cluster_id, unit_id, award, meeting_on, present, votes_for, total, rank, note, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`, c.ID, unitID, string(in.Award), in.MeetingOn, in.Present, in.VotesFor,
			int64(total), rank, strings.TrimSpace(in.Note), v.User.Username, tx.now).Scan(&nid)
		if err != nil {
			return fmt.Errorf("nomination: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "cluster_nomination", Key: clusterKey(c) + "/" + in.Unit,
			UnitID: unitID, New: in})
	})
	if err != nil {
		return nil, err
	}
	list, err := scanNominations(ctx, db.read, `WHERE n.id = $1`, nid)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// ClusterNominations lists the nominations of a year's clusters the caller
// sees whole (organiser or head): what the commendation workflow proposes
// from. year 0: every year.
func (db *DB) ClusterNominations(ctx context.Context, year int) ([]cluster.Nomination, error) {
	clusters, err := db.Clusters(ctx, year)
	if err != nil {
		return nil, err
	}
	var out []cluster.Nomination
	for _, c := range clusters {
		if !c.View.SeesAll() {
			continue
		}
		list, err := scanNominations(ctx, db.read, `WHERE n.cluster_id = $1`, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}
