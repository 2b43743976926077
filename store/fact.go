package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"

	"antq"
	"antq/rules"
)

// factTarget is what every fact read or write resolves first: the plan, the
// unit as it was in the plan year (within the caller's scope), the rule sets
// the plan applies and the unit's evaluation window.
type factTarget struct {
	plan *rules.Plan
	// factsID is the plan whose facts this plan reads and writes: a plan
	// that details another (a district's stricter plan under the
	// province's) shares the facts of the top plan of its chain.
	factsID  string
	unit     *antq.Unit
	ruleSets []*rules.RuleSet
	window   rules.Period // evaluation window of the unit's kind, else the plan's window
}

// recognitionRules is the plan's rule set with checklists (TT 124).
func (t *factTarget) recognitionRules() *rules.RuleSet {
	for _, rs := range t.ruleSets {
		if len(rs.Checklists) > 0 {
			return rs
		}
	}
	return nil
}

// gradingRules is the plan's rule set with rubrics (QĐ 510).
func (t *factTarget) gradingRules() *rules.RuleSet {
	for _, rs := range t.ruleSets {
		if len(rs.Rubrics) > 0 {
			return rs
		}
	}
	return nil
}

func unitRuleFlags(u *antq.Unit) []rules.Flag {
	var f []rules.Flag
	if u.Flags.ArmedForces {
		f = append(f, rules.FlagArmedForces)
	}
	if u.Flags.SmallEnterprise {
		f = append(f, rules.FlagSmallMicroEnterprise)
	}
	if u.Flags.PrimarySchool {
		f = append(f, rules.FlagPrimaryPreschool)
	}
	return f
}

// eligibility tells whether the unit falls under rs, and if not, why (in
// Vietnamese, naming the rule).
func eligibility(rs *rules.RuleSet, u *antq.Unit) (bool, string) {
	if rs == nil {
		return false, "kế hoạch không áp dụng bộ tiêu chí nào cho việc này"
	}
	ok, ex := rs.Eligible(u.Kind, unitRuleFlags(u)...)
	switch {
	case ok:
		return true, ""
	case ex != nil:
		return false, fmt.Sprintf("%s không thuộc diện áp dụng: %s (%s)", u.Name, ex.Title, ex.Ref)
	default:
		return false, fmt.Sprintf("%s (%s) không thuộc đối tượng của %s", u.Name, u.Kind.Label(), rs.Source.Number)
	}
}

// resolve finds the plan and the unit, as of the end of the plan's window
// (or its start, for a unit that ended during the year), in scope.
func (db *DB) resolve(ctx context.Context, q querier, planID, code string) (*factTarget, error) {
	plan, cat, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	t := &factTarget{plan: plan, factsID: factsPlanID(cat, plan)}
	if t.ruleSets, err = cat.RuleSetsOf(plan); err != nil {
		return nil, err
	}
	for _, d := range []antq.Date{plan.Window.To, plan.Window.From} {
		t.unit, err = db.findUnitByCode(ctx, q, code, d)
		if err == nil || antq.ErrorCode(err) != antq.ENOTFOUND {
			break
		}
	}
	if err != nil {
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy đơn vị %q trong năm %d của kế hoạch", code, plan.Year)
		}
		return nil, err
	}
	if in, err := db.inPlanTree(ctx, q, plan, t.unit); err != nil {
		return nil, err
	} else if !in {
		return nil, antq.Errorf(antq.ENOTFOUND, "Đơn vị %q không thuộc phạm vi kế hoạch %s", code, plan.ID)
	}
	t.window = plan.Window
	for _, rs := range t.ruleSets {
		if w, err := rs.Window(t.unit.Kind, plan.Year); err == nil {
			t.window = w
			break
		}
	}
	return t, nil
}

// factsPlanID follows a plan's parents to the top plan, whose facts the
// whole chain shares.
func factsPlanID(c *rules.Catalog, p *rules.Plan) string {
	for i := 0; i < 16 && p.Parent != ""; i++ {
		parent, err := c.Plan(p.Parent)
		if err != nil {
			break
		}
		p = parent
	}
	return p.ID
}

// inPlanTree reports whether the unit is the plan's root unit or below it.
// A failed query is an error, never "not in the tree".
func (db *DB) inPlanTree(ctx context.Context, q querier, plan *rules.Plan, u *antq.Unit) (bool, error) {
	if u.Code == plan.RootUnit {
		return true, nil
	}
	var n int
	err := q.QueryRowContext(ctx, withAncestorsOn("$1", "$2")+`
SELECT COUNT(*) FROM up JOIN units u ON u.id = up.id WHERE u.code = $3`, u.ID, db.unitDateInPlan(plan, u), plan.RootUnit).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("plan tree of %s: %w", plan.ID, err)
	}
	return n > 0, nil
}

// unitDateInPlan is the day the unit is looked at for the plan: the end of
// the plan's window, or the unit's last day if it ended before.
func (db *DB) unitDateInPlan(plan *rules.Plan, u *antq.Unit) antq.Date {
	d := plan.Window.To
	if !u.ValidTo.IsZero() && u.ValidTo.Before(d) {
		d = u.ValidTo
	}
	return d
}

// withFact runs fn in a write transaction on the plan's unit with code,
// resolved (and scope-checked) inside that transaction.
func (db *DB) withFact(ctx context.Context, planID, code string, fn func(tx *Tx, t *factTarget) error) error {
	return db.inTx(ctx, func(tx *Tx) error {
		t, err := db.resolve(ctx, tx, planID, code)
		if err != nil {
			return err
		}
		return fn(tx, t)
	})
}

// checkDateIn adds a field error unless d lies in the window.
func checkDateIn(f antq.FieldErrors, field string, d antq.Date, w rules.Period, what string) {
	from, to := w.From, w.To
	if d.Before(from) || d.After(to) {
		f.Add(field, fmt.Sprintf("%s %s nằm ngoài kỳ đánh giá %s – %s", what, d.VN(), from.VN(), to.VN()))
	}
}

// checkNotFuture adds a field error for a date after today.
func (db *DB) checkNotFuture(f antq.FieldErrors, field string, d antq.Date) {
	if today := antq.DateOf(db.Now()); d.After(today) {
		f.Add(field, "ngày "+d.VN()+" ở tương lai")
	}
}

func (db *DB) checkDocument(f antq.FieldErrors, field string, d *antq.DocumentRef) {
	if d == nil {
		return
	}
	d.Validate(f, field)
	if !d.Date.IsZero() {
		db.checkNotFuture(f, field+".date", d.Date)
	}
}

// docArgs spreads a document reference into its four columns.
func docArgs(d *antq.DocumentRef) []any {
	if d == nil {
		return []any{nil, nil, nil, nil}
	}
	return []any{d.Number, d.Date, nullIfEmpty(d.Issuer), nullIfEmpty(d.Title)}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// docScan collects the four document columns of a row.
type docScan struct {
	number, issuer, title sql.NullString
	date                  antq.Date
}

func (d *docScan) dest() []any { return []any{&d.number, &d.date, &d.issuer, &d.title} }

func (d *docScan) ref() *antq.DocumentRef {
	if !d.number.Valid {
		return nil
	}
	return &antq.DocumentRef{Number: d.number.String, Date: d.date, Issuer: d.issuer.String, Title: d.title.String}
}

func actorName(ctx context.Context) string {
	if u := antq.UserFromContext(ctx); u != nil {
		return u.Username
	}
	return ""
}

// factKey names a fact in the audit trail: plan/unit[/id].
func factKey(t *factTarget, id ...int64) string {
	k := t.factsID + "/" + t.unit.Code
	for _, v := range id {
		k += fmt.Sprintf("/%d", v)
	}
	return k
}

// ---- registration ----

// PutRegistration records (or replaces) the unit's registration for the plan.
// Units the rule set excludes are refused with the rule named.
func (db *DB) PutRegistration(ctx context.Context, planID, code string, in antq.Registration) (*antq.Registration, error) {
	var out *antq.Registration
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		f := antq.FieldErrors{}
		if ok, why := eligibility(t.recognitionRules(), t.unit); !ok {
			f.Add("unit", why)
		}
		if in.RegisteredOn.IsZero() {
			f.Add("registered_on", "cần ngày đăng ký")
		} else {
			checkDateIn(f, "registered_on", in.RegisteredOn, t.window, "Ngày đăng ký")
			db.checkNotFuture(f, "registered_on", in.RegisteredOn)
		}
		db.checkDocument(f, "document", in.Document)
		if err := f.Err("Đăng ký không hợp lệ"); err != nil {
			return err
		}
		old, err := db.registration(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := upsertFact(ctx, tx, t, "registrations", []string{"registered_on"}, []any{in.RegisteredOn}, in.Document); err != nil {
			return err
		}
		out = &antq.Registration{RegisteredOn: in.RegisteredOn, Document: in.Document, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}}
		return db.factChanged(ctx, tx, t, antq.FactRegistration, putAction(old != nil), old, out)
	})
	return out, err
}

// upsertFact writes the one fact of a table a unit has for a plan: the
// given columns, the document reference and the stamp, inserted or
// replacing the row already there.
func upsertFact(ctx context.Context, tx *Tx, t *factTarget, table string, cols []string, vals []any, doc *antq.DocumentRef) error {
	all := append([]string{"plan_id", "unit_id"}, cols...)
	all = append(all, "doc_number", "doc_date", "doc_issuer", "doc_title", "updated_at", "updated_by")
	args := append([]any{t.factsID, t.unit.ID}, vals...)
	args = append(append(args, docArgs(doc)...), tx.now, actorName(ctx))
	ph := make([]string, len(all))
	var set []string
	for i, c := range all {
		ph[i] = fmt.Sprintf("$%d", i+1)
		if i >= 2 {
			set = append(set, c+" = excluded."+c)
		}
	}
	q := "INSERT INTO " + table + " (" + strings.Join(all, ", ") + ") VALUES (" + strings.Join(ph, ", ") +
		")\nON CONFLICT (plan_id, unit_id) DO UPDATE SET " + strings.Join(set, ", ")
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("write %s: %w", table, err)
	}
	return nil
}

// asAny adapts a fact loader for deleteSingleFact: a missing fact is a nil
// interface, not a typed nil pointer.
func asAny[T any](load func(context.Context, querier, *factTarget) (*T, error)) func(context.Context, querier, *factTarget) (any, error) {
	return func(ctx context.Context, q querier, t *factTarget) (any, error) {
		v, err := load(ctx, q, t)
		if v == nil || err != nil {
			return nil, err
		}
		return v, nil
	}
}

func putAction(existed bool) string {
	if existed {
		return "update"
	}
	return "create"
}

// DeleteRegistration withdraws the unit's registration. A unit already
// recognised cannot withdraw: its recognition is removed first.
func (db *DB) DeleteRegistration(ctx context.Context, planID, code string) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		old, err := db.registration(ctx, tx, t)
		if err != nil {
			return err
		} else if old == nil {
			return antq.Errorf(antq.ENOTFOUND, "Đơn vị %s chưa đăng ký trong kế hoạch %s", t.unit.Code, t.plan.ID)
		}
		if rec, err := db.recognition(ctx, tx, t); err != nil {
			return err
		} else if rec != nil {
			return &antq.Error{Code: antq.ECONFLICT, Message: "Đơn vị đã có kết quả công nhận; hãy xóa kết quả công nhận trước khi rút đăng ký"}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM registrations WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID); err != nil {
			return fmt.Errorf("delete registration: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactRegistration, "delete", old, nil)
	})
}

func (db *DB) registration(ctx context.Context, q querier, t *factTarget) (*antq.Registration, error) {
	var r antq.Registration
	var d docScan
	err := q.QueryRowContext(ctx, `SELECT registered_on, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM registrations WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID).Scan(append(append([]any{&r.RegisteredOn}, d.dest()...), &r.UpdatedAt, &r.UpdatedBy)...)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("registration: %w", err)
	}
	r.Document = d.ref()
	return &r, nil
}

// ---- propaganda ----

// PropagandaInput is a propaganda figure as submitted; a nil Total takes the
// unit's size on AsOf (households, or staff plus pupils).
type PropagandaInput struct {
	Reached  *int64            `json:"reached"`
	Total    *int64            `json:"total"`
	AsOf     antq.Date         `json:"as_of"`
	Document *antq.DocumentRef `json:"document"`
}

// PutPropaganda records the unit's propaganda coverage: unique households
// for residential areas and communes, unique persons for organisations.
func (db *DB) PutPropaganda(ctx context.Context, planID, code string, in PropagandaInput) (*antq.Propaganda, error) {
	var out *antq.Propaganda
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		f := antq.FieldErrors{}
		households := t.unit.Kind == antq.KindCommune || t.unit.Kind == antq.KindResidentialArea
		if !households && !t.unit.Kind.Organisation() {
			f.Add("unit", fmt.Sprintf("%s không ghi nhận độ phủ tuyên truyền (chỉ xã, khu dân cư và cơ quan, doanh nghiệp, cơ sở giáo dục)", t.unit.Kind.Label()))
		}
		if in.AsOf.IsZero() {
			f.Add("as_of", "cần ngày số liệu")
		} else {
			checkDateIn(f, "as_of", in.AsOf, t.window, "Ngày số liệu")
			db.checkNotFuture(f, "as_of", in.AsOf)
		}
		if in.Reached == nil {
			f.Add("reached", "cần số đã được tuyên truyền")
		} else if *in.Reached < 0 {
			f.Add("reached", "số đã được tuyên truyền không được âm")
		}
		total := in.Total
		if total == nil && !in.AsOf.IsZero() && len(f) == 0 {
			size, err := db.unitSizeOn(ctx, tx, t.unit.ID, in.AsOf)
			if err != nil {
				return err
			}
			if households {
				total = size.Households
			} else {
				total = size.Persons()
			}
			if total == nil {
				f.Add("total", "đơn vị chưa có số hộ / số người tại ngày này; hãy nhập tổng số")
			}
		}
		if total != nil {
			switch {
			case *total <= 0:
				f.Add("total", "tổng số phải lớn hơn 0")
			case in.Reached != nil && *in.Reached > *total:
				f.Add("reached", fmt.Sprintf("số đã được tuyên truyền (%d) lớn hơn tổng số (%d)", *in.Reached, *total))
			}
		}
		db.checkDocument(f, "document", in.Document)
		if err := f.Err("Số liệu tuyên truyền không hợp lệ"); err != nil {
			return err
		}
		old, err := db.propaganda(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := upsertFact(ctx, tx, t, "propaganda", []string{"reached", "total", "as_of"}, []any{*in.Reached, *total, in.AsOf}, in.Document); err != nil {
			return err
		}
		out = &antq.Propaganda{Reached: *in.Reached, Total: *total, AsOf: in.AsOf, Document: in.Document,
			Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}}
		return db.factChanged(ctx, tx, t, antq.FactPropaganda, putAction(old != nil), old, out)
	})
	return out, err
}

// DeletePropaganda removes a wrongly entered propaganda figure.
func (db *DB) DeletePropaganda(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactPropaganda, "propaganda", asAny(db.propaganda))
}

func (db *DB) propaganda(ctx context.Context, q querier, t *factTarget) (*antq.Propaganda, error) {
	var p antq.Propaganda
	var d docScan
	err := q.QueryRowContext(ctx, `SELECT reached, total, as_of, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM propaganda WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID).Scan(append(append([]any{&p.Reached, &p.Total, &p.AsOf}, d.dest()...), &p.UpdatedAt, &p.UpdatedBy)...)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("propaganda: %w", err)
	}
	p.Document = d.ref()
	return &p, nil
}

// unitSizeOn returns the unit's latest size snapshot on or before d.
func (db *DB) unitSizeOn(ctx context.Context, q querier, unitID int64, d antq.Date) (antq.UnitSize, error) {
	var s antq.UnitSize
	var hh, staff, pupils sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT as_of, households, staff, pupils FROM unit_sizes
WHERE unit_id = $1 AND as_of <= $2 ORDER BY as_of DESC LIMIT 1`, unitID, d).Scan(&s.AsOf, &hh, &staff, &pupils)
	if errNoRows(err) {
		return s, nil
	} else if err != nil {
		return s, fmt.Errorf("unit size: %w", err)
	}
	s.Households, s.Staff, s.Pupils = nullInt(hh), nullInt(staff), nullInt(pupils)
	return s, nil
}

// deleteSingleFact deletes the one fact of a kind a unit has for a plan.
func (db *DB) deleteSingleFact(ctx context.Context, planID, code string, kind antq.FactKind, table string,
	load func(context.Context, querier, *factTarget) (any, error)) error {
	return db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		var err error
		switch kind {
		case antq.FactRecognition:
			err = db.mayEnterDecision(ctx, tx, t, DossierRecognition, kind, "delete")
		case antq.FactGrade:
			err = db.mayEnterDecision(ctx, tx, t, DossierGrading, kind, "delete")
		}
		if err != nil {
			return err
		}
		old, err := load(ctx, tx, t)
		if err != nil {
			return err
		} else if old == nil {
			return antq.Errorf(antq.ENOTFOUND, "Đơn vị %s chưa có số liệu này trong kế hoạch %s", t.unit.Code, t.plan.ID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID); err != nil {
			return fmt.Errorf("delete %s: %w", table, err)
		}
		return db.factChanged(ctx, tx, t, kind, "delete", old, nil)
	})
}

// ---- models ----

// ModelInput is a model as submitted; for a PATCH only the fields present
// change.
type ModelInput struct {
	Name      *string           `json:"name"`
	Kind      *string           `json:"kind"`
	Status    *antq.ModelStatus `json:"status"`
	Effective *bool             `json:"effective"`
	StartedOn *antq.Date        `json:"started_on"`
	Members   *int64            `json:"members"`
	Document  *antq.DocumentRef `json:"document"`
}

func (in ModelInput) apply(m *antq.Model) {
	if in.Name != nil {
		m.Name = strings.TrimSpace(*in.Name)
	}
	if in.Kind != nil {
		m.Kind = *in.Kind
	}
	if in.Status != nil {
		m.Status = *in.Status
	}
	if in.Effective != nil {
		m.Effective = *in.Effective
	}
	if in.StartedOn != nil {
		m.StartedOn = *in.StartedOn
	}
	if in.Members != nil {
		m.Members = *in.Members
	}
	if in.Document != nil {
		m.Document = in.Document
	}
}

func (db *DB) validateModel(t *factTarget, m *antq.Model, present func(string) bool) error {
	f := antq.FieldErrors{}
	if !t.unit.Kind.Organisation() && t.unit.Kind != antq.KindCommune && t.unit.Kind != antq.KindResidentialArea {
		f.Add("unit", fmt.Sprintf("%s không xây dựng mô hình (chỉ xã, khu dân cư và cơ quan, doanh nghiệp, cơ sở giáo dục)", t.unit.Kind.Label()))
	}
	if present("name") && m.Name == "" {
		f.Add("name", "cần tên mô hình")
	} else if utf8.RuneCountInString(m.Name) > 200 {
		f.Add("name", "tên mô hình quá dài (tối đa 200 ký tự)")
	}
	if present("kind") {
		found := false
		var codes []string
		for _, rs := range t.ruleSets {
			if _, ok := rs.ModelKind(m.Kind); ok {
				found = true
			}
			for _, mk := range rs.ModelKinds {
				codes = append(codes, mk.Code)
			}
		}
		if !found {
			f.Add("kind", fmt.Sprintf("loại mô hình %q không có trong danh mục (%s)", m.Kind, strings.Join(codes, ", ")))
		}
	}
	if present("status") && !m.Status.Valid() {
		f.Add("status", fmt.Sprintf("trạng thái %q không hợp lệ (new, consolidated, maintained)", m.Status))
	}
	if m.Members < 0 {
		f.Add("members", "số thành viên không được âm")
	}
	if !m.StartedOn.IsZero() {
		db.checkNotFuture(f, "started_on", m.StartedOn)
		if w := t.window; m.Status == antq.ModelNew {
			checkDateIn(f, "started_on", m.StartedOn, w, "Mô hình xây dựng mới trong năm nhưng ngày bắt đầu")
		} else if w.To.Before(m.StartedOn) {
			f.Add("started_on", "ngày bắt đầu sau kỳ đánh giá")
		}
	}
	db.checkDocument(f, "document", m.Document)
	return f.Err("Mô hình không hợp lệ")
}

// CreateModel adds a model to the unit's facts for the plan.
func (db *DB) CreateModel(ctx context.Context, planID, code string, in ModelInput) (*antq.Model, error) {
	var out *antq.Model
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		m := &antq.Model{Effective: true}
		in.apply(m)
		f := antq.FieldErrors{}
		for field, missing := range map[string]bool{"name": in.Name == nil, "kind": in.Kind == nil, "status": in.Status == nil} {
			if missing {
				f.Add(field, "trường bắt buộc")
			}
		}
		if err := f.Err("Mô hình không hợp lệ"); err != nil {
			return err
		}
		if err := db.validateModel(t, m, func(string) bool { return true }); err != nil {
			return err
		}
		var started any
		if !m.StartedOn.IsZero() {
			started = m.StartedOn
		}
		args := append([]any{t.factsID, t.unit.ID, m.Name, m.Kind, string(m.Status), m.Effective, started, m.Members}, docArgs(m.Document)...)
		args = append(args, tx.now, actorName(ctx))
		if err := tx.QueryRowContext(ctx, `INSERT INTO models (plan_id, unit_id, name, kind, status, effective, started_on, members, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`, args...).Scan(&m.ID); err != nil {
			return fmt.Errorf("create model: %w", err)
		}
		m.Stamp = antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}
		out = m
		return db.factChanged(ctx, tx, t, antq.FactModel, "create", nil, m, m.ID)
	})
	return out, err
}

// UpdateModel changes the fields present in in.
func (db *DB) UpdateModel(ctx context.Context, planID, code string, id int64, in ModelInput) (*antq.Model, error) {
	var out *antq.Model
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		old, err := db.model(ctx, tx, t, id)
		if err != nil {
			return err
		}
		m := *old
		in.apply(&m)
		present := func(field string) bool {
			switch field {
			case "name":
				return in.Name != nil
			case "kind":
				return in.Kind != nil
			case "status":
				return in.Status != nil
			}
			return false
		}
		if err := db.validateModel(t, &m, present); err != nil {
			return err
		}
		var started any
		if !m.StartedOn.IsZero() {
			started = m.StartedOn
		}
		args := append([]any{m.Name, m.Kind, string(m.Status), m.Effective, started, m.Members}, docArgs(m.Document)...)
		args = append(args, tx.now, actorName(ctx), id)
		if _, err := tx.ExecContext(ctx, `UPDATE models SET name = $1, kind = $2, status = $3, effective = $4, started_on = $5, members = $6,
  doc_number = $7, doc_date = $8, doc_issuer = $9, doc_title = $10, updated_at = $11, updated_by = $12 WHERE id = $13`, args...); err != nil {
			return fmt.Errorf("update model: %w", err)
		}
		m.Stamp = antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}
		out = &m
		return db.factChanged(ctx, tx, t, antq.FactModel, "update", old, &m, id)
	})
	return out, err
}

// DeleteModel removes a model.
func (db *DB) DeleteModel(ctx context.Context, planID, code string, id int64) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		old, err := db.model(ctx, tx, t, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM models WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete model: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactModel, "delete", old, nil, id)
	})
}

const modelSelect = `SELECT id, name, kind, status, effective, started_on, members, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by FROM models `

func scanModel(rows interface{ Scan(...any) error }) (*antq.Model, error) {
	var m antq.Model
	var status string
	var d docScan
	if err := rows.Scan(append(append([]any{&m.ID, &m.Name, &m.Kind, &status, &m.Effective, &m.StartedOn, &m.Members}, d.dest()...), &m.UpdatedAt, &m.UpdatedBy)...); err != nil {
		return nil, err
	}
	m.Status, m.Document = antq.ModelStatus(status), d.ref()
	return &m, nil
}

// model returns one model of the unit; a model of another unit or plan is
// ENOTFOUND, so ids cannot be used to reach across units.
func (db *DB) model(ctx context.Context, q querier, t *factTarget, id int64) (*antq.Model, error) {
	m, err := scanModel(q.QueryRowContext(ctx, modelSelect+`WHERE id = $1 AND plan_id = $2 AND unit_id = $3`, id, t.factsID, t.unit.ID))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy mô hình %d của đơn vị %s", id, t.unit.Code)
	} else if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	return m, nil
}

func (db *DB) models(ctx context.Context, q querier, t *factTarget) ([]*antq.Model, error) {
	rows, err := q.QueryContext(ctx, modelSelect+`WHERE plan_id = $1 AND unit_id = $2 ORDER BY id`, t.factsID, t.unit.ID)
	if err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	defer rows.Close()
	out := []*antq.Model{}
	for rows.Next() {
		m, err := scanModel(rows)
		if err != nil {
			return nil, fmt.Errorf("models: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ListModels returns the unit's models for the plan.
func (db *DB) ListModels(ctx context.Context, planID, code string) ([]*antq.Model, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	return db.models(ctx, db.read, t)
}

// ---- incidents ----

// IncidentInput is an incident as submitted.
type IncidentInput struct {
	OccurredOn  antq.Date         `json:"occurred_on"`
	Category    string            `json:"category"`
	Description string            `json:"description"`
	Verified    bool              `json:"verified"`
	Document    *antq.DocumentRef `json:"document"`
}

// CreateIncident records an incident whose category is a veto item of the
// checklist or an outcome category of the plan's rule sets.
func (db *DB) CreateIncident(ctx context.Context, planID, code string, in IncidentInput) (*antq.Incident, error) {
	var out *antq.Incident
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		f := antq.FieldErrors{}
		if in.OccurredOn.IsZero() {
			f.Add("occurred_on", "cần ngày xảy ra")
		} else {
			checkDateIn(f, "occurred_on", in.OccurredOn, t.window, "Ngày xảy ra")
			db.checkNotFuture(f, "occurred_on", in.OccurredOn)
		}
		found := false
		var codes []string
		for _, rs := range t.ruleSets {
			if _, ok := rs.IncidentCategory(in.Category); ok {
				found = true
			}
			for _, ic := range rs.IncidentCategories() {
				codes = append(codes, ic.Code)
			}
		}
		if !found {
			f.Add("category", fmt.Sprintf("loại vụ việc %q không có trong bộ tiêu chí (%s)", in.Category, strings.Join(codes, ", ")))
		}
		in.Description = strings.TrimSpace(in.Description)
		if in.Description == "" {
			f.Add("description", "cần mô tả vụ việc")
		} else if utf8.RuneCountInString(in.Description) > 4000 {
			f.Add("description", "mô tả quá dài (tối đa 4000 ký tự)")
		}
		db.checkDocument(f, "document", in.Document)
		if err := f.Err("Vụ việc không hợp lệ"); err != nil {
			return err
		}
		inc := &antq.Incident{OccurredOn: in.OccurredOn, Category: in.Category, Description: in.Description, Verified: in.Verified,
			Document: in.Document, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}}
		args := append([]any{t.factsID, t.unit.ID, in.OccurredOn, in.Category, in.Description, in.Verified}, docArgs(in.Document)...)
		args = append(args, tx.now, actorName(ctx))
		if err := tx.QueryRowContext(ctx, `INSERT INTO incidents (plan_id, unit_id, occurred_on, category, description, verified, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, args...).Scan(&inc.ID); err != nil {
			return fmt.Errorf("create incident: %w", err)
		}
		out = inc
		return db.factChanged(ctx, tx, t, antq.FactIncident, "create", nil, inc, inc.ID)
	})
	return out, err
}

// DeleteIncident removes a wrongly entered incident.
func (db *DB) DeleteIncident(ctx context.Context, planID, code string, id int64) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		incs, err := db.incidents(ctx, tx, t, id)
		if err != nil {
			return err
		} else if len(incs) == 0 {
			return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy vụ việc %d của đơn vị %s", id, t.unit.Code)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM incidents WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete incident: %w", err)
		}
		return db.factChanged(ctx, tx, t, antq.FactIncident, "delete", incs[0], nil, id)
	})
}

// incidents lists the unit's incidents (only the one with id, if id > 0).
func (db *DB) incidents(ctx context.Context, q querier, t *factTarget, id int64) ([]*antq.Incident, error) {
	query := `SELECT id, occurred_on, category, description, verified, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM incidents WHERE plan_id = $1 AND unit_id = $2`
	args := []any{t.factsID, t.unit.ID}
	if id > 0 {
		query += ` AND id = $3`
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY occurred_on, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	defer rows.Close()
	out := []*antq.Incident{}
	for rows.Next() {
		var inc antq.Incident
		var d docScan
		if err := rows.Scan(append(append([]any{&inc.ID, &inc.OccurredOn, &inc.Category, &inc.Description, &inc.Verified}, d.dest()...), &inc.UpdatedAt, &inc.UpdatedBy)...); err != nil {
			return nil, fmt.Errorf("incidents: %w", err)
		}
		inc.Document = d.ref()
		out = append(out, &inc)
	}
	return out, rows.Err()
}

// ---- recognition ----

// PutRecognition records the decided result of the "An toàn về ANTT" review
// for a registered, eligible unit.
func (db *DB) PutRecognition(ctx context.Context, planID, code string, in antq.Recognition) (*antq.Recognition, error) {
	var out *antq.Recognition
	err := db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		if err := db.mayEnterDecision(ctx, tx, t, DossierRecognition, antq.FactRecognition, "put"); err != nil {
			return err
		}
		f := antq.FieldErrors{}
		if ok, why := eligibility(t.recognitionRules(), t.unit); !ok {
			f.Add("unit", why)
		} else if reg, err := db.registration(ctx, tx, t); err != nil {
			return err
		} else if reg == nil {
			f.Add("unit", "đơn vị chưa đăng ký phấn đấu trong kế hoạch này; chỉ đơn vị đã đăng ký mới được xét công nhận")
		}
		if !in.Result.Valid() {
			f.Add("result", fmt.Sprintf("kết quả %q không hợp lệ (dat, chua_dat)", in.Result))
		}
		db.checkDecisionDate(f, t, in.DecidedOn)
		db.checkDocument(f, "decision", in.Decision)
		if err := f.Err("Kết quả công nhận không hợp lệ"); err != nil {
			return err
		}
		old, err := db.recognition(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := upsertFact(ctx, tx, t, "recognitions", []string{"result", "decided_on"}, []any{string(in.Result), in.DecidedOn}, in.Decision); err != nil {
			return err
		}
		out = &antq.Recognition{Result: in.Result, DecidedOn: in.DecidedOn, Decision: in.Decision, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}}
		return db.factChanged(ctx, tx, t, antq.FactRecognition, putAction(old != nil), old, out)
	})
	return out, err
}

// checkDecisionDate: a year-end decision falls after the window starts and
// within a year of its end, and not in the future.
func (db *DB) checkDecisionDate(f antq.FieldErrors, t *factTarget, d antq.Date) {
	if d.IsZero() {
		f.Add("decided_on", "cần ngày quyết định")
		return
	}
	from, to := t.window.From, t.window.To.AddDays(366)
	if d.Before(from) || d.After(to) {
		f.Add("decided_on", fmt.Sprintf("ngày quyết định %s nằm ngoài khoảng %s – %s của kỳ đánh giá", d.VN(), from.VN(), to.VN()))
	}
	db.checkNotFuture(f, "decided_on", d)
}

// DeleteRecognition removes a wrongly entered recognition result.
func (db *DB) DeleteRecognition(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactRecognition, "recognitions", asAny(db.recognition))
}

func (db *DB) recognition(ctx context.Context, q querier, t *factTarget) (*antq.Recognition, error) {
	var r antq.Recognition
	var result string
	var d docScan
	err := q.QueryRowContext(ctx, `SELECT result, decided_on, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM recognitions WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID).Scan(append(append([]any{&result, &r.DecidedOn}, d.dest()...), &r.UpdatedAt, &r.UpdatedBy)...)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("recognition: %w", err)
	}
	r.Result, r.Decision = antq.RecognitionResult(result), d.ref()
	return &r, nil
}

// ---- grade ----

// PutGrade records the unit's decided movement grade (QĐ 510).
func (db *DB) PutGrade(ctx context.Context, planID, code string, in antq.GradeRecord) (*antq.GradeRecord, error) {
	var out *antq.GradeRecord
	err := db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		if err := db.mayEnterDecision(ctx, tx, t, DossierGrading, antq.FactGrade, "put"); err != nil {
			return err
		}
		f := antq.FieldErrors{}
		if ok, why := eligibility(t.gradingRules(), t.unit); !ok {
			f.Add("unit", why)
		}
		if !in.Grade.Valid() {
			f.Add("grade", fmt.Sprintf("xếp loại %q không hợp lệ (xuat_sac, kha, trung_binh, yeu)", in.Grade))
		}
		if in.Score != nil && (*in.Score < 0 || *in.Score > 1000) {
			f.Add("score", "điểm phải từ 0 đến 100")
		}
		db.checkDocument(f, "decision", in.Decision)
		if err := f.Err("Xếp loại không hợp lệ"); err != nil {
			return err
		}
		old, err := db.grade(ctx, tx, t)
		if err != nil {
			return err
		}
		var score any
		if in.Score != nil {
			score = int64(*in.Score)
		}
		if err := upsertFact(ctx, tx, t, "grades", []string{"grade", "score_tenths"}, []any{string(in.Grade), score}, in.Decision); err != nil {
			return err
		}
		out = &antq.GradeRecord{Grade: in.Grade, Score: in.Score, Decision: in.Decision, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}}
		return db.factChanged(ctx, tx, t, antq.FactGrade, putAction(old != nil), old, out)
	})
	return out, err
}

// DeleteGrade removes a wrongly entered grade.
func (db *DB) DeleteGrade(ctx context.Context, planID, code string) error {
	return db.deleteSingleFact(ctx, planID, code, antq.FactGrade, "grades", asAny(db.grade))
}

func (db *DB) grade(ctx context.Context, q querier, t *factTarget) (*antq.GradeRecord, error) {
	var g antq.GradeRecord
	var grade string
	var score sql.NullInt64
	var d docScan
	err := q.QueryRowContext(ctx, `SELECT grade, score_tenths, doc_number, doc_date, doc_issuer, doc_title, updated_at, updated_by
FROM grades WHERE plan_id = $1 AND unit_id = $2`, t.factsID, t.unit.ID).Scan(append(append([]any{&grade, &score}, d.dest()...), &g.UpdatedAt, &g.UpdatedBy)...)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("grade: %w", err)
	}
	g.Grade, g.Decision = antq.Grade(grade), d.ref()
	if score.Valid {
		s := antq.Tenths(score.Int64)
		g.Score = &s
	}
	return &g, nil
}

// ---- all facts of a unit ----

// UnitFacts returns every fact of the unit for the plan, with the unit.
func (db *DB) UnitFacts(ctx context.Context, planID, code string) (*antq.Unit, *antq.UnitFacts, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, nil, err
	}
	var f antq.UnitFacts
	if f.Registration, err = db.registration(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	if f.Propaganda, err = db.propaganda(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	if f.Models, err = db.models(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	if f.Incidents, err = db.incidents(ctx, db.read, t, 0); err != nil {
		return nil, nil, err
	}
	if f.Recognition, err = db.recognition(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	if f.Grade, err = db.grade(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	if f.Evidence, err = db.evidenceList(ctx, db.read, t); err != nil {
		return nil, nil, err
	}
	return t.unit, &f, nil
}

// factChanged runs in the transaction of every fact change: it appends the
// audit record (old → new) and keeps the indicators in step.
func (db *DB) factChanged(ctx context.Context, tx *Tx, t *factTarget, kind antq.FactKind, action string, old, new any, id ...int64) error {
	if err := db.audit(ctx, tx, auditEntry{Action: action, Entity: string(kind), Key: factKey(t, id...), UnitID: t.unit.ID, Old: old, New: new}); err != nil {
		return err
	}
	return db.refreshUnitStatus(ctx, tx, t)
}

// PlanUnit returns the unit with code as the plan sees it (in force in the
// plan year, in the plan's tree, in the caller's scope), with the rule sets
// the plan applies.
func (db *DB) PlanUnit(ctx context.Context, planID, code string) (*antq.Unit, []*rules.RuleSet, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, nil, err
	}
	return t.unit, t.ruleSets, nil
}

// Eligibility says whether the unit can register and be recognised, and can
// be graded, under the plan's rule sets; when not, why (Vietnamese).
func Eligibility(sets []*rules.RuleSet, u *antq.Unit) (canRegister bool, whyNot string, gradable bool, whyNotGraded string) {
	t := &factTarget{ruleSets: sets}
	canRegister, whyNot = eligibility(t.recognitionRules(), u)
	gradable, whyNotGraded = eligibility(t.gradingRules(), u)
	return
}
