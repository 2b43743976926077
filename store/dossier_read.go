package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"antq"
	"antq/rules"
	"antq/yearend"
)

// dossierRecord is a row of dossiers: what a dossier saved of its workflow.
type dossierRecord struct {
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
	signerTitle, signerName                     string
	certificateNo                               sql.NullInt64
}

// findDossierRecord reads the unit's dossier of kind; nil when the unit has
// none yet (a dossier is a draft until its first change).
func findDossierRecord(ctx context.Context, q querier, t *factTarget, kind yearend.DossierKind) (*dossierRecord, error) {
	var r dossierRecord
	var result sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, state, result, override_reason, return_reason, decision_number, decision_date, authority, authority_label,
  decided_late, amended, previous_decision, submitted_at, submitted_by, reviewed_at, reviewed_by, decided_at, decided_by, updated_at, updated_by,
  signer_title, signer_name, certificate_no
FROM dossiers WHERE plan_id = $1 AND unit_id = $2 AND kind = $3`, t.factsPlanID, t.unit.ID, string(kind)).Scan(
		&r.id, &r.state, &result, &r.overrideReason, &r.returnReason, &r.decisionNumber, &r.decisionDate, &r.authority, &r.authorityLabel,
		&r.late, &r.amended, &r.previous, &r.submittedAt, &r.submittedBy, &r.reviewedAt, &r.reviewedBy, &r.decidedAt, &r.decidedBy, &r.updatedAt, &r.updatedBy,
		&r.signerTitle, &r.signerName, &r.certificateNo)
	if errNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("dossier: %w", err)
	}
	r.result = result.String
	return &r, nil
}

// fill copies the saved workflow into d.
func (r *dossierRecord) fill(d *yearend.Dossier) {
	d.ID, d.State, d.OverrideReason, d.ReturnReason = r.id, yearend.State(r.state), r.overrideReason, r.returnReason
	d.DecisionNumber, d.DecisionDate, d.Authority, d.AuthorityLabel = r.decisionNumber.String, r.decisionDate, r.authority.String, r.authorityLabel.String
	d.DecidedLate, d.Amended, d.PreviousDecision = r.late, r.amended, r.previous.String
	d.Submitted = yearend.Stamp{At: r.submittedAt, By: r.submittedBy.String}
	d.Reviewed = yearend.Stamp{At: r.reviewedAt, By: r.reviewedBy.String}
	d.Decided = yearend.Stamp{At: r.decidedAt, By: r.decidedBy.String}
	d.UpdatedAt, d.UpdatedBy = r.updatedAt, r.updatedBy
	d.SignerTitle, d.SignerName, d.CertificateNo = r.signerTitle, r.signerName, int(r.certificateNo.Int64)
}

// dossierRuleSet is the plan's rule set for dossiers of kind (nil if the
// plan has none).
func dossierRuleSet(t *factTarget, kind yearend.DossierKind) *rules.RuleSet {
	if kind == yearend.DossierGrading {
		return t.gradingRules()
	}
	return t.recognitionRules()
}

// dossierRules returns the rule set that governs a dossier of kind for the
// unit, and refuses units it does not cover.
func dossierRules(t *factTarget, kind yearend.DossierKind) (*rules.RuleSet, error) {
	rs := dossierRuleSet(t, kind)
	if ok, why := rules.Eligibility(rs, t.unit); !ok {
		return nil, antq.Invalid("Đơn vị không thuộc diện", map[string]string{"unit": why})
	}
	return rs, nil
}

// Dossier returns the unit's dossier of kind for the plan, as saved so far
// (a new draft if none), with suggestions, totals, missing documents,
// deadline and deciding authority computed.
func (db *DB) Dossier(ctx context.Context, planID, code string, kind yearend.DossierKind) (*yearend.Dossier, error) {
	if err := kind.Validate(); err != nil {
		return nil, err
	}
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, err
	}
	return db.loadDossier(ctx, db.read, t, kind)
}

// loadDossier loads what the dossier saved and the facts its rules look
// at, and lets package yearend compute the rest.
func (db *DB) loadDossier(ctx context.Context, q querier, t *factTarget, kind yearend.DossierKind) (*yearend.Dossier, error) {
	rs, err := dossierRules(t, kind)
	if err != nil {
		return nil, err
	}
	d := &yearend.Dossier{Plan: t.plan, Unit: t.unit, Kind: kind, State: yearend.Draft, RuleSet: rs, Window: t.window}
	rec, err := findDossierRecord(ctx, q, t, kind)
	if err != nil {
		return nil, err
	}
	var saved string // the result or grade the dossier saved
	if rec != nil {
		rec.fill(d)
		saved = rec.result
	}
	if kind == yearend.DossierRecognition {
		err = db.loadCriteria(ctx, q, t, d, antq.RecognitionResult(saved))
	} else {
		err = db.loadScores(ctx, q, t, d, antq.Grade(saved))
	}
	if err != nil {
		return nil, err
	}
	if err := loadDocuments(ctx, q, d); err != nil {
		return nil, err
	}
	decided := d.State == yearend.Decided
	d.Deadline = yearend.Deadline(t.ruleSets, kind, t.unit.Kind, t.plan.Year, antq.DateOf(db.Now()), decided)
	a, authErr := db.authorityFor(ctx, q, t, rs)
	if !decided {
		if authErr != nil {
			d.AuthorityNote = authErr.Error()
		} else {
			d.Authority, d.AuthorityLabel = a.Authority, issuerName(ctx, q, t, a)
			if !a.Verified {
				d.AuthorityNote = "Thẩm quyền theo dữ liệu chưa đối chiếu văn bản: " + a.Ref
			}
		}
	}
	if authErr != nil {
		a = nil
	}
	history := yearend.History{SubmittedBy: d.Submitted.By, ReviewedBy: d.Reviewed.By}
	step, err := db.dutyStep(ctx, q, t, a, d.AuthorityLabel, history)
	if err != nil {
		return nil, err
	}
	d.SetDuty(step)
	return d, nil
}

// dutyStep loads what separation of duties looks at (yearend.CheckDuties):
// the caller, the unit, who took the dossier's earlier steps (history) and
// where the deciding authority a (nil when none is known; label, its name
// if already known) sits in the unit tree.
func (db *DB) dutyStep(ctx context.Context, q querier, t *factTarget, a *rules.Authority, label string, history yearend.History) (yearend.Step, error) {
	s := yearend.Step{Actor: yearend.ActorOf(antq.UserFromContext(ctx)), UnitID: t.unit.ID, UnitName: t.unit.Name, History: history}
	if a == nil {
		return s, nil
	}
	s.Authority.Label = label
	if s.Authority.Label == "" {
		s.Authority.Label = issuerName(ctx, q, t, a)
	}
	chain, err := db.decidingChain(ctx, q, t, a.Decides())
	if err != nil {
		return s, err
	}
	s.Authority.Chain = chain
	return s, nil
}

// decidingChain returns the unit whose authority decides for the unit —
// its nearest ancestor of the managing level — followed by that unit's
// ancestors up to the root, as the tree stood on the unit's day in the
// plan; nil when no ancestor has that level.
func (db *DB) decidingChain(ctx context.Context, q querier, t *factTarget, level antq.UnitKind) ([]int64, error) {
	var chain []int64
	err := queryEach(ctx, q, "deciding unit", func(rows *sql.Rows) error {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return err
		}
		if len(chain) > 0 || antq.UnitKind(kind) == level {
			chain = append(chain, id)
		}
		return nil
	}, withAncestorsOn("$1", "$2")+`
SELECT up.id, u.kind FROM up JOIN units u ON u.id = up.id WHERE up.depth > 0 ORDER BY up.depth`, t.unit.ID, t.plan.UnitDate(t.unit))
	return chain, err
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
func issuerName(ctx context.Context, q querier, t *factTarget, a *rules.Authority) string {
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

// loadCriteria loads the facts the checklist looks at and the verdicts the
// dossier saved; decided is the result saved with the decision.
func (db *DB) loadCriteria(ctx context.Context, q querier, t *factTarget, d *yearend.Dossier, decided antq.RecognitionResult) error {
	cl, ok := d.RuleSet.Checklist(t.unit.Kind)
	if !ok {
		return antq.Errorf(antq.EINVALID, "Bộ tiêu chí %s không có danh mục cho %s", d.RuleSet.ID, t.unit.Kind.Label())
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
				if in.Subordinates, err = db.subordinates(ctx, q, t, d.RuleSet, c.SubordinateKinds); err != nil {
					return err
				}
			}
		}
	}
	saved := map[string]yearend.CriterionView{}
	err = scanDossierParts(ctx, q, d.ID, "dossier criteria", `SELECT criterion_id, verdict, note, override_reason FROM dossier_criteria WHERE dossier_id = $1`,
		func(rows *sql.Rows) error {
			var id, verdict string
			var v yearend.CriterionView
			if err := rows.Scan(&id, &verdict, &v.Note, &v.OverrideReason); err != nil {
				return err
			}
			v.Verdict = yearend.Verdict(verdict)
			saved[id] = v
			return nil
		})
	if err != nil {
		return err
	}
	d.SetCriteria(cl, yearend.Suggest(d.RuleSet, cl, in), saved, decided)
	return nil
}

// scanDossierParts calls scan for each row query returns for the dossier
// with id (none for a dossier not saved yet); what names the part in
// errors.
func scanDossierParts(ctx context.Context, q querier, id int64, what, query string, scan func(*sql.Rows) error) error {
	if id == 0 {
		return nil
	}
	return queryEach(ctx, q, what, scan, query, id)
}

// queryEach runs query and calls scan for each row; what names the query
// in errors.
func queryEach(ctx context.Context, q querier, what string, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// subordinates counts, for a commune, the units under it that the standard
// covers: registered, recognised "đạt", and registered but undecided.
func (db *DB) subordinates(ctx context.Context, q querier, t *factTarget, rs *rules.RuleSet, kinds []antq.UnitKind) (*yearend.Subordinates, error) {
	d := t.plan.UnitDate(t.unit)
	rows, err := q.QueryContext(ctx, `SELECT u.kind, u.armed_forces, u.small_enterprise, u.primary_school, u.budget_funded, u.no_legal_entity,
  (SELECT COUNT(*) FROM registrations r WHERE r.plan_id = $3 AND r.unit_id = u.id),
  (SELECT result FROM recognitions c WHERE c.plan_id = $3 AND c.unit_id = u.id)
FROM unit_links l JOIN units u ON u.id = l.unit_id
WHERE l.parent_id = $1 AND l.valid_from <= $2 AND (l.valid_to IS NULL OR l.valid_to >= $2)
  AND u.valid_from <= $2 AND (u.valid_to IS NULL OR u.valid_to >= $2)`, t.unit.ID, d, t.factsPlanID)
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
		if err := rows.Scan(&kind, &f.ArmedForces, &f.SmallEnterprise, &f.PrimarySchool, &f.BudgetFunded, &f.NoLegalEntity, &reg, &result); err != nil {
			return nil, fmt.Errorf("subordinates: %w", err)
		}
		k := antq.CompetingKind(antq.UnitKind(kind), f)
		if !slices.Contains(kinds, k) {
			continue
		}
		if ok, _ := rs.Eligible(k, rules.UnitFlags(f)...); !ok {
			continue
		}
		s.Eligible++
		if reg > 0 {
			s.Registered++
			switch {
			case !result.Valid:
				s.Undecided++
			case result.String == string(antq.RecognitionMet):
				s.Recognised++
			}
		}
	}
	return &s, rows.Err()
}

// loadScores loads the scores the dossier saved and whether the unit is
// recognised (a gate of the grades); saved is the grade the dossier saved.
func (db *DB) loadScores(ctx context.Context, q querier, t *factTarget, d *yearend.Dossier, saved antq.Grade) error {
	rb, ok := d.RuleSet.Rubric(t.unit.Kind)
	if !ok {
		return antq.Errorf(antq.EINVALID, "Bộ tiêu chí %s không có bảng điểm cho %s", d.RuleSet.ID, t.unit.Kind.Label())
	}
	scores := map[string]yearend.ScoreView{}
	err := scanDossierParts(ctx, q, d.ID, "dossier scores", `SELECT item_id, self_tenths, reviewed_tenths, note FROM dossier_scores WHERE dossier_id = $1`,
		func(rows *sql.Rows) error {
			var id string
			var self, reviewed sql.NullInt64
			var v yearend.ScoreView
			if err := rows.Scan(&id, &self, &reviewed, &v.Note); err != nil {
				return err
			}
			v.Self, v.Reviewed = tenthsPtr(self), tenthsPtr(reviewed)
			scores[id] = v
			return nil
		})
	if err != nil {
		return err
	}
	rec, err := db.recognition(ctx, q, t)
	if err != nil {
		return err
	}
	d.SetScores(rb, scores, rec != nil && rec.Result == antq.RecognitionMet, saved)
	return nil
}

func tenthsPtr(v sql.NullInt64) *antq.Tenths {
	if !v.Valid {
		return nil
	}
	t := antq.Tenths(v.Int64)
	return &t
}

// loadDocuments loads the documents the dossier saved.
func loadDocuments(ctx context.Context, q querier, d *yearend.Dossier) error {
	saved := map[string]yearend.DocumentView{}
	err := scanDossierParts(ctx, q, d.ID, "dossier documents", `SELECT code, number, doc_date, evidence_id FROM dossier_documents WHERE dossier_id = $1`,
		func(rows *sql.Rows) error {
			var code string
			var v yearend.DocumentView
			var ev sql.NullInt64
			if err := rows.Scan(&code, &v.Number, &v.Date, &ev); err != nil {
				return err
			}
			v.EvidenceID = ev.Int64
			saved[code] = v
			return nil
		})
	if err != nil {
		return err
	}
	d.SetDocuments(d.RuleSet.Dossier, saved)
	return nil
}
