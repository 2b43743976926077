package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"antq"
	"antq/cluster"
	"antq/report"
	"antq/rules"
)

// Commendation from nomination to decision (issue 15 item 5). A
// nomination belongs to its candidate's unit (the unit nominated, or the
// person's unit): that unit decides who sees it, as for people and cases.

// NominationFilter selects nominations of a unit's subtree (the caller's
// scope when empty), optionally of one plan, state, person or unit.
type NominationFilter struct {
	UnitCode string // the subtree
	PlanID   string
	State    antq.NominationState
	PersonID int64
	// Candidate is a unit nominated itself (not its people).
	Candidate string
	Limit     int
}

const awardNominationSelect = `SELECT n.id, n.plan_id, n.year, n.form_code, n.recipient, u.code, u.name, COALESCE(n.person_id, 0), COALESCE(p.full_name, ''),
  b.code, b.name, n.reasons, n.achievements, n.proposal_number, n.proposal_date, n.council_on, n.votes_for, n.votes_against, n.votes_total,
  n.disclosed_from, n.disclosed_to, n.state, COALESCE(n.decision_number, ''), n.decision_date, COALESCE(n.decision_authority, ''),
  COALESCE(n.reason, ''), COALESCE(n.recovery, ''), n.cancelled_on, n.created_by, n.created_at, n.updated_by, n.updated_at, n.unit_id
FROM award_nominations n JOIN units u ON u.id = n.unit_id JOIN units b ON b.id = n.nominating_unit_id
LEFT JOIN people p ON p.id = n.person_id `

func scanAwardNomination(row rowScanner) (*antq.Nomination, int64, error) {
	var n antq.Nomination
	var state string
	var unitID int64
	if err := row.Scan(&n.ID, &n.PlanID, &n.Year, &n.FormCode, &n.Recipient, &n.UnitCode, &n.UnitName, &n.PersonID, &n.PersonName,
		&n.NominatedBy, &n.NominatedByName, &n.Reasons, &n.Achievements, &n.ProposalNumber, &n.ProposalDate, &n.CouncilOn, &n.VotesFor, &n.VotesAgainst, &n.VotesTotal,
		&n.DisclosedFrom, &n.DisclosedTo, &state, &n.DecisionNumber, &n.DecisionDate, &n.DecisionAuthority,
		&n.Reason, &n.Recovery, &n.CancelledOn, &n.CreatedBy, &n.CreatedAt, &n.UpdatedBy, &n.UpdatedAt, &unitID); err != nil {
		return nil, 0, err
	}
	n.State = antq.NominationState(state)
	if c, err := rules.Awards(); err == nil {
		for _, f := range c.Forms {
			if f.Code == n.FormCode {
				n.FormName, n.Authority = f.Name, f.Authority
			}
		}
	}
	return &n, unitID, nil
}

func (db *DB) nominationScope(ctx context.Context, q querier, arg func(any) string) (string, error) {
	return db.scopeCondition(ctx, q, "n.unit_id", refDate(antq.DateOf(db.Now()).String()), arg)
}

// awardCheckDay is the day eligibility is judged on for a plan year: its
// last day, so that the law of the year applies (the 2003 law for 2023,
// the 2022 law from 2024).
func awardCheckDay(year int) antq.Date { return antq.MustDate(fmt.Sprintf("%04d-12-31", year)) }

// CreateNomination records a draft nomination. The nominating unit must be
// in the caller's scope and reach, the candidate (unit or person) in scope,
// the form in the catalogue for the plan year, and its recipients must
// include the candidate's kind.
func (db *DB) CreateNomination(ctx context.Context, in antq.NominationInput) (*antq.Nomination, error) {
	if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermAwardNominate) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền đề nghị khen thưởng")
	}
	n, err := in.Check(antq.DateOf(db.Now()))
	if err != nil {
		return nil, err
	}
	plan, _, err := db.Plan(ctx, n.PlanID)
	if err != nil {
		return nil, antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{"plan_id": "không có kế hoạch này"})
	}
	n.Year = plan.Year
	awards, err := rules.Awards()
	if err != nil {
		return nil, err
	}
	form, version, err := awards.Form(n.FormCode, awardCheckDay(n.Year))
	if err != nil {
		return nil, antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{"form_code": antq.ErrorMessage(err)})
	}
	if err := unaskedDisclosure(form.Name, version, n); err != nil {
		return nil, err
	}
	if !slices.Contains(form.Recipients, n.Recipient) {
		field, who := "unit_code", "tập thể"
		if n.Recipient == antq.RecipientIndividual {
			field, who = "person_id", "cá nhân"
		}
		return nil, antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{field: form.Name + " không trao cho " + who})
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		by, err := db.writableUnit(ctx, tx, n.NominatedBy, "nominated_by")
		if err != nil {
			return err
		}
		var unitID int64
		var person any
		if n.PersonID != 0 {
			p, pu, err := db.person(ctx, tx, n.PersonID)
			if err != nil {
				if antq.ErrorCode(err) == antq.ENOTFOUND {
					return antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{"person_id": fmt.Sprintf("không có người %d trong phạm vi của bạn", n.PersonID)})
				}
				return err
			}
			unitID, person, n.UnitCode = pu, p.ID, p.UnitCode
		} else {
			// The unit as it was in the plan's year (a code reused since
			// by a merged unit names another unit today).
			t, err := db.resolve(ctx, tx, n.PlanID, n.UnitCode)
			if err != nil {
				if antq.ErrorCode(err) == antq.ENOTFOUND {
					return antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{"unit_code": "không có đơn vị " + n.UnitCode + " trong phạm vi của bạn"})
				}
				return err
			}
			unitID = t.unit.ID
		}
		// One nomination under way per candidate, form and year; a decided
		// one too, except for a once-in-a-lifetime form, which eligibility
		// refuses at submission with its rule named.
		states := "'draft', 'submitted', 'decided'"
		if form.OncePerLife {
			states = "'draft', 'submitted'"
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM award_nominations WHERE plan_id = $1 AND form_code = $2 AND unit_id = $3
  AND COALESCE(person_id, 0) = $4 AND state IN (`+states+`)`, n.PlanID, n.FormCode, unitID, n.PersonID).Scan(&open); err != nil {
			return fmt.Errorf("create nomination: %w", err)
		}
		if open > 0 {
			return antq.Errorf(antq.ECONFLICT, "Đã có hồ sơ đề nghị %s cho đối tượng này trong năm %d", form.Name, n.Year)
		}
		actor := actorName(ctx)
		if err := tx.QueryRowContext(ctx, `INSERT INTO award_nominations (plan_id, year, form_code, recipient, unit_id, person_id, nominating_unit_id, reasons, achievements,
  proposal_number, proposal_date, council_on, votes_for, votes_against, votes_total, disclosed_from, disclosed_to, state, created_by, created_at, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $19, $20) RETURNING id`,
			n.PlanID, n.Year, n.FormCode, n.Recipient, unitID, person, by.ID, n.Reasons, n.Achievements, n.ProposalNumber, n.ProposalDate, n.CouncilOn,
			n.VotesFor, n.VotesAgainst, n.VotesTotal, n.DisclosedFrom, n.DisclosedTo, string(antq.NominationDraft), actor, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create nomination: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "award_nomination", Key: fmt.Sprint(id), UnitID: unitID, New: n})
	})
	if err != nil {
		return nil, err
	}
	out, _, err := db.awardNomination(ctx, db.read, id)
	return out, err
}

// awardForm is the catalogue's form of n and its version for the plan year.
func awardForm(n *antq.Nomination) (*rules.AwardForm, *rules.AwardVersion, error) {
	awards, err := rules.Awards()
	if err != nil {
		return nil, nil, err
	}
	return awards.Form(n.FormCode, awardCheckDay(n.Year))
}

// unaskedDisclosure refuses a disclosure period on a form that requires
// no public disclosure (the page does not ask for one).
func unaskedDisclosure(name string, v *rules.AwardVersion, n *antq.Nomination) error {
	if v.Disclosure == nil && (!n.DisclosedFrom.IsZero() || !n.DisclosedTo.IsZero()) {
		return antq.Invalid("Hồ sơ đề nghị khen thưởng không hợp lệ", map[string]string{"disclosed_from": name + " không yêu cầu công khai danh sách đề nghị: bỏ trống thời gian công khai"})
	}
	return nil
}

// UpdateNomination replaces a draft's dossier (reasons, achievements, tờ
// trình, council minutes, disclosure); the candidate, form and plan stay.
// A submitted or decided nomination is locked.
func (db *DB) UpdateNomination(ctx context.Context, id int64, in antq.NominationInput) (*antq.Nomination, error) {
	if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermAwardNominate) {
		return nil, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền đề nghị khen thưởng")
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		old, unitID, err := db.awardNomination(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Locked() {
			return antq.Errorf(antq.ECONFLICT, "Hồ sơ đang ở trạng thái “%s”: không sửa được", old.State.Label())
		}
		in.PlanID, in.FormCode, in.UnitCode, in.PersonID, in.NominatedBy = old.PlanID, old.FormCode, old.UnitCode, old.PersonID, old.NominatedBy
		n, err := in.Check(antq.DateOf(db.Now()))
		if err != nil {
			return err
		}
		if form, version, err := awardForm(old); err != nil {
			return err
		} else if err := unaskedDisclosure(form.Name, version, n); err != nil {
			return err
		}
		if _, err := db.writableUnit(ctx, tx, old.NominatedBy, "nominated_by"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE award_nominations SET reasons = $1, achievements = $2, proposal_number = $3, proposal_date = $4, council_on = $5,
  votes_for = $6, votes_against = $7, votes_total = $8, disclosed_from = $9, disclosed_to = $10, updated_by = $11, updated_at = $12 WHERE id = $13`,
			n.Reasons, n.Achievements, n.ProposalNumber, n.ProposalDate, n.CouncilOn, n.VotesFor, n.VotesAgainst, n.VotesTotal,
			n.DisclosedFrom, n.DisclosedTo, actorName(ctx), tx.now, id); err != nil {
			return fmt.Errorf("update nomination: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "update", Entity: "award_nomination", Key: fmt.Sprint(id), UnitID: unitID, Old: old, New: n})
	})
	if err != nil {
		return nil, err
	}
	out, _, err := db.awardNomination(ctx, db.read, id)
	return out, err
}

// awardNomination reads one nomination in scope.
func (db *DB) awardNomination(ctx context.Context, q querier, id int64) (*antq.Nomination, int64, error) {
	return findInScope(ctx, q, awardNominationSelect, "n.id", id, db.nominationScope, scanAwardNomination,
		"nomination", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy hồ sơ đề nghị khen thưởng %d", id))
}

// Nomination returns a nomination in the caller's scope; reading one that
// names a person is reading personal data, audited.
func (db *DB) Nomination(ctx context.Context, id int64) (*antq.Nomination, error) {
	n, unitID, err := db.awardNomination(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	if n.PersonID != 0 {
		if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "award_nomination", Key: fmt.Sprint(id), UnitID: unitID}); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// Nominations lists nominations in the caller's scope, newest plan year
// first, then by state and candidate.
func (db *DB) Nominations(ctx context.Context, f NominationFilter) ([]*antq.Nomination, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var where []string
	switch {
	case f.UnitCode != "" && f.PlanID != "":
		// The unit on the plan year's tree: a 2023 nomination of a unit
		// merged since is under its 2023 parent.
		t, err := db.builtTarget(ctx, f.PlanID, f.UnitCode)
		if err != nil {
			return nil, err
		}
		where = append(where, `n.unit_id IN (`+withPlanSubtree(arg(t.unit.ID), arg(t.plan.ID))+`SELECT id FROM sub)`)
	case f.UnitCode != "":
		cond, err := db.underUnit(ctx, "n.unit_id", f.UnitCode, arg)
		if err != nil {
			return nil, err
		}
		where = append(where, cond)
	}
	if f.PlanID != "" {
		where = append(where, "n.plan_id = "+arg(f.PlanID))
	}
	if f.State != "" {
		where = append(where, "n.state = "+arg(string(f.State)))
	}
	if f.PersonID != 0 {
		where = append(where, "n.person_id = "+arg(f.PersonID))
	}
	if f.Candidate != "" {
		where = append(where, "n.person_id IS NULL AND u.code = "+arg(f.Candidate))
	}
	where, err := withScope(ctx, db.read, db.nominationScope, arg, where)
	if err != nil {
		return nil, err
	}
	return listWhere(ctx, db.read, "nominations", awardNominationSelect, where,
		" ORDER BY n.year DESC, n.id DESC LIMIT "+arg(pageLimit(f.Limit, 1000, 500)), args, scanAwardNomination)
}

// StepNomination takes a step on a nomination (antq.Nomination.CheckStep
// decides) in one transaction with its audit record. Submitting checks
// eligibility with the award catalogue on the plan year's last day: every
// failing rule is named and nothing changes.
func (db *DB) StepNomination(ctx context.Context, id int64, action antq.NominationAction, in antq.NominationStep) (*antq.Nomination, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		old, unitID, err := db.awardNomination(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := old.CheckStep(user, action, in, antq.DateOf(db.Now()))
		if action == antq.NominationSubmit && (err == nil || antq.ErrorCode(err) == antq.EINVALID) {
			if _, err := db.writableUnit(ctx, tx, old.NominatedBy, "nominated_by"); err != nil {
				return err
			}
			// Every reason at once: the dossier's fields, its files, the
			// disclosure and the candidate's eligibility.
			if err = joinInvalid("Hồ sơ chưa đủ điều kiện để trình", err, db.checkSubmission(ctx, tx, old)); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE award_nominations SET state = $1, decision_number = $2, decision_date = $3, decision_authority = $4,
  reason = $5, recovery = $6, cancelled_on = $7, updated_by = $8, updated_at = $9 WHERE id = $10`,
			string(next.State), nullIfEmpty(next.DecisionNumber), next.DecisionDate, nullIfEmpty(next.DecisionAuthority),
			nullIfEmpty(next.Reason), nullIfEmpty(next.Recovery), next.CancelledOn, user.Username, tx.now, id); err != nil {
			return fmt.Errorf("step nomination: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: string(action), Entity: "award_nomination", Key: fmt.Sprint(id), UnitID: unitID,
			Old: nominationState(old), New: nominationState(next), Reason: strings.TrimSpace(in.Reason)})
	})
	if err != nil {
		return nil, err
	}
	out, _, err := db.awardNomination(ctx, db.read, id)
	return out, err
}

// joinInvalid merges EINVALID refusals into one whose message lists every
// field's reason (the first refusal's for a field both name); any other
// error is returned as it is.
func joinInvalid(message string, errs ...error) error {
	fields := antq.FieldErrors{}
	var reasons []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		if antq.ErrorCode(err) != antq.EINVALID {
			return err
		}
		f := antq.ErrorFields(err)
		if len(f) == 0 {
			reasons = append(reasons, antq.ErrorMessage(err))
		}
		for _, k := range slices.Sorted(maps.Keys(f)) {
			if _, seen := fields[k]; !seen {
				fields[k] = f[k]
				reasons = append(reasons, f[k])
			}
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	return antq.Invalid(message+": "+strings.Join(reasons, "; "), fields)
}

func nominationState(n *antq.Nomination) map[string]any {
	return map[string]any{"state": n.State, "decision_number": n.DecisionNumber, "decision_date": n.DecisionDate, "recovery": n.Recovery}
}

// checkSubmission refuses to submit n, naming every failing rule: the
// documents the form requires and the dossier lacks (field documents), a
// disclosure the form requires and the dossier has not (or too short), and
// the eligibility rules (field form_code). Nothing changes on refusal.
func (db *DB) checkSubmission(ctx context.Context, q querier, n *antq.Nomination) error {
	form, version, err := awardForm(n)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	var reasons []string
	docs, err := db.awardDocuments(ctx, q, n.ID)
	if err != nil {
		return err
	}
	var have []antq.DocumentKind
	for _, d := range docs {
		have = append(have, d.Kind)
	}
	if missing := version.MissingDocuments(have); len(missing) > 0 {
		names := make([]string, len(missing))
		for i, d := range missing {
			names[i] = antq.DocumentKind(d.Kind).Label()
		}
		fields["documents"] = fmt.Sprintf("%s cần tệp %s trong hồ sơ (%s)", form.Name, strings.Join(names, ", "), missing[0].Citation.Ref)
		reasons = append(reasons, "thiếu tệp "+strings.Join(names, ", "))
	}
	if field, reason := version.CheckDisclosure(form.Name, n.DisclosedFrom, n.DisclosedTo); field != "" {
		fields[field] = reason
		reasons = append(reasons, reason)
	}
	fails, err := db.awardEligibility(ctx, q, n)
	if err != nil {
		return err
	}
	if len(fails) > 0 {
		list := make([]string, len(fails))
		for i, f := range fails {
			list[i] = f.Reason + " (" + f.Citation.Ref + ")"
		}
		fields["form_code"] = strings.Join(list, "; ")
		reasons = append(reasons, list...)
	}
	if len(fields) > 0 {
		return antq.Invalid("Không đủ điều kiện trình khen thưởng: "+strings.Join(reasons, "; "), fields)
	}
	return nil
}

// awardEligibility checks the candidate of n against the catalogue: the
// person's gender, role and service years, the forms already awarded
// (decided, not cancelled) and the person's standings in force on the day
// of the check (today: the day the dossier goes to the authority).
func (db *DB) awardEligibility(ctx context.Context, q querier, n *antq.Nomination) ([]rules.Ineligibility, error) {
	awards, err := rules.Awards()
	if err != nil {
		return nil, err
	}
	cand := rules.AwardCandidate{Recipient: n.Recipient}
	if n.PersonID != 0 {
		p, _, err := db.person(ctx, q, n.PersonID)
		if err != nil {
			return nil, err
		}
		cand.Gender, cand.Role, cand.ServiceYears = p.Gender, p.Role, p.ServiceYears
		standings, err := db.standingsOn(ctx, q, p.ID, antq.DateOf(db.Now()))
		if err != nil {
			return nil, err
		}
		cand.Standings = standings[p.ID]
		if cand.Received, err = queryColumn[string](ctx, q, `SELECT form_code FROM award_nominations WHERE person_id = $1 AND state = 'decided' AND id <> $2`,
			n.PersonID, n.ID); err != nil {
			return nil, fmt.Errorf("eligibility: %w", err)
		}
	}
	return awards.Check(n.FormCode, awardCheckDay(n.Year), cand)
}

// clusterAwardForms are the catalogue forms a cluster's vote proposes.
var clusterAwardForms = map[cluster.Award]string{"co_thi_dua": "co_thi_dua_ubnd_tinh", "bang_khen": "bang_khen_chu_tich_tinh"}

// AwardHistory lists the nominations of a person (personID) or of a unit
// itself (unitCode), decided, cancelled or under way, in the caller's scope.
func (db *DB) AwardHistory(ctx context.Context, personID int64, unitCode string) ([]*antq.Nomination, error) {
	if personID != 0 {
		return db.Nominations(ctx, NominationFilter{PersonID: personID})
	}
	return db.Nominations(ctx, NominationFilter{Candidate: unitCode})
}

// planSubtreeCodes are the codes of the units of a plan's tree under code
// (itself included), in the caller's scope.
func (db *DB) planSubtreeCodes(ctx context.Context, planID, code string) (map[string]bool, error) {
	t, err := db.builtTarget(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	codes, err := queryColumn[string](ctx, db.read, withPlanSubtree("$1", "$2")+`SELECT u.code FROM sub JOIN units u ON u.id = sub.id`, t.unit.ID, t.plan.ID)
	if err != nil {
		return nil, fmt.Errorf("plan subtree: %w", err)
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// AwardProposals are the nominations of a plan in the subtree of code
// (drafts, submitted, decided) as the year-end report lists them in its
// section IV: the candidate, the reasons and the form (with the decision
// once decided). The report falls back on the units graded "Xuất sắc"
// when there is none.
func (db *DB) AwardProposals(ctx context.Context, planID, code string) ([]report.AwardProposal, error) {
	list, err := db.Nominations(ctx, NominationFilter{PlanID: planID})
	if err != nil {
		return nil, err
	}
	tree, err := db.planSubtreeCodes(ctx, planID, code)
	if err != nil {
		return nil, err
	}
	var out []report.AwardProposal
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		n := list[i]
		if !tree[n.UnitCode] || n.State == antq.NominationRefused || n.State == antq.NominationCancelled {
			continue
		}
		name := n.Candidate()
		if n.PersonID != 0 {
			name += " (" + n.UnitName + ")"
		}
		form := n.FormName
		if n.State == antq.NominationDecided {
			form += " (Quyết định số " + n.DecisionNumber + " ngày " + n.DecisionDate.VN() + ")"
		}
		out = append(out, report.AwardProposal{Name: name, Reason: n.Reasons, Form: form})
	}
	return out, nil
}

// PublicNominations are the nominations under public disclosure today (a
// period set, today within it, not yet decided), of the subtree of code
// or everywhere, for the public page (no login: what Nomination.Public
// lets through).
func (db *DB) PublicNominations(ctx context.Context, code string) ([]*antq.PublicNomination, error) {
	today := antq.DateOf(db.Now())
	args := []any{today}
	query := awardNominationSelect + `WHERE n.state IN ('draft', 'submitted') AND n.disclosed_from <= $1 AND n.disclosed_to >= $1`
	if code != "" {
		u, err := db.findUnitByCode(antq.SystemContext(ctx), db.read, code, antq.Date{})
		if err != nil {
			return nil, err
		}
		args = append(args, u.ID)
		query += ` AND EXISTS (` + withAncestorsOn("n.unit_id", refDate(today.String())) + `SELECT 1 FROM up WHERE up.id = $2)`
	}
	rows, err := db.read.QueryContext(ctx, query+` ORDER BY n.disclosed_to, n.id LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("public nominations: %w", err)
	}
	defer rows.Close()
	out := []*antq.PublicNomination{}
	for rows.Next() {
		n, _, err := scanAwardNomination(rows)
		if err != nil {
			return nil, fmt.Errorf("public nominations: %w", err)
		}
		if _, v, err := awardForm(n); err != nil || v.Disclosure == nil {
			continue // the form requires no public disclosure
		}
		out = append(out, n.Public())
	}
	return out, rows.Err()
}
