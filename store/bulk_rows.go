package store

import (
	"fmt"
	"maps"
	"slices"

	"antq"
	"antq/rules"
)

// The rows of a BulkFacts load: one FactLoader method per fact, each
// checked against the plan's rules and the unit's state before it goes to
// the batch writer (bulk.go opens the load and commits it).

// Registration adds the unit's registration.
func (l *FactLoader) Registration(code string, r antq.Registration) error {
	u, ok := l.start("registration", code, bulkRegistration)
	if ok {
		l.check("registration", l.rules(u).CheckRegistration(&r))
	}
	if !l.writing() {
		return l.fatal
	}
	l.res.Registrations++
	return l.write(writeRegistrations, l.factsID, u.id, r.RegisteredOn, r.Document)
}

// Propaganda adds the unit's propaganda coverage (households for
// residential areas and communes, persons for organisations).
func (l *FactLoader) Propaganda(code string, p antq.Propaganda) error {
	u, ok := l.start("propaganda", code, bulkPropaganda)
	if ok {
		in := antq.PropagandaInput{Reached: &p.Reached, Total: &p.Total, AsOf: p.AsOf, Document: p.Document, TotalReason: p.TotalReason}
		var size antq.UnitSize
		if !p.AsOf.IsZero() {
			var err error
			if size, err = l.db.unitSizeOn(l.ctx, l.tx, u.id, p.AsOf); err != nil {
				l.fatal = err
				return err
			}
		}
		checked, err := l.rules(u).CheckPropaganda(&in, size)
		l.check("propaganda", err)
		if err == nil {
			p = *checked
		}
	}
	if !l.writing() {
		return l.fatal
	}
	l.res.Propaganda++
	return l.write(writePropaganda, l.factsID, u.id, p.Reached, p.Total, p.AsOf, p.RegisteredTotal, nullIfEmpty(p.TotalReason), p.Document)
}

// Model adds a model to the unit's facts.
func (l *FactLoader) Model(code string, m antq.Model) error {
	u, ok := l.start("model", code, 0)
	if ok {
		l.check("model", l.rules(u).CheckModel(&m))
	}
	if !l.writing() {
		return l.fatal
	}
	var started any
	if !m.StartedOn.IsZero() {
		started = m.StartedOn
	}
	var assessedOn, assessedBy, basis any
	if a := m.Assessment; a != nil {
		assessedOn, assessedBy, basis = a.On, a.By, a.Basis
	}
	l.res.Models++
	return l.write(writeModels, l.factsID, u.id, m.Name, m.Kind, string(m.Status), m.Effective, started, m.Members, assessedOn, assessedBy, basis, m.Document)
}

// Recognition adds the decided result of the unit's "An toàn về ANTT"
// review; the unit must be registered.
func (l *FactLoader) Recognition(code string, r antq.Recognition) error {
	u, ok := l.start("recognition", code, bulkRecognition)
	if ok {
		l.refuseDecided("recognition", u, bulkRecognitionDossier, bulkRecognitionDecided)
		l.check("recognition", l.rules(u).CheckRecognition(&r, l.registered(u)))
		if r.Result == antq.RecognitionMet {
			u.state |= bulkRecognised
		}
	}
	if !l.writing() {
		return l.fatal
	}
	l.res.Recognitions++
	return l.write(writeRecognitions, l.factsID, u.id, string(r.Result), r.DecidedOn, r.Decision)
}

// Grade adds the unit's movement grade.
func (l *FactLoader) Grade(code string, g antq.GradeRecord) error {
	u, ok := l.start("grade", code, bulkGrade)
	if ok {
		l.refuseDecided("grade", u, bulkGradingDossier, bulkGradeDecided)
		l.check("grade", l.rules(u).CheckGrade(&g, u.state&bulkRecognised != 0))
	}
	if !l.writing() {
		return l.fatal
	}
	var score any
	if g.Score != nil {
		score = int64(*g.Score)
	}
	l.res.Grades++
	return l.write(writeGrades, l.factsID, u.id, string(g.Grade), score, nullIfEmpty(string(g.RubricGrade)), nullIfEmpty(g.OverrideReason), g.Decision)
}

// msgDecided refuses to load over a result that carries a decision.
const msgDecided = "kết quả của đơn vị này đã có quyết định; chỉ thay đổi được bằng quyết định mới ghi rõ quyết định được thay thế (nhập trực tiếp)"

// msgUnderDossier refuses a result that a year-end dossier governs.
const msgUnderDossier = "kết quả của đơn vị này được xét qua hồ sơ; hãy thao tác trên hồ sơ"

// refuseDecided fails the row of fact when the unit's state has the bit of
// a dossier that governs the result or of a result already decided.
func (l *FactLoader) refuseDecided(fact string, u *bulkUnit, dossier, decided uint16) {
	if u.state&dossier != 0 {
		l.fail(fact+".unit", msgUnderDossier)
	}
	if u.state&decided != 0 {
		l.fail(fact+".unit", msgDecided)
	}
}

// start numbers a new row and finds its unit. once is the bit of a fact a
// unit may have only once per load (0 for models). ok is false when the
// unit is unknown: the other checks are then skipped.
func (l *FactLoader) start(fact, code string, once uint16) (u *bulkUnit, ok bool) {
	l.row, l.code = l.row+1, code
	if l.row%8192 == 0 && l.fatal == nil {
		l.fatal = l.ctx.Err()
	}
	i, found := l.codes[code]
	if !found || l.units[i].state&bulkOutOfScope != 0 {
		l.fail(fact+".unit", fmt.Sprintf("không tìm thấy đơn vị %q trong cây đơn vị của kế hoạch %s ngày %s", code, l.plan.ID, l.plan.Window.To.VN()))
		return nil, false
	}
	u = &l.units[i]
	if once != 0 {
		if u.state&once != 0 {
			l.fail(fact+".unit", fmt.Sprintf("đơn vị %s đã có một dòng %s trong lần nạp này", code, factLabels[fact]))
		}
		u.state |= once
	}
	if once == bulkRegistration {
		u.state |= bulkRegistered // for the recognitions that follow
	}
	return u, true
}

// factLabels names the single-valued facts in messages.
var factLabels = map[string]string{"registration": "đăng ký", "propaganda": "tuyên truyền", "recognition": "kết quả công nhận", "grade": "xếp loại"}

// writing reports whether rows are still being written: not after a bad
// row (the load will be refused) or a database error.
func (l *FactLoader) writing() bool { return l.fatal == nil && len(l.errs.list) == 0 }

func (l *FactLoader) fail(column, reason string) {
	l.errs.add(antq.RowError{File: l.source, Row: l.row, Column: column, Reason: reason})
}

// window is the evaluation window of a unit kind (Plan.UnitWindow, as
// resolve takes it for the single calls), looked up once per kind.
func (l *FactLoader) window(kind antq.UnitKind) rules.Period {
	w, ok := l.windows[kind]
	if !ok {
		w = l.plan.UnitWindow(l.sets, kind)
		l.windows[kind] = w
	}
	return w
}

// rules are the plan's rules for the unit of the current row, the rules of
// the single calls. The unit is named by its code: the load has no names.
func (l *FactLoader) rules(u *bulkUnit) *rules.FactRules {
	return &rules.FactRules{Plan: l.plan, Unit: &antq.Unit{Code: l.code, Name: l.code, Kind: u.kind, Flags: u.flags},
		Sets: l.sets, Window: l.window(u.kind), Today: l.today}
}

// check records each field error of err, a FactRules verdict on the row,
// in column "fact.field".
func (l *FactLoader) check(fact string, err error) {
	if err == nil {
		return
	}
	f := antq.ErrorFields(err)
	if len(f) == 0 {
		l.fail(fact, antq.ErrorMessage(err))
	}
	for _, k := range slices.Sorted(maps.Keys(f)) {
		l.fail(fact+"."+k, f[k])
	}
}

// registered reports whether the unit is registered in the database or
// earlier in this load.
func (l *FactLoader) registered(u *bulkUnit) bool {
	if u.state&bulkRegistered == 0 && !l.regLoaded && l.fatal == nil {
		l.regLoaded = true
		byID := make(map[int64]int32, len(l.units))
		for i := range l.units {
			byID[l.units[i].id] = int32(i)
		}
		l.fatal = l.scanUnits(`SELECT unit_id, '' FROM registrations WHERE plan_id = $1`, byID, func(u *bulkUnit, _ string) {
			u.state |= bulkRegistered
		})
	}
	return u.state&bulkRegistered != 0
}

// write appends one row: values, then the document's four columns, then
// the stamp. A nil *antq.DocumentRef among values is the document.
func (l *FactLoader) write(table int, values ...any) error {
	w := l.writers[table]
	for _, v := range values {
		if d, ok := v.(*antq.DocumentRef); ok {
			if d == nil {
				w.args = append(w.args, nil, nil, nil, nil)
			} else {
				w.args = append(w.args, d.Number, d.Date, nullIfEmpty(d.Issuer), nullIfEmpty(d.Title))
			}
			continue
		}
		w.args = append(w.args, v)
	}
	w.args = append(w.args, l.tx.now, l.actor)
	if err := w.rowDone(); err != nil {
		l.fatal = err
	}
	return l.fatal
}
