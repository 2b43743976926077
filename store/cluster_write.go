package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"antq"
	"antq/cluster"
	"antq/rules"
)

// Creating and changing clusters and blocks; the reads are in cluster.go.

// CreateCluster creates a cluster or block for a year. The organiser must
// be in the caller's scope, and so must every member.
func (db *DB) CreateCluster(ctx context.Context, in cluster.Input) (*cluster.Cluster, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !user.Can(antq.PermClusterWrite) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không được lập cụm, khối thi đua")
	}
	if err := cluster.CheckInput(in, true); err != nil {
		return nil, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
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
		old, _, err := db.allowedCluster(ctx, tx, id, cluster.CheckEdit, "update")
		if err != nil {
			return err
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
