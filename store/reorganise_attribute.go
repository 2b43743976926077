package store

import (
	"fmt"
	"strings"

	"antq"
)

// Facts across a reorganisation inside a plan's window (issue 13 item 5).
// A plan looks at its tree on its tree dates (rules.Plan.KindDate), so a
// unit renamed, re-typed or merged before that day counts as the unit that
// took over from it. What its predecessor recorded for the plan earlier in
// the window — registration, propaganda, models, incidents and their
// evidence — is attributed to that successor, so that the year's figures
// do not lose what was entered before the change. Decisions (recognition,
// grades, collective assessments), dossiers and reports stay with the unit
// that made them or was decided on, as recorded: history is not rewritten.
// A split divides a unit's territory but not its facts, and an abolished
// unit has no successor for them: those facts stay as recorded, and the
// result says so, as it says when a successor already has a fact of the
// kind (two merged communes with a registration each).

// attributedTables are the plan facts that follow a unit to its successor:
// the table, whether a unit has one row of it per plan, and the evidence
// kind attached to its rows.
var attributedTables = []struct {
	table  string
	single bool
	fact   antq.FactKind
}{
	{"registrations", true, antq.FactRegistration},
	{"propaganda", true, antq.FactPropaganda},
	{"models", false, antq.FactModel},
	{"incidents", false, antq.FactIncident},
}

// keptTables are the plan records that stay with the ended unit, named
// for the result.
var keptTables = []struct{ table, what string }{
	{"recognitions", "kết quả công nhận"},
	{"grades", "kết quả xếp loại"},
	{"collective_assessments", "đánh giá tập thể"},
	{"dossiers", "hồ sơ"},
	{"reports", "báo cáo"},
}

// attributeFacts hands the facts of the day's ended units to their
// successors for every plan that looks at its tree on or after the day,
// and marks those plans' builds stale (the next read rebuilds them on the
// tree with the successors). It replaces the refusal of a reorganisation
// under a built plan.
func (a *reorgApply) attributeFacts(rows []antq.ReorgRow) error {
	cat, err := a.db.Catalog(a.ctx)
	if err != nil {
		return err
	}
	on := rows[0].EffectiveOn
	done := map[string]bool{} // facts plan | from id
	stale := map[string]bool{}
	for _, p := range cat.Plans() {
		factsID := factsPlanID(cat, p)
		for i := range rows {
			r, from := &rows[i], a.from[i]
			if from == nil || !r.Event.Ends() || a.endedBy[from.id] != r || p.KindDate(from.kind).Before(on) {
				continue
			}
			key := factsID + "|" + fmt.Sprint(from.id)
			if done[key] {
				continue
			}
			done[key] = true
			var to *reorgUnit
			switch r.Event {
			case antq.LineageRename, antq.LineageRetype, antq.LineageMerge:
				to = a.to[i]
			}
			moved, err := a.attributeUnitFacts(p.ID, factsID, r, from, to)
			if err != nil {
				return err
			}
			if moved {
				stale[p.ID] = true
			}
		}
	}
	// A built plan whose tree holds a unit ended before its tree date is
	// rebuilt on the successors at its next read.
	built, err := queryColumn[string](a.ctx, a.tx, `SELECT DISTINCT b.plan_id FROM plan_builds b
JOIN unit_status s ON s.plan_id = b.plan_id JOIN units u ON u.id = s.unit_id
WHERE u.valid_to IS NOT NULL AND b.tree_date > u.valid_to`)
	if err != nil {
		return fmt.Errorf("reorganise: %w", err)
	}
	for _, id := range built {
		stale[id] = true
	}
	for id := range stale {
		if _, err := a.tx.ExecContext(a.ctx, `DELETE FROM plan_builds WHERE plan_id = $1`, id); err != nil {
			return fmt.Errorf("reorganise: %w", err)
		}
		a.res.Rebuilt = append(a.res.Rebuilt, id)
	}
	return nil
}

// attributeUnitFacts moves one ended unit's facts of a plan to its
// successor (nil: none takes them) and notes in the result what stays.
func (a *reorgApply) attributeUnitFacts(planID, factsID string, r *antq.ReorgRow, from, to *reorgUnit) (bool, error) {
	count := func(table string, unitID int64) (int, error) {
		var n int
		err := a.tx.QueryRowContext(a.ctx, `SELECT COUNT(*) FROM `+table+` WHERE plan_id = $1 AND unit_id = $2`, factsID, unitID).Scan(&n)
		if err != nil {
			return 0, fmt.Errorf("reorganise: %w", err)
		}
		return n, nil
	}
	note := func(what, why string) {
		a.res.NotAttributed = append(a.res.NotAttributed, fmt.Sprintf("Kế hoạch %s: %s của %s (mã %s) %s", planID, what, from.name, from.code, why))
	}
	moved := false
	var kept []string
	for _, t := range attributedTables {
		n, err := count(t.table, from.id)
		if err != nil || n == 0 {
			if err != nil {
				return false, err
			}
			continue
		}
		what := factWhat(t.fact)
		if to == nil {
			kept = append(kept, what)
			continue
		}
		if t.single {
			if has, err := count(t.table, to.id); err != nil {
				return false, err
			} else if has > 0 {
				note(what, "giữ nguyên như đã ghi nhận: "+to.name+" đã có "+what+" trong kế hoạch; hãy nhập lại nếu cần")
				continue
			}
		}
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE `+t.table+` SET unit_id = $1 WHERE plan_id = $2 AND unit_id = $3`, to.id, factsID, from.id); err != nil {
			return false, fmt.Errorf("reorganise: %w", err)
		}
		if _, err := a.tx.ExecContext(a.ctx, `UPDATE evidence SET unit_id = $1 WHERE plan_id = $2 AND unit_id = $3 AND fact = $4`, to.id, factsID, from.id, string(t.fact)); err != nil {
			return false, fmt.Errorf("reorganise: %w", err)
		}
		a.res.Attributed += n
		moved = true
		if err := a.db.audit(a.ctx, a.tx, auditEntry{Action: "attribute", Entity: string(t.fact), Key: factsID + "/" + to.code, UnitID: to.id,
			Old: map[string]any{"unit": from.code, "name": from.name, "valid_to": from.validTo}, New: map[string]any{"unit": to.code, "name": to.name, "facts": n},
			Reason: fmt.Sprintf("%s ngày %s (%s)", r.Event.Label(), r.EffectiveOn.VN(), r.Legal.Number)}); err != nil {
			return false, err
		}
	}
	if len(kept) > 0 {
		why := "giữ nguyên như đã ghi nhận: việc " + r.Event.Label() + " không có đơn vị kế nhiệm nhận số liệu"
		if r.Event == antq.LineageSplit {
			why = "giữ nguyên như đã ghi nhận: đơn vị được chia, số liệu không chia được; các đơn vị mới nhập số liệu của mình"
		}
		note(strings.Join(kept, ", "), why)
	}
	for _, t := range keptTables {
		if n, err := count(t.table, from.id); err != nil {
			return false, err
		} else if n > 0 && to != nil {
			note(t.what, "giữ nguyên với đơn vị cũ: quyết định và hồ sơ không chuyển sang đơn vị kế nhiệm")
		}
	}
	return moved, nil
}

// factWhat names a fact kind in a sentence.
func factWhat(k antq.FactKind) string {
	switch k {
	case antq.FactRegistration:
		return "đăng ký phấn đấu"
	case antq.FactPropaganda:
		return "số liệu tuyên truyền"
	case antq.FactModel:
		return "mô hình"
	case antq.FactIncident:
		return "vụ việc"
	}
	return string(k)
}
