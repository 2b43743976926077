package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"antq"
)

// Undo takes back one change of a unit's facts from its history (issue 16
// item 8): a creation is deleted, an update puts the earlier value back, a
// deletion restores the fact (a model or incident under its own id, so its
// evidence files come back with it). Only the fact's latest change can be
// undone — the write is checked against the version the change made, under
// the fact's lock, so a change made since (by anyone, approval steps
// included) refuses it — and the undo is a write like any other: the
// unit's scope, the approval state and the rule set's checks all apply, and
// the trail records it with the reason "hoàn tác …". Decisions are not
// undone (antq.FactKind.Undoable).
func (db *DB) Undo(ctx context.Context, planID, code string, auditID int64) (antq.FactKind, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return "", err
	}
	var action, entity, key string
	var old sql.NullString
	err = db.read.QueryRowContext(ctx, `SELECT action, entity, entity_key, old_value FROM audit_log WHERE id = $1`, auditID).
		Scan(&action, &entity, &key, &old)
	if errNoRows(err) {
		return "", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy thay đổi này trong lịch sử của %s", t.unit.Name)
	} else if err != nil {
		return "", fmt.Errorf("undo: %w", err)
	}
	var id int64
	if base := factKey(t); key != base {
		rest, ok := strings.CutPrefix(key, base+"/")
		if id, err = strconv.ParseInt(rest, 10, 64); !ok || err != nil {
			// Another unit's or another plan's change: not in this history.
			return "", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy thay đổi này trong lịch sử của %s", t.unit.Name)
		}
	}
	kind := antq.FactKind(entity)
	if !UndoableChange(kind, action) {
		return "", antq.Errorf(antq.ECONFLICT, "Thay đổi này không hoàn tác được: chỉ hoàn tác được việc tạo, sửa, xóa đăng ký, số liệu tuyên truyền, mô hình và vụ việc; kết quả công nhận và xếp loại chỉ thay đổi bằng quyết định thay thế")
	}
	ctx = withAuditReason(ctx, undoReasons[action])
	ctx = antq.WithVersionCheck(ctx, &antq.VersionCheck{Kind: kind, ID: id, IfMatch: fmt.Sprintf("v%d", auditID)})
	err = db.undo(ctx, planID, code, kind, action, id, old.String)
	if errors.Is(err, antq.ErrStaleVersion) {
		return "", &antq.Error{Code: antq.ECONFLICT, Err: err,
			Message: "Số liệu này đã thay đổi sau thao tác đó; chỉ hoàn tác được thay đổi mới nhất của mỗi số liệu"}
	}
	return kind, err
}

// UndoableChange reports whether a change (its kind and action) is of the
// sort Undo takes back; whether it is still the fact's latest is checked
// when it is undone.
func UndoableChange(kind antq.FactKind, action string) bool {
	return kind.Undoable() && undoReasons[action] != "" && !(kind == antq.FactIncident && action == "update")
}

// undoReasons: what the trail says of each undo.
var undoReasons = map[string]string{
	"create": "hoàn tác việc tạo",
	"update": "hoàn tác việc sửa, trả lại giá trị trước đó",
	"delete": "hoàn tác việc xóa",
}

func (db *DB) undo(ctx context.Context, planID, code string, kind antq.FactKind, action string, id int64, old string) error {
	if action == "create" {
		switch kind {
		case antq.FactRegistration:
			return db.DeleteRegistration(ctx, planID, code)
		case antq.FactPropaganda:
			return db.DeletePropaganda(ctx, planID, code)
		case antq.FactModel:
			return db.DeleteModel(ctx, planID, code, id)
		case antq.FactIncident:
			return db.DeleteIncident(ctx, planID, code, id)
		}
	}
	var err error
	switch kind {
	case antq.FactRegistration:
		var r antq.Registration
		if err = decodeOld(old, &r); err == nil {
			_, err = db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: r.RegisteredOn, Document: r.Document})
		}
	case antq.FactPropaganda:
		var p antq.Propaganda
		if err = decodeOld(old, &p); err == nil {
			_, err = db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: &p.Reached, Total: &p.Total, AsOf: p.AsOf,
				Document: p.Document, TotalReason: p.TotalReason})
		}
	case antq.FactModel:
		var m antq.Model
		if err = decodeOld(old, &m); err == nil {
			in := antq.ModelInput{Name: &m.Name, Kind: &m.Kind, Status: &m.Status, Effective: &m.Effective, Members: &m.Members,
				Document: m.Document, Assessment: m.Assessment}
			if !m.StartedOn.IsZero() {
				in.StartedOn = &m.StartedOn
			}
			if action == "update" {
				_, err = db.UpdateModel(ctx, planID, code, id, in)
			} else {
				if m.Identity != 0 {
					in.Continues = &m.Identity // the restored model rejoins its entry of the registry
				}
				_, err = db.createModel(ctx, planID, code, in, id)
			}
		}
	case antq.FactIncident:
		var inc antq.Incident
		if err = decodeOld(old, &inc); err == nil {
			_, err = db.createIncident(ctx, planID, code, antq.IncidentInput{OccurredOn: inc.OccurredOn, Category: inc.Category,
				Description: inc.Description, Verified: inc.Verified, Document: inc.Document}, id)
		}
	}
	return err
}

// decodeOld reads the value a change replaced, as the trail recorded it.
func decodeOld(old string, v any) error {
	if old == "" {
		return antq.Errorf(antq.ECONFLICT, "Nhật ký không giữ giá trị trước của thay đổi này, nên không hoàn tác được")
	}
	if err := json.Unmarshal([]byte(old), v); err != nil {
		return fmt.Errorf("undo: the recorded value: %w", err)
	}
	return nil
}
