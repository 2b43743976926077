package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// DossierKind is the year-end decision a dossier leads to.
type DossierKind string

const (
	DossierRecognition DossierKind = "recognition" // "An toàn về ANTT", TT 124
	DossierGrading     DossierKind = "grading"     // xếp loại phong trào, QĐ 510
)

// Valid reports whether k is a known kind.
func (k DossierKind) Valid() bool { return k == DossierRecognition || k == DossierGrading }

// Label is the Vietnamese name of the kind.
func (k DossierKind) Label() string {
	if k == DossierGrading {
		return "Xếp loại phong trào"
	}
	return "Công nhận “An toàn về an ninh, trật tự”"
}

// CriterionView is one criterion of a recognition dossier: what the
// software suggests and what the dossier says.
type CriterionView struct {
	Criterion      *rules.Criterion
	Suggestion     yearend.Suggestion
	Verdict        yearend.Verdict // effective: the saved verdict, else the suggestion
	Note           string
	OverrideReason string
	Overridden     bool // the saved verdict departs from a definite suggestion
}

// DocumentView is one document of the dossier list.
type DocumentView struct {
	Doc        rules.DossierDocument
	Number     string
	Date       antq.Date
	EvidenceID int64
	Missing    bool
}

// ScoreView is one rubric item with its scores.
type ScoreView struct {
	Item     rules.RubricItem
	Self     *antq.Tenths
	Reviewed *antq.Tenths
	Note     string
}

// Stamp records who did a workflow step and when.
type Stamp struct {
	At *time.Time
	By string
}

// Dossier is a unit's year-end dossier with everything computed from the
// rules and the facts.
type Dossier struct {
	ID       int64
	Plan     *rules.Plan
	Unit     *antq.Unit
	Kind     DossierKind
	State    yearend.State
	RuleSet  *rules.RuleSet
	Criteria []CriterionView
	// Result is the recognition result: decided, else the conjunction of
	// the verdicts ("" while any is open).
	Result antq.RecognitionResult
	// Grading: scores, totals in tenths, the grade the bands give and the
	// grade of the dossier (an override with a reason, or the decision).
	Rubric         *rules.Rubric
	Scores         []ScoreView
	SelfTotal      antq.Tenths
	ReviewedTotal  antq.Tenths
	ComputedGrade  antq.Grade
	GradeReasons   []string
	Grade          antq.Grade
	OverrideReason string

	Documents []DocumentView
	Missing   []string // titles of required documents not yet given

	ReturnReason                 string
	DecisionNumber               string
	DecisionDate                 antq.Date
	Authority                    string
	AuthorityLabel               string
	AuthorityNote                string // why no authority could be found, if none
	DecidedLate                  bool
	Amended                      bool
	PreviousDecision             string
	Deadline                     *yearend.DeadlineStatus
	Blocked                      string // why it cannot go forward yet (subordinates undecided)
	Submitted, Reviewed, Decided Stamp
	UpdatedAt                    time.Time
	UpdatedBy                    string
	// Refused says, for each step the dossier's state allows, why
	// separation of duties refuses it to the caller (absent: allowed).
	Refused map[yearend.Action]string

	duty yearend.Step // the caller, the dossier's history and the deciding unit
}

type dossierRow struct {
	id                                          int64
	state, result, overrideReason, returnReason string
	decisionNumber, authority, authorityLabel   sql.NullString
	decisionDate                                antq.Date
	late, amended                               bool
	previous                                    sql.NullString
	submittedAt, reviewedAt, decidedAt          *time.Time
	submittedBy, reviewedBy, decidedBy          sql.NullString
	updatedAt                                   time.Time
	updatedBy                                   string
}

func (db *DB) dossierRow(ctx context.Context, q querier, t *factTarget, kind DossierKind) (*dossierRow, error) {
	var r dossierRow
	var result sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, state, result, override_reason, return_reason, decision_number, decision_date, authority, authority_label,
  decided_late, amended, previous_decision, submitted_at, submitted_by, reviewed_at, reviewed_by, decided_at, decided_by, updated_at, updated_by
FROM dossiers WHERE plan_id = $1 AND unit_id = $2 AND kind = $3`, t.factsID, t.unit.ID, string(kind)).Scan(
		&r.id, &r.state, &result, &r.overrideReason, &r.returnReason, &r.decisionNumber, &r.decisionDate, &r.authority, &r.authorityLabel,
		&r.late, &r.amended, &r.previous, &r.submittedAt, &r.submittedBy, &r.reviewedAt, &r.reviewedBy, &r.decidedAt, &r.decidedBy, &r.updatedAt, &r.updatedBy)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("dossier: %w", err)
	}
	r.result = result.String
	return &r, nil
}

// dossierRules returns the rule set that governs a dossier of kind for the
// unit, and refuses units it does not cover.
func dossierRules(t *factTarget, kind DossierKind) (*rules.RuleSet, error) {
	rs := t.recognitionRules()
	if kind == DossierGrading {
		rs = t.gradingRules()
	}
	if ok, why := eligibility(rs, t.unit); !ok {
		return nil, antq.Invalid("Đơn vị không thuộc diện", map[string]string{"unit": why})
	}
	return rs, nil
}

// Dossier returns the unit's dossier of kind for the plan, as saved so far
// (a new draft if none), with suggestions, totals, missing documents,
// deadline and deciding authority computed.
func (db *DB) Dossier(ctx context.Context, planID, code string, kind DossierKind) (*Dossier, error) {
	if !kind.Valid() {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không có loại hồ sơ %q", kind)
	}
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	return db.loadDossier(ctx, db.read, t, kind)
}

func (db *DB) loadDossier(ctx context.Context, q querier, t *factTarget, kind DossierKind) (*Dossier, error) {
	rs, err := dossierRules(t, kind)
	if err != nil {
		return nil, err
	}
	d := &Dossier{Plan: t.plan, Unit: t.unit, Kind: kind, State: yearend.Draft, RuleSet: rs}
	row, err := db.dossierRow(ctx, q, t, kind)
	if err != nil {
		return nil, err
	}
	if row != nil {
		d.ID, d.State, d.OverrideReason, d.ReturnReason = row.id, yearend.State(row.state), row.overrideReason, row.returnReason
		d.DecisionNumber, d.DecisionDate, d.Authority, d.AuthorityLabel = row.decisionNumber.String, row.decisionDate, row.authority.String, row.authorityLabel.String
		d.DecidedLate, d.Amended, d.PreviousDecision = row.late, row.amended, row.previous.String
		d.Submitted = Stamp{row.submittedAt, row.submittedBy.String}
		d.Reviewed = Stamp{row.reviewedAt, row.reviewedBy.String}
		d.Decided = Stamp{row.decidedAt, row.decidedBy.String}
		d.UpdatedAt, d.UpdatedBy = row.updatedAt, row.updatedBy
	}
	decided := d.State == yearend.Decided
	if kind == DossierRecognition {
		if err := db.loadCriteria(ctx, q, t, d, rs); err != nil {
			return nil, err
		}
		if decided {
			d.Result = antq.RecognitionResult(row.result)
		}
	} else {
		if err := db.loadScores(ctx, q, t, d, rs); err != nil {
			return nil, err
		}
		d.Grade = d.ComputedGrade
		if row != nil && row.result != "" && (decided || d.OverrideReason != "") {
			d.Grade = antq.Grade(row.result)
		}
	}
	if err := db.loadDocuments(ctx, q, d, rs); err != nil {
		return nil, err
	}
	today := antq.DateOf(db.Now())
	d.Deadline = yearend.Deadline(t.ruleSets, t.unit.Kind, t.plan.Year, today, decided)
	a, authErr := db.authorityFor(ctx, q, t, rs)
	if !decided {
		if authErr != nil {
			d.AuthorityNote = authErr.Error()
		} else {
			d.Authority, d.AuthorityLabel = a.Authority, db.issuerName(ctx, q, t, a)
			if !a.Verified {
				d.AuthorityNote = "Thẩm quyền theo dữ liệu chưa xác minh: " + a.Ref
			}
		}
	}
	if authErr != nil {
		a = nil
	}
	if err := db.loadDuties(ctx, q, t, d, a); err != nil {
		return nil, err
	}
	return d, nil
}

// loadDuties works out what separation of duties lets the caller do with
// the dossier (yearend.CheckTransition): who took its earlier steps, which
// unit the caller belongs to, and where the deciding authority a (nil when
// none is known) sits in the unit tree.
func (db *DB) loadDuties(ctx context.Context, q querier, t *factTarget, d *Dossier, a *rules.Authority) error {
	s := yearend.Step{UnitID: t.unit.ID, UnitName: t.unit.Name,
		History: yearend.History{SubmittedBy: d.Submitted.By, ReviewedBy: d.Reviewed.By}}
	if user := antq.UserFromContext(ctx); user != nil {
		// The command line acts with no unit, as in scopeCondition.
		s.Actor = yearend.Actor{Username: user.Username, UnitID: user.UnitID, System: user.ID == 0 && user.UnitID == 0}
	}
	if a != nil {
		s.Authority.Label = d.AuthorityLabel
		if s.Authority.Label == "" {
			s.Authority.Label = db.issuerName(ctx, q, t, a)
		}
		chain, err := db.decidingChain(ctx, q, t, a.ManagingLevel)
		if err != nil {
			return err
		}
		s.Authority.Chain = chain
	}
	d.duty = s
	d.Refused = map[yearend.Action]string{}
	for _, action := range []yearend.Action{yearend.Return, yearend.Review, yearend.Decide, yearend.Reopen} {
		if _, err := yearend.Next(d.State, action); err != nil {
			continue
		}
		s.Action = action
		if err := yearend.CheckTransition(s); err != nil {
			d.Refused[action] = antq.ErrorMessage(err)
		}
	}
	return nil
}

// decidingChain returns the unit whose authority decides for the unit —
// its nearest ancestor of the managing level — followed by that unit's
// ancestors up to the root, as the tree stood on the unit's day in the
// plan; nil when no ancestor has that level.
func (db *DB) decidingChain(ctx context.Context, q querier, t *factTarget, level antq.UnitKind) ([]int64, error) {
	rows, err := q.QueryContext(ctx, withAncestorsOn("$1", "$2")+`
SELECT up.id, u.kind FROM up JOIN units u ON u.id = up.id WHERE up.depth > 0 ORDER BY up.depth`, t.unit.ID, db.unitDateInPlan(t.plan, t.unit))
	if err != nil {
		return nil, fmt.Errorf("deciding unit: %w", err)
	}
	defer rows.Close()
	var chain []int64
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, fmt.Errorf("deciding unit: %w", err)
		}
		if len(chain) > 0 || antq.UnitKind(kind) == level {
			chain = append(chain, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deciding unit: %w", err)
	}
	return chain, nil
}

// authorityFor finds who decides for the unit: by its kind, the level that
// manages it and the last day of its evaluation window.
func (db *DB) authorityFor(ctx context.Context, q querier, t *factTarget, rs *rules.RuleSet) (*rules.Authority, error) {
	level := antq.KindCommune
	switch {
	case t.unit.Kind == antq.KindResidentialArea:
		level = antq.KindCommune
	case t.unit.Kind.Organisation():
		switch t.unit.ManagingLevel {
		case antq.ManagedByProvince:
			level = antq.KindProvince
		case antq.ManagedByDistrict:
			level = antq.KindDistrict
		case antq.ManagedByCentral:
			level = antq.KindNation
		}
	default:
		var kind string
		if err := q.QueryRowContext(ctx, `SELECT kind FROM units WHERE id = $1`, t.unit.ParentID).Scan(&kind); err == nil {
			level = antq.UnitKind(kind)
		}
	}
	sets := append([]*rules.RuleSet{rs}, t.ruleSets...)
	var firstErr error
	for _, s := range sets {
		a, err := s.Authority(t.unit.Kind, level, t.window.To)
		if err == nil {
			return a, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("chưa xác định được cơ quan có thẩm quyền cho %s do cấp %s quản lý (%v)", t.unit.Kind.Label(), level.Label(), firstErr)
}

// issuerName names the deciding People's Committee concretely ("UBND xã
// Tân Phú") from the unit that manages the unit being decided, falling back
// to the rule's generic label ("UBND cấp xã").
func (db *DB) issuerName(ctx context.Context, q querier, t *factTarget, a *rules.Authority) string {
	if !strings.HasPrefix(a.Authority, "ubnd") || t.unit.ParentID == 0 {
		return a.Label
	}
	var name, kind string
	if err := q.QueryRowContext(ctx, `SELECT name, kind FROM units WHERE id = $1`, t.unit.ParentID).Scan(&name, &kind); err != nil {
		return a.Label
	}
	level := map[string]antq.UnitKind{"ubnd_xa": antq.KindCommune, "ubnd_huyen": antq.KindDistrict, "ubnd_tinh": antq.KindProvince}[a.Authority]
	if antq.UnitKind(kind) != level {
		return a.Label
	}
	// "Xã Tân Phú" → "UBND xã Tân Phú": the type word is lower case after UBND.
	first, rest, _ := strings.Cut(name, " ")
	if w, ok := map[string]string{"Xã": "xã", "Phường": "phường", "Thị": "thị", "Thành": "thành", "Huyện": "huyện", "Quận": "quận", "Tỉnh": "tỉnh", "Đặc": "đặc"}[first]; ok {
		first = w
	}
	return "UBND " + first + " " + rest
}

func (db *DB) loadCriteria(ctx context.Context, q querier, t *factTarget, d *Dossier, rs *rules.RuleSet) error {
	cl, ok := rs.Checklist(t.unit.Kind)
	if !ok {
		return antq.Errorf(antq.EINVALID, "Bộ tiêu chí %s không có danh mục cho %s", rs.ID, t.unit.Kind.Label())
	}
	in := yearend.Inputs{Year: t.plan.Year, Kind: t.unit.Kind}
	var err error
	if in.Registration, err = db.registration(ctx, q, t); err != nil {
		return err
	}
	if in.Incidents, err = db.incidents(ctx, q, t, 0); err != nil {
		return err
	}
	if in.Models, err = db.models(ctx, q, t); err != nil {
		return err
	}
	if t.unit.Kind == antq.KindCommune {
		for _, c := range cl.Criteria {
			if c.EffectiveKind() == rules.CriterionSubordinateRecognition {
				if in.Subordinates, err = db.subordinates(ctx, q, t, rs, c.SubordinateKinds); err != nil {
					return err
				}
			}
		}
	}
	saved := map[string]CriterionView{}
	if d.ID != 0 {
		rows, err := q.QueryContext(ctx, `SELECT criterion_id, verdict, note, override_reason FROM dossier_criteria WHERE dossier_id = $1`, d.ID)
		if err != nil {
			return fmt.Errorf("dossier criteria: %w", err)
		}
		for rows.Next() {
			var id, verdict string
			var v CriterionView
			if err := rows.Scan(&id, &verdict, &v.Note, &v.OverrideReason); err != nil {
				rows.Close()
				return fmt.Errorf("dossier criteria: %w", err)
			}
			v.Verdict = yearend.Verdict(verdict)
			saved[id] = v
		}
		rows.Close()
	}
	var verdicts []yearend.Verdict
	for i, s := range yearend.Suggest(rs, cl, in) {
		c := &cl.Criteria[i]
		v := CriterionView{Criterion: c, Suggestion: s, Verdict: s.Verdict}
		if sv, ok := saved[c.ID]; ok {
			v.Note, v.OverrideReason = sv.Note, sv.OverrideReason
			if sv.Verdict != yearend.Unknown && s.Verdict != yearend.Pending {
				v.Verdict = sv.Verdict
			}
		}
		v.Overridden = definite(s.Verdict) && v.Verdict != s.Verdict
		if s.Verdict == yearend.Pending {
			d.Blocked = s.Reason
		}
		verdicts = append(verdicts, v.Verdict)
		d.Criteria = append(d.Criteria, v)
	}
	d.Result = yearend.Result(verdicts)
	return nil
}

func definite(v yearend.Verdict) bool { return v == yearend.Met || v == yearend.NotMet }

// subordinates counts, for a commune, the units under it that the standard
// covers: registered, recognised "đạt", and registered but undecided.
func (db *DB) subordinates(ctx context.Context, q querier, t *factTarget, rs *rules.RuleSet, kinds []antq.UnitKind) (*yearend.Subordinates, error) {
	d := db.unitDateInPlan(t.plan, t.unit)
	rows, err := q.QueryContext(ctx, `SELECT u.kind, u.armed_forces, u.small_enterprise, u.primary_school,
  (SELECT COUNT(*) FROM registrations r WHERE r.plan_id = $3 AND r.unit_id = u.id),
  (SELECT result FROM recognitions c WHERE c.plan_id = $3 AND c.unit_id = u.id)
FROM unit_links l JOIN units u ON u.id = l.unit_id
WHERE l.parent_id = $1 AND l.valid_from <= $2 AND (l.valid_to IS NULL OR l.valid_to >= $2)
  AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to >= $2)`, t.unit.ID, d, t.factsID)
	if err != nil {
		return nil, fmt.Errorf("subordinates: %w", err)
	}
	defer rows.Close()
	var s yearend.Subordinates
	for rows.Next() {
		var kind string
		var f antq.UnitFlags
		var reg int
		var result sql.NullString
		if err := rows.Scan(&kind, &f.ArmedForces, &f.SmallEnterprise, &f.PrimarySchool, &reg, &result); err != nil {
			return nil, fmt.Errorf("subordinates: %w", err)
		}
		k := antq.UnitKind(kind)
		if !slices.Contains(kinds, k) {
			continue
		}
		if ok, _ := rs.Eligible(k, unitRuleFlags(&antq.Unit{Flags: f})...); !ok {
			continue
		}
		s.Eligible++
		if reg > 0 {
			s.Registered++
			switch {
			case !result.Valid:
				s.Undecided++
			case result.String == string(antq.RecognitionDat):
				s.Recognised++
			}
		}
	}
	return &s, rows.Err()
}

func (db *DB) loadScores(ctx context.Context, q querier, t *factTarget, d *Dossier, rs *rules.RuleSet) error {
	rb, ok := rs.Rubric(t.unit.Kind)
	if !ok {
		return antq.Errorf(antq.EINVALID, "Bộ tiêu chí %s không có bảng điểm cho %s", rs.ID, t.unit.Kind.Label())
	}
	d.Rubric = rb
	saved := map[string]ScoreView{}
	if d.ID != 0 {
		rows, err := q.QueryContext(ctx, `SELECT item_id, self_tenths, reviewed_tenths, note FROM dossier_scores WHERE dossier_id = $1`, d.ID)
		if err != nil {
			return fmt.Errorf("dossier scores: %w", err)
		}
		for rows.Next() {
			var id string
			var self, reviewed sql.NullInt64
			var v ScoreView
			if err := rows.Scan(&id, &self, &reviewed, &v.Note); err != nil {
				rows.Close()
				return fmt.Errorf("dossier scores: %w", err)
			}
			v.Self, v.Reviewed = tenthsPtr(self), tenthsPtr(reviewed)
			saved[id] = v
		}
		rows.Close()
	}
	var scores []yearend.ItemScore
	for _, it := range yearend.LeafItems(rb) {
		v := saved[it.ID]
		v.Item = it
		d.Scores = append(d.Scores, v)
		scores = append(scores, yearend.ItemScore{ItemID: it.ID, Self: v.Self, Reviewed: v.Reviewed})
	}
	d.SelfTotal, d.ReviewedTotal, _ = yearend.Score(rb, scores)
	rec, err := db.recognition(ctx, q, t)
	if err != nil {
		return err
	}
	recognised := rec != nil && rec.Result == antq.RecognitionDat
	d.ComputedGrade, d.GradeReasons = yearend.Grade(rb, d.ReviewedTotal, recognised)
	return nil
}

func tenthsPtr(v sql.NullInt64) *antq.Tenths {
	if !v.Valid {
		return nil
	}
	t := antq.Tenths(v.Int64)
	return &t
}

func (db *DB) loadDocuments(ctx context.Context, q querier, d *Dossier, rs *rules.RuleSet) error {
	saved := map[string]DocumentView{}
	if d.ID != 0 {
		rows, err := q.QueryContext(ctx, `SELECT code, number, doc_date, evidence_id FROM dossier_documents WHERE dossier_id = $1`, d.ID)
		if err != nil {
			return fmt.Errorf("dossier documents: %w", err)
		}
		for rows.Next() {
			var code string
			var v DocumentView
			var ev sql.NullInt64
			if err := rows.Scan(&code, &v.Number, &v.Date, &ev); err != nil {
				rows.Close()
				return fmt.Errorf("dossier documents: %w", err)
			}
			v.EvidenceID = ev.Int64
			saved[code] = v
		}
		rows.Close()
	}
	for _, doc := range rs.Dossier {
		v := saved[doc.Code]
		v.Doc = doc
		v.Missing = doc.Required && v.Number == "" && v.EvidenceID == 0
		if v.Missing {
			d.Missing = append(d.Missing, doc.Title)
		}
		d.Documents = append(d.Documents, v)
	}
	return nil
}

// ---- changes ----

// CriterionInput is a verdict on one criterion. A verdict that departs from
// the software's suggestion needs a reason.
type CriterionInput struct {
	ID             string          `json:"id"`
	Verdict        yearend.Verdict `json:"verdict"`
	Note           string          `json:"note"`
	OverrideReason string          `json:"override_reason"`
}

// DocumentInput names a dossier document: its number and date, and/or an
// evidence file of the unit.
type DocumentInput struct {
	Code       string    `json:"code"`
	Number     string    `json:"number"`
	Date       antq.Date `json:"date"`
	EvidenceID int64     `json:"evidence_id"`
}

// ScoreInput is one rubric item's scores.
type ScoreInput struct {
	ItemID   string       `json:"item"`
	Self     *antq.Tenths `json:"self"`
	Reviewed *antq.Tenths `json:"reviewed"`
	Note     string       `json:"note"`
}

// DossierInput changes a dossier's content. Only the parts given change.
type DossierInput struct {
	Criteria  []CriterionInput `json:"criteria"`
	Documents []DocumentInput  `json:"documents"`
	Scores    []ScoreInput     `json:"scores"`
	// Grade overrides the grade the bands give (grading; needs Reason).
	Grade          antq.Grade `json:"grade"`
	OverrideReason string     `json:"override_reason"`
}

// ensureDossier returns the dossier's id, creating its row in the draft
// state if it does not exist yet.
func (db *DB) ensureDossier(ctx context.Context, tx *Tx, t *factTarget, kind DossierKind) (*dossierRow, error) {
	row, err := db.dossierRow(ctx, tx, t, kind)
	if err != nil || row != nil {
		return row, err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO dossiers (plan_id, unit_id, kind, state, updated_at, updated_by) VALUES ($1, $2, $3, 'draft', $4, $5) RETURNING id`,
		t.factsID, t.unit.ID, string(kind), tx.now, actorName(ctx)).Scan(&id); err != nil {
		return nil, fmt.Errorf("dossier: %w", err)
	}
	return db.dossierRow(ctx, tx, t, kind)
}

// UpdateDossier saves verdicts, documents and scores. Scores reviewed by the
// reviewing level, overrides of suggestions and of the grade need the
// decide permission; a decided dossier is locked until reopened.
func (db *DB) UpdateDossier(ctx context.Context, planID, code string, kind DossierKind, in DossierInput) (*Dossier, error) {
	if !kind.Valid() {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không có loại hồ sơ %q", kind)
	}
	user := antq.UserFromContext(ctx)
	var out *Dossier
	err := db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		before, err := db.loadDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		if !before.State.Editable() {
			return &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf("Hồ sơ đang ở trạng thái “%s”: không sửa được. Hồ sơ đã quyết định chỉ thay đổi bằng quyết định mới (mở lại hồ sơ).", before.State.Label())}
		}
		f := antq.FieldErrors{}
		suggestions := map[string]CriterionView{}
		for _, c := range before.Criteria {
			suggestions[c.Criterion.ID] = c
		}
		for i, c := range in.Criteria {
			field := fmt.Sprintf("criteria[%d]", i)
			cv, ok := suggestions[c.ID]
			switch {
			case kind != DossierRecognition:
				f.Add(field, "hồ sơ xếp loại không có tiêu chí công nhận")
			case !ok:
				f.Add(field+".id", fmt.Sprintf("tiêu chí %q không có trong danh mục của %s", c.ID, t.unit.Kind.Label()))
			case c.Verdict != yearend.Met && c.Verdict != yearend.NotMet && c.Verdict != yearend.Unknown:
				f.Add(field+".verdict", "đánh giá phải là met, not_met hoặc unknown")
			case cv.Suggestion.Verdict == yearend.Pending && c.Verdict != yearend.Unknown:
				f.Add(field+".verdict", "tiêu chí chờ kết quả các đơn vị trực thuộc: "+cv.Suggestion.Reason)
			case definite(cv.Suggestion.Verdict) && c.Verdict != cv.Suggestion.Verdict && c.Verdict != yearend.Unknown:
				if strings.TrimSpace(c.OverrideReason) == "" {
					f.Add(field+".override_reason", fmt.Sprintf("khác với đề xuất (%s: %s): cần nêu lý do", cv.Suggestion.Verdict.Label(), cv.Suggestion.Reason))
				} else if !user.Can(antq.PermFactDecide) {
					f.Add(field+".override_reason", "chỉ người thẩm định được thay đổi đề xuất của hệ thống")
				}
			}
			if utf8.RuneCountInString(c.Note) > 2000 || utf8.RuneCountInString(c.OverrideReason) > 2000 {
				f.Add(field+".note", "ghi chú quá dài (tối đa 2000 ký tự)")
			}
		}
		docs := map[string]bool{}
		for _, d := range before.Documents {
			docs[d.Doc.Code] = true
		}
		for i, d := range in.Documents {
			field := fmt.Sprintf("documents[%d]", i)
			if !docs[d.Code] {
				f.Add(field+".code", fmt.Sprintf("loại văn bản %q không có trong danh mục hồ sơ", d.Code))
			}
			if !d.Date.IsZero() {
				db.checkNotFuture(f, field+".date", d.Date)
			}
			if d.EvidenceID != 0 {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM evidence WHERE id = $1 AND plan_id = $2 AND unit_id = $3`, d.EvidenceID, t.factsID, t.unit.ID).Scan(&n); err != nil {
					return fmt.Errorf("dossier: %w", err)
				} else if n == 0 {
					f.Add(field+".evidence_id", "không có minh chứng này của đơn vị")
				}
			}
		}
		if kind == DossierGrading && len(in.Scores) > 0 {
			var scores []yearend.ItemScore
			for _, s := range in.Scores {
				scores = append(scores, yearend.ItemScore{ItemID: s.ItemID, Self: s.Self, Reviewed: s.Reviewed})
				if s.Reviewed != nil && !user.Can(antq.PermFactDecide) {
					f.Add("scores."+s.ItemID, "chỉ cấp thẩm định chấm điểm thẩm định")
				}
			}
			_, _, errs := yearend.Score(before.Rubric, scores)
			for item, reason := range errs {
				f.Add("scores."+item, reason)
			}
		} else if kind != DossierGrading && len(in.Scores) > 0 {
			f.Add("scores", "hồ sơ công nhận không chấm điểm")
		}
		if in.Grade != "" {
			switch {
			case kind != DossierGrading:
				f.Add("grade", "chỉ hồ sơ xếp loại có xếp loại")
			case !in.Grade.Valid():
				f.Add("grade", fmt.Sprintf("xếp loại %q không hợp lệ", in.Grade))
			case strings.TrimSpace(in.OverrideReason) == "":
				f.Add("override_reason", "xếp loại khác với kết quả tính theo ngưỡng: cần nêu lý do")
			case !user.Can(antq.PermFactDecide):
				f.Add("grade", "chỉ người thẩm định được thay đổi xếp loại")
			}
		}
		if err := f.Err("Hồ sơ không hợp lệ"); err != nil {
			return err
		}
		row, err := db.ensureDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		for _, c := range in.Criteria {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_criteria (dossier_id, criterion_id, verdict, note, override_reason) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, criterion_id) DO UPDATE SET verdict = excluded.verdict, note = excluded.note, override_reason = excluded.override_reason`,
				row.id, c.ID, string(c.Verdict), strings.TrimSpace(c.Note), strings.TrimSpace(c.OverrideReason)); err != nil {
				return fmt.Errorf("dossier criteria: %w", err)
			}
		}
		for _, d := range in.Documents {
			var ev any
			if d.EvidenceID != 0 {
				ev = d.EvidenceID
			}
			var date any
			if !d.Date.IsZero() {
				date = d.Date
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_documents (dossier_id, code, number, doc_date, evidence_id) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, code) DO UPDATE SET number = excluded.number, doc_date = excluded.doc_date, evidence_id = excluded.evidence_id`,
				row.id, d.Code, strings.TrimSpace(d.Number), date, ev); err != nil {
				return fmt.Errorf("dossier documents: %w", err)
			}
		}
		for _, s := range in.Scores {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dossier_scores (dossier_id, item_id, self_tenths, reviewed_tenths, note) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (dossier_id, item_id) DO UPDATE SET self_tenths = COALESCE(excluded.self_tenths, dossier_scores.self_tenths),
  reviewed_tenths = COALESCE(excluded.reviewed_tenths, dossier_scores.reviewed_tenths), note = excluded.note`,
				row.id, s.ItemID, tenthsArg(s.Self), tenthsArg(s.Reviewed), strings.TrimSpace(s.Note)); err != nil {
				return fmt.Errorf("dossier scores: %w", err)
			}
		}
		if in.Grade != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET result = $1, override_reason = $2 WHERE id = $3`, string(in.Grade), strings.TrimSpace(in.OverrideReason), row.id); err != nil {
				return fmt.Errorf("dossier: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET updated_at = $1, updated_by = $2 WHERE id = $3`, tx.now, actorName(ctx), row.id); err != nil {
			return fmt.Errorf("dossier: %w", err)
		}
		if out, err = db.loadDossier(ctx, tx, t, kind); err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: "update", Entity: "dossier_" + string(kind), Key: factKey(t), UnitID: t.unit.ID,
			Old: dossierSummary(before), New: map[string]any{"input": in, "summary": dossierSummary(out)}})
	})
	return out, err
}

func tenthsArg(v *antq.Tenths) any {
	if v == nil {
		return nil
	}
	return int64(*v)
}

// dossierSummary is what the audit trail keeps of a dossier's state.
func dossierSummary(d *Dossier) map[string]any {
	m := map[string]any{"state": d.State}
	if d.Kind == DossierRecognition {
		verdicts := map[string]yearend.Verdict{}
		for _, c := range d.Criteria {
			verdicts[c.Criterion.ID] = c.Verdict
		}
		m["verdicts"], m["result"] = verdicts, d.Result
	} else {
		m["self_total"], m["reviewed_total"], m["grade"] = d.SelfTotal, d.ReviewedTotal, d.Grade
	}
	if d.DecisionNumber != "" {
		m["decision"] = d.DecisionNumber
	}
	return m
}

// TransitionInput carries what a workflow step needs: a reason to return,
// the decision's number and date to decide.
type TransitionInput struct {
	Reason         string    `json:"reason"`
	DecisionNumber string    `json:"decision_number"`
	DecisionDate   antq.Date `json:"decision_date"`
}

// Transition moves a dossier through the workflow. Submitting needs the
// required documents (and, for a commune, its subordinate units decided);
// review needs every criterion assessed (every item scored); returning
// needs a reason; deciding needs the decision's number and date and writes
// the decided result into the facts, which moves the indicators.
func (db *DB) Transition(ctx context.Context, planID, code string, kind DossierKind, action yearend.Action, in TransitionInput) (*Dossier, error) {
	if !kind.Valid() {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không có loại hồ sơ %q", kind)
	}
	if err := mayAct(antq.UserFromContext(ctx), action); err != nil {
		return nil, err
	}
	var out *Dossier
	err := db.withFactAudited(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		d, err := db.loadDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		next, err := yearend.Next(d.State, action)
		if err != nil {
			return &antq.Error{Code: antq.ECONFLICT, Message: strings.ToUpper(err.Error()[:1]) + err.Error()[1:]}
		}
		step := d.duty
		step.Action = action
		if err := yearend.CheckTransition(step); err != nil {
			return refuse(err, t, "dossier_"+string(kind), map[string]any{"action": action, "state": d.State})
		}
		f := antq.FieldErrors{}
		in.Reason = strings.TrimSpace(in.Reason)
		switch action {
		case yearend.Submit:
			if len(d.Missing) > 0 {
				f.Add("documents", "còn thiếu: "+strings.Join(d.Missing, "; "))
			}
			if d.Blocked != "" {
				f.Add("criteria", d.Blocked)
			}
		case yearend.Return:
			if in.Reason == "" {
				f.Add("reason", "cần nêu lý do trả lại để đơn vị biết cần bổ sung gì")
			}
		case yearend.Review:
			if kind == DossierRecognition {
				for _, c := range d.Criteria {
					if !definite(c.Verdict) {
						f.Add("criteria."+c.Criterion.ID, "chưa đánh giá: "+c.Suggestion.Reason)
					}
				}
			} else {
				for _, s := range d.Scores {
					if s.Self == nil && s.Reviewed == nil {
						f.Add("scores."+s.Item.ID, "chưa chấm điểm")
					}
				}
				if d.Grade == "" {
					f.Add("grade", strings.Join(d.GradeReasons, " "))
				}
			}
			if d.Blocked != "" {
				f.Add("criteria", d.Blocked)
			}
		case yearend.Decide:
			in.DecisionNumber = strings.TrimSpace(in.DecisionNumber)
			if in.DecisionNumber == "" {
				f.Add("decision_number", "cần số, ký hiệu quyết định")
			} else if d.Amended && in.DecisionNumber == d.PreviousDecision {
				f.Add("decision_number", "hồ sơ đã mở lại sau quyết định "+d.PreviousDecision+": cần một quyết định mới")
			}
			if in.DecisionDate.IsZero() {
				f.Add("decision_date", "cần ngày quyết định")
			} else {
				db.checkDecisionDate(f, t, in.DecisionDate)
				if len(f) > 0 && f["decided_on"] != "" {
					f.Add("decision_date", f["decided_on"])
					delete(f, "decided_on")
				}
			}
			if d.Authority == "" {
				f.Add("authority", d.AuthorityNote)
			}
			if d.Blocked != "" {
				f.Add("criteria", d.Blocked)
			}
		}
		if err := f.Err("Chưa thể " + map[yearend.Action]string{yearend.Submit: "gửi", yearend.Return: "trả lại", yearend.Review: "thẩm định", yearend.Decide: "quyết định", yearend.Reopen: "mở lại"}[action] + " hồ sơ"); err != nil {
			return err
		}
		row, err := db.ensureDossier(ctx, tx, t, kind)
		if err != nil {
			return err
		}
		who := actorName(ctx)
		var q string
		var args []any
		switch action {
		case yearend.Submit:
			q, args = `UPDATE dossiers SET state = $1, submitted_at = $2, submitted_by = $3, return_reason = '' WHERE id = $4`, []any{string(next), tx.now, who, row.id}
		case yearend.Return:
			q, args = `UPDATE dossiers SET state = $1, return_reason = $2 WHERE id = $3`, []any{string(next), in.Reason, row.id}
		case yearend.Review:
			result := string(d.Result)
			if kind == DossierGrading {
				result = string(d.Grade)
			}
			q, args = `UPDATE dossiers SET state = $1, reviewed_at = $2, reviewed_by = $3, result = $4 WHERE id = $5`, []any{string(next), tx.now, who, result, row.id}
		case yearend.Decide:
			late := d.Deadline != nil && in.DecisionDate.After(d.Deadline.Due)
			q, args = `UPDATE dossiers SET state = $1, decided_at = $2, decided_by = $3, decision_number = $4, decision_date = $5,
  authority = $6, authority_label = $7, decided_late = $8 WHERE id = $9`,
				[]any{string(next), tx.now, who, in.DecisionNumber, in.DecisionDate, d.Authority, d.AuthorityLabel, late, row.id}
		case yearend.Reopen:
			if in.Reason == "" {
				return antq.Invalid("Chưa thể mở lại hồ sơ", map[string]string{"reason": "cần nêu lý do mở lại hồ sơ đã quyết định"})
			}
			q, args = `UPDATE dossiers SET state = $1, amended = TRUE, previous_decision = decision_number, return_reason = $2 WHERE id = $3`, []any{string(next), in.Reason, row.id}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("dossier %s: %w", action, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET updated_at = $1, updated_by = $2 WHERE id = $3`, tx.now, who, row.id); err != nil {
			return fmt.Errorf("dossier: %w", err)
		}
		if action == yearend.Decide {
			if err := db.applyDecision(ctx, tx, t, kind, d, in); err != nil {
				return err
			}
		}
		if out, err = db.loadDossier(ctx, tx, t, kind); err != nil {
			return err
		}
		return db.audit(ctx, tx, auditEntry{Action: string(action), Entity: "dossier_" + string(kind), Key: factKey(t), UnitID: t.unit.ID,
			Reason: in.Reason, Old: dossierSummary(d), New: dossierSummary(out)})
	})
	return out, err
}

// refusal is a step refused for a reason the audit trail keeps (separation
// of duties). withFactAudited records it once the transaction that found
// it has rolled back.
type refusal struct {
	err   error
	entry auditEntry
}

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuse wraps err (a refusal whose message says why) with the audit
// record of the attempt on the unit of t.
func refuse(err error, t *factTarget, entity string, attempt map[string]any) error {
	return &refusal{err: err, entry: auditEntry{Action: "refused", Entity: entity, Key: factKey(t), UnitID: t.unit.ID,
		Reason: antq.ErrorMessage(err), New: attempt}}
}

// withFactAudited is withFact that records a refusal fn returns (refuse)
// in the audit trail, in a transaction of its own, and returns the refusal.
func (db *DB) withFactAudited(ctx context.Context, planID, code string, fn func(tx *Tx, t *factTarget) error) error {
	err := db.withFact(ctx, planID, code, fn)
	var r *refusal
	if !errors.As(err, &r) {
		return err
	}
	if aerr := db.inTx(ctx, func(tx *Tx) error { return db.audit(ctx, tx, r.entry) }); aerr != nil {
		return aerr
	}
	return r.err
}

// mayEnterDecision guards direct entry (and deletion) of a decided result,
// recognition or grade: refused while a dossier governs it, and held to the
// same authority as a dossier's decision — the unit under assessment never
// enters its own result, and only the deciding authority's unit or a unit
// above it enters one.
func (db *DB) mayEnterDecision(ctx context.Context, tx *Tx, t *factTarget, kind DossierKind, fact antq.FactKind, action string) error {
	if err := db.lockedByDossier(ctx, tx, t, kind); err != nil {
		return err
	}
	rs := t.recognitionRules()
	if kind == DossierGrading {
		rs = t.gradingRules()
	}
	if rs == nil {
		return nil // no rule set: the write refuses the unit itself
	}
	d := &Dossier{State: yearend.Reviewed}
	a, err := db.authorityFor(ctx, tx, t, rs)
	if err != nil {
		a = nil
	}
	if err := db.loadDuties(ctx, tx, t, d, a); err != nil {
		return err
	}
	step := d.duty
	step.Action = yearend.Decide
	if err := yearend.CheckTransition(step); err != nil {
		return refuse(err, t, string(fact), map[string]any{"action": action})
	}
	return nil
}

// mayAct checks that the user's role may take the workflow step at all
// (submit: fact:write; the others: fact:decide).
func mayAct(user *antq.User, action yearend.Action) error {
	switch action {
	case yearend.Submit:
		if !user.Can(antq.PermFactWrite) {
			return antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền gửi hồ sơ")
		}
	case yearend.Return, yearend.Review, yearend.Decide, yearend.Reopen:
		if !user.Can(antq.PermFactDecide) {
			return antq.Errorf(antq.EFORBIDDEN, "Chỉ cấp thẩm định, quyết định thực hiện được thao tác này")
		}
	default:
		return antq.Invalid("Thao tác không hợp lệ", map[string]string{"action": fmt.Sprintf("%q không phải submit, return, review, decide hoặc reopen", action)})
	}
	return nil
}

// applyDecision writes a decided dossier's result into the facts (the same
// records direct entry uses) and keeps the indicators in step.
func (db *DB) applyDecision(ctx context.Context, tx *Tx, t *factTarget, kind DossierKind, d *Dossier, in TransitionInput) error {
	doc := &antq.DocumentRef{Number: in.DecisionNumber, Date: in.DecisionDate, Issuer: d.AuthorityLabel, Title: kind.Label()}
	if kind == DossierRecognition {
		old, err := db.recognition(ctx, tx, t)
		if err != nil {
			return err
		}
		result := d.Result
		if result == "" {
			return antq.Invalid("Chưa thể quyết định", map[string]string{"criteria": "còn tiêu chí chưa đánh giá"})
		}
		if err := upsertFact(ctx, tx, t, "recognitions", []string{"result", "decided_on"}, []any{string(result), in.DecisionDate}, doc); err != nil {
			return err
		}
		return db.factChanged(ctx, tx, t, antq.FactRecognition, putAction(old != nil), old,
			&antq.Recognition{Result: result, DecidedOn: in.DecisionDate, Decision: doc, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}})
	}
	old, err := db.grade(ctx, tx, t)
	if err != nil {
		return err
	}
	score := d.ReviewedTotal
	if err := upsertFact(ctx, tx, t, "grades", []string{"grade", "score_tenths"}, []any{string(d.Grade), int64(score)}, doc); err != nil {
		return err
	}
	return db.factChanged(ctx, tx, t, antq.FactGrade, putAction(old != nil), old,
		&antq.GradeRecord{Grade: d.Grade, Score: &score, Decision: doc, Stamp: antq.Stamp{UpdatedAt: tx.now, UpdatedBy: actorName(ctx)}})
}

// lockedByDossier refuses direct entry of a result that a dossier governs.
func (db *DB) lockedByDossier(ctx context.Context, q querier, t *factTarget, kind DossierKind) error {
	row, err := db.dossierRow(ctx, q, t, kind)
	if err != nil || row == nil {
		return err
	}
	return &antq.Error{Code: antq.ECONFLICT, Message: fmt.Sprintf("Kết quả của đơn vị này được xét qua hồ sơ (%s); hãy thao tác trên hồ sơ", yearend.State(row.state).Label())}
}

// BulkResult is the outcome of one unit of a bulk transition.
type BulkResult struct {
	Code   string            `json:"code"`
	State  string            `json:"state,omitempty"`
	Error  string            `json:"error,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

// BulkTransition applies one action to many units' dossiers, each in its own
// transaction, and reports each unit's outcome: an approver reviews or
// decides a list at once, and one bad dossier does not stop the others.
func (db *DB) BulkTransition(ctx context.Context, planID string, codes []string, kind DossierKind, action yearend.Action, in TransitionInput) ([]BulkResult, error) {
	if len(codes) == 0 || len(codes) > 1000 {
		return nil, antq.Invalid("Danh sách đơn vị không hợp lệ", map[string]string{"units": "cần từ 1 đến 1000 mã đơn vị"})
	}
	// The role decides for the whole list; separation of duties for each
	// unit (a refused unit is reported, the others go on).
	if err := mayAct(antq.UserFromContext(ctx), action); err != nil {
		return nil, err
	}
	out := make([]BulkResult, 0, len(codes))
	for _, code := range codes {
		d, err := db.Transition(ctx, planID, code, kind, action, in)
		r := BulkResult{Code: code}
		if err != nil {
			if antq.ErrorCode(err) == antq.EINTERNAL {
				return out, err
			}
			r.Error, r.Fields = antq.ErrorMessage(err), antq.ErrorFields(err)
		} else {
			r.State = string(d.State)
		}
		out = append(out, r)
	}
	return out, nil
}

// InboxItem is a dossier waiting for someone, or late.
type InboxItem struct {
	Unit     *antq.Unit
	Kind     DossierKind
	State    yearend.State
	Result   string
	Deadline *yearend.DeadlineStatus
	Updated  time.Time
	By       string
}

// InboxFilter selects inbox items.
type InboxFilter struct {
	States []yearend.State // default: submitted and reviewed
	Kind   DossierKind
	Late   bool // only dossiers past their deadline and not decided
	Offset int
	Limit  int
}

// Inbox lists the dossiers in the caller's scope that wait for action, with
// deadline status, late ones first.
func (db *DB) Inbox(ctx context.Context, planID string, f InboxFilter) ([]InboxItem, int, error) {
	plan, c, err := db.Plan(ctx, planID)
	if err != nil {
		return nil, 0, err
	}
	factsID := factsPlanID(c, plan)
	sets, err := c.RuleSetsOf(plan)
	if err != nil {
		return nil, 0, err
	}
	states := f.States
	if len(states) == 0 {
		states = []yearend.State{yearend.Submitted, yearend.Reviewed}
	}
	if f.Late {
		states = []yearend.State{yearend.Draft, yearend.Submitted, yearend.Returned, yearend.Reviewed}
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var ph []string
	for _, s := range states {
		ph = append(ph, arg(string(s)))
	}
	where := []string{"d.plan_id = " + arg(factsID), "d.state IN (" + strings.Join(ph, ", ") + ")"}
	if f.Kind != "" {
		where = append(where, "d.kind = "+arg(string(f.Kind)))
	}
	today := antq.DateOf(db.Now())
	cond, err := db.scopeCondition(ctx, db.read, "d.unit_id", refDate(today.String()), arg)
	if err != nil {
		return nil, 0, err
	}
	if cond != "" {
		where = append(where, cond)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT d.unit_id, u.code, u.name, u.kind, d.kind, d.state, COALESCE(d.result, ''), d.updated_at, d.updated_by
FROM dossiers d JOIN units u ON u.id = d.unit_id WHERE `+strings.Join(where, " AND ")+` ORDER BY d.updated_at`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("inbox: %w", err)
	}
	defer rows.Close()
	var all []InboxItem
	for rows.Next() {
		var it InboxItem
		u := &antq.Unit{}
		var ukind, dkind, state string
		if err := rows.Scan(&u.ID, &u.Code, &u.Name, &ukind, &dkind, &state, &it.Result, &it.Updated, &it.By); err != nil {
			return nil, 0, fmt.Errorf("inbox: %w", err)
		}
		u.Kind = antq.UnitKind(ukind)
		it.Unit, it.Kind, it.State = u, DossierKind(dkind), yearend.State(state)
		it.Deadline = yearend.Deadline(sets, u.Kind, plan.Year, today, false)
		if f.Late && (it.Deadline == nil || !it.Deadline.Late) {
			continue
		}
		all = append(all, it)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	slices.SortStableFunc(all, func(a, b InboxItem) int {
		la, lb := a.Deadline != nil && a.Deadline.Late, b.Deadline != nil && b.Deadline.Late
		switch {
		case la && !lb:
			return -1
		case lb && !la:
			return 1
		}
		return 0
	})
	total := len(all)
	if f.Offset > len(all) {
		f.Offset = len(all)
	}
	all = all[f.Offset:]
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	return all, total, nil
}
