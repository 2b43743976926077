package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"antq"
)

// ExemplarFilter selects exemplary cases of a unit's subtree (the caller's
// scope when empty), optionally in one state.
type ExemplarFilter struct {
	UnitCode string
	State    antq.ExemplarState
	Limit    int
}

const exemplarSelect = `SELECT e.id, u.code, u.name, e.subject, COALESCE(e.person_id, 0), COALESCE(p.full_name, ''), COALESCE(e.model_id, 0), COALESCE(m.name, ''),
  e.title, e.deed, e.occurred_on, e.place, e.story, e.source, e.state, e.reported_by, e.reported_at,
  COALESCE(e.reviewed_by, ''), COALESCE(e.review_note, ''), COALESCE(e.reason, ''),
  e.consent_on, COALESCE(e.consent_by, ''), COALESCE(e.consent_document, ''), e.consent_name, e.consent_birth_year, e.consent_photos, e.published_at, e.unit_id
FROM exemplars e JOIN units u ON u.id = e.unit_id
LEFT JOIN people p ON p.id = e.person_id
LEFT JOIN models m ON m.id = e.model_id `

func scanExemplar(row rowScanner) (*antq.Exemplar, int64, error) {
	var e antq.Exemplar
	var subject, state string
	var consentOn antq.Date
	var c antq.Consent
	var published sql.NullTime
	var unitID int64
	if err := row.Scan(&e.ID, &e.UnitCode, &e.UnitName, &subject, &e.PersonID, &e.PersonName, &e.ModelID, &e.ModelName,
		&e.Title, &e.Deed, &e.OccurredOn, &e.Place, &e.Story, &e.Source, &state, &e.ReportedBy, &e.ReportedAt,
		&e.ReviewedBy, &e.ReviewNote, &e.Reason, &consentOn, &c.By, &c.Document, &c.Name, &c.BirthYear, &c.Photos, &published, &unitID); err != nil {
		return nil, 0, err
	}
	e.Subject, e.State = antq.ExemplarSubject(subject), antq.ExemplarState(state)
	if !consentOn.IsZero() {
		c.On = consentOn
		e.Consent = &c
	}
	if published.Valid {
		t := published.Time
		e.Published = &t
	}
	e.Photos = []antq.CasePhoto{}
	return &e, unitID, nil
}

func (db *DB) exemplarScope(ctx context.Context, q querier, arg func(any) string) (string, error) {
	return db.scopeCondition(ctx, q, "e.unit_id", refDate(antq.DateOf(db.Now()).String()), arg)
}

// CreateExemplar records a reported case of a unit in the caller's scope and
// reach. The person shown must be in scope, the model one of the unit's.
func (db *DB) CreateExemplar(ctx context.Context, in antq.ExemplarInput) (*antq.Exemplar, error) {
	e, err := in.Check(antq.DateOf(db.Now()))
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.inTx(ctx, func(tx *Tx) error {
		u, err := db.writableUnit(ctx, tx, e.UnitCode, "unit_code")
		if err != nil {
			return err
		}
		var person, model any
		switch e.Subject {
		case antq.SubjectPerson:
			if _, _, err := db.person(ctx, tx, e.PersonID); err != nil {
				if antq.ErrorCode(err) == antq.ENOTFOUND {
					return antq.Invalid("Gương điển hình không hợp lệ", map[string]string{"person_id": fmt.Sprintf("không có người %d trong phạm vi của bạn", e.PersonID)})
				}
				return err
			}
			person = e.PersonID
		case antq.SubjectModel:
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM models WHERE id = $1 AND unit_id = $2`, e.ModelID, u.ID).Scan(&n); err != nil {
				return fmt.Errorf("create exemplar: %w", err)
			}
			if n == 0 {
				return antq.Invalid("Gương điển hình không hợp lệ", map[string]string{"model_id": fmt.Sprintf("đơn vị %s không có mô hình %d", u.Code, e.ModelID)})
			}
			model = e.ModelID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO exemplars (unit_id, subject, person_id, model_id, title, deed, occurred_on, place, story, source, state, reported_by, reported_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`, u.ID, string(e.Subject), person, model, e.Title, e.Deed, e.OccurredOn,
			e.Place, e.Story, e.Source, string(antq.ExemplarReported), actorName(ctx), tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create exemplar: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "exemplar", Key: fmt.Sprint(id), UnitID: u.ID, New: e})
	})
	if err != nil {
		return nil, err
	}
	out, _, err := db.exemplar(ctx, db.read, id)
	return out, err
}

// exemplar reads one case in scope with its photos.
func (db *DB) exemplar(ctx context.Context, q querier, id int64) (*antq.Exemplar, int64, error) {
	e, unitID, err := findInScope(ctx, q, exemplarSelect, "e.id", id, db.exemplarScope, scanExemplar,
		"exemplar", antq.Errorf(antq.ENOTFOUND, "Không tìm thấy gương điển hình %d", id))
	if err != nil {
		return nil, 0, err
	}
	if e.Photos, err = db.exemplarPhotos(ctx, q, id); err != nil {
		return nil, 0, err
	}
	return e, unitID, nil
}

func (db *DB) exemplarPhotos(ctx context.Context, q querier, id int64) ([]antq.CasePhoto, error) {
	rows, err := q.QueryContext(ctx, `SELECT ph.id, ph.filename, ph.caption, f.content_type, f.size, ph.sha256
FROM exemplar_photos ph JOIN files f ON f.sha256 = ph.sha256 WHERE ph.exemplar_id = $1 ORDER BY ph.id`, id)
	if err != nil {
		return nil, fmt.Errorf("exemplar photos: %w", err)
	}
	defer rows.Close()
	out := []antq.CasePhoto{}
	for rows.Next() {
		var p antq.CasePhoto
		if err := rows.Scan(&p.ID, &p.Filename, &p.Caption, &p.ContentType, &p.Size, &p.SHA256); err != nil {
			return nil, fmt.Errorf("exemplar photos: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Exemplar returns a case in the caller's scope. Reading a person's case
// is reading personal data: it is audited.
func (db *DB) Exemplar(ctx context.Context, id int64) (*antq.Exemplar, error) {
	e, unitID, err := db.exemplar(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	if e.Subject == antq.SubjectPerson {
		if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "exemplar", Key: fmt.Sprint(id), UnitID: unitID}); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// underUnit is the condition that the unit in column col is the unit with
// code (as it is today, in the caller's scope) or under it.
func (db *DB) underUnit(ctx context.Context, col, code string, arg func(any) string) (string, error) {
	u, err := db.findUnitByCode(ctx, db.read, code, antq.Date{})
	if err != nil {
		return "", err
	}
	return `EXISTS (` + withAncestorsOn(col, refDate(antq.DateOf(db.Now()).String())) + `SELECT 1 FROM up WHERE up.id = ` + arg(u.ID) + `)`, nil
}

// Exemplars lists the cases of a unit's subtree in the caller's scope,
// newest first.
func (db *DB) Exemplars(ctx context.Context, f ExemplarFilter) ([]*antq.Exemplar, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var where []string
	if f.UnitCode != "" {
		cond, err := db.underUnit(ctx, "e.unit_id", f.UnitCode, arg)
		if err != nil {
			return nil, err
		}
		where = append(where, cond)
	}
	if f.State != "" {
		where = append(where, "e.state = "+arg(string(f.State)))
	}
	where, err := withScope(ctx, db.read, db.exemplarScope, arg, where)
	if err != nil {
		return nil, err
	}
	return listWhere(ctx, db.read, "exemplars", exemplarSelect, where,
		" ORDER BY e.occurred_on DESC, e.id DESC LIMIT "+arg(pageLimit(f.Limit, 500, 200)), args, scanExemplar)
}

// StepExemplar takes a step on a case (antq.Exemplar.CheckStep decides) in
// one transaction with its audit record.
func (db *DB) StepExemplar(ctx context.Context, id int64, action antq.ExemplarAction, in antq.ExemplarStep) (*antq.Exemplar, error) {
	user, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		old, unitID, err := db.exemplar(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := old.CheckStep(user, action, in, antq.DateOf(db.Now()))
		if err != nil {
			return err
		}
		var published any
		if next.State == antq.ExemplarPublished {
			published = tx.now
		}
		var on, by, doc any
		var name, birth, photos bool
		if c := next.Consent; c != nil {
			on, by, doc, name, birth, photos = c.On, c.By, c.Document, c.Name, c.BirthYear, c.Photos
		}
		var reviewedBy, note, reason any
		if next.ReviewedBy != "" {
			reviewedBy, note = next.ReviewedBy, next.ReviewNote
		}
		if next.Reason != "" {
			reason = next.Reason
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exemplars SET state = $1, reviewed_by = $2, review_note = $3, reason = $4, consent_on = $5, consent_by = $6, consent_document = $7,
  consent_name = $8, consent_birth_year = $9, consent_photos = $10, published_at = $11, updated_at = $12 WHERE id = $13`,
			string(next.State), reviewedBy, note, reason, on, by, doc, name, birth, photos, published, tx.now, id); err != nil {
			return fmt.Errorf("step exemplar: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: string(action), Entity: "exemplar", Key: fmt.Sprint(id), UnitID: unitID,
			Old: exemplarState(old), New: exemplarState(next), Reason: strings.TrimSpace(in.Note)})
	})
	if err != nil {
		return nil, err
	}
	e, _, err := db.exemplar(ctx, db.read, id)
	return e, err
}

// exemplarState is what the audit trail keeps of a step: state and consent.
func exemplarState(e *antq.Exemplar) map[string]any {
	return map[string]any{"state": e.State, "consent": e.Consent, "reviewed_by": e.ReviewedBy}
}

// photoFormats are the files a case's photos may be.
var photoFormats = map[string]evidenceFormat{".jpg": evidenceFormats[".jpg"], ".jpeg": evidenceFormats[".jpeg"], ".png": evidenceFormats[".png"]}

// AddExemplarPhoto stores a photo (JPEG or PNG, proven by its content) by
// SHA-256 among the evidence files and attaches it to a case the caller may
// write. A published case takes no new photo (withdraw it first): what
// was consented to is what is shown.
func (db *DB) AddExemplarPhoto(ctx context.Context, id int64, filename, caption string, body io.Reader) (*antq.CasePhoto, error) {
	if db.filesDir == "" {
		return nil, errors.New("exemplar photo: opened without a files directory")
	}
	name, format, reason := uploadedFile(filename, photoFormats, "cần tệp ảnh", func(string) string { return "chỉ nhận ảnh JPG hoặc PNG" })
	caption = strings.TrimSpace(caption)
	switch {
	case reason != "":
		return nil, antq.Invalid("Ảnh không hợp lệ", map[string]string{"photo": reason})
	case utf8.RuneCountInString(caption) > 300:
		return nil, antq.Invalid("Ảnh không hợp lệ", map[string]string{"caption": "chú thích quá 300 ký tự"})
	}
	tmp, sum, n, err := db.receiveUpload(body, name, format)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	ph := &antq.CasePhoto{Filename: name, Caption: caption, ContentType: format.contentType, Size: n, SHA256: sum}
	err = db.inTx(ctx, func(tx *Tx) error {
		e, unitID, err := db.exemplar(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := db.writableUnit(ctx, tx, e.UnitCode, "unit_code"); err != nil {
			return err
		}
		if e.State == antq.ExemplarPublished {
			return antq.Errorf(antq.ECONFLICT, "Gương điển hình đã công bố: gỡ khỏi trang công khai trước khi thêm ảnh")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
			sum, n, ph.ContentType, tx.now); err != nil {
			return fmt.Errorf("exemplar photo: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO exemplar_photos (exemplar_id, sha256, filename, caption, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			id, sum, name, caption, tx.now, actorName(ctx)).Scan(&ph.ID); err != nil {
			return fmt.Errorf("exemplar photo: %w", err)
		}
		dst := db.filePath(sum)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return fmt.Errorf("exemplar photo: %w", err)
		}
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(tmp, dst); err != nil {
				return fmt.Errorf("exemplar photo: %w", err)
			}
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "exemplar_photo", Key: fmt.Sprintf("%d/%d", id, ph.ID), UnitID: unitID, New: ph})
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}

// receiveUpload copies an upload to a temporary file in the files
// directory, bounded by the evidence limit, and checks its content against
// its format. The caller removes the temporary file.
func (db *DB) receiveUpload(body io.Reader, name string, format evidenceFormat) (tmpPath, sum string, n int64, err error) {
	if err := os.MkdirAll(db.filesDir, 0o700); err != nil {
		return "", "", 0, fmt.Errorf("upload: %w", err)
	}
	tmp, err := os.CreateTemp(db.filesDir, "upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("upload: %w", err)
	}
	defer tmp.Close()
	fail := func(e error) (string, string, int64, error) { os.Remove(tmp.Name()); return "", "", 0, e }
	tooBig := antq.Invalid("Tệp quá lớn", map[string]string{"photo": fmt.Sprintf("tệp vượt quá %d MB", db.limits.MaxBytes>>20)})
	h := sha256.New()
	head := make([]byte, 0, 512)
	n, err = io.Copy(io.MultiWriter(tmp, h, &prefixWriter{buf: &head}), io.LimitReader(body, db.limits.MaxBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return fail(tooBig)
		}
		return fail(fmt.Errorf("upload: %w", err))
	}
	switch {
	case n == 0:
		return fail(antq.Invalid("Tệp không hợp lệ", map[string]string{"photo": "tệp rỗng"}))
	case n > db.limits.MaxBytes:
		return fail(tooBig)
	}
	if reason := checkEvidenceContent(name, format, head, tmp, n); reason != "" {
		return fail(antq.Invalid("Tệp không hợp lệ", map[string]string{"photo": reason}))
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("upload: %w", err))
	}
	return tmp.Name(), hex.EncodeToString(h.Sum(nil)), n, nil
}

// ---- the public page: no caller, published and consented data only ----

// PublicCases lists the published cases, newest first, of the unit with
// code and below (every case when code is empty), each cut down by
// antq.Exemplar.Public to what was consented.
func (db *DB) PublicCases(ctx context.Context, code string) ([]*antq.PublicCase, error) {
	sys := antq.SystemContext(ctx)
	query := exemplarSelect + `WHERE e.state = 'published'`
	args := []any{}
	if code != "" {
		u, err := db.findUnitByCode(sys, db.read, code, antq.Date{})
		if err != nil {
			return nil, err
		}
		args = append(args, u.ID)
		query += ` AND EXISTS (` + withAncestorsOn("e.unit_id", refDate(antq.DateOf(db.Now()).String())) + `SELECT 1 FROM up WHERE up.id = $1)`
	}
	query += ` ORDER BY e.published_at DESC, e.id DESC LIMIT 500`
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("public cases: %w", err)
	}
	var cases []*antq.Exemplar
	var units []int64
	for rows.Next() {
		e, unitID, err := scanExemplar(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("public cases: %w", err)
		}
		cases, units = append(cases, e), append(units, unitID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("public cases: %w", err)
	}
	out := []*antq.PublicCase{}
	for i, e := range cases {
		pc, err := db.publicView(sys, e, units[i])
		if err != nil {
			return nil, err
		}
		if pc != nil {
			out = append(out, pc)
		}
	}
	return out, nil
}

// PublicCase returns one published case as the public page shows it;
// anything else is ENOTFOUND.
func (db *DB) PublicCase(ctx context.Context, id int64) (*antq.PublicCase, error) {
	sys := antq.SystemContext(ctx)
	e, unitID, err := db.exemplar(sys, db.read, id)
	if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
		return nil, err
	}
	var pc *antq.PublicCase
	if err == nil {
		if pc, err = db.publicView(sys, e, unitID); err != nil {
			return nil, err
		}
	}
	if pc == nil {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy gương điển hình %d trên trang công khai", id)
	}
	return pc, nil
}

// publicView loads what antq.Exemplar.Public needs (photos, the person,
// the commune and province) and asks it.
func (db *DB) publicView(sys context.Context, e *antq.Exemplar, unitID int64) (*antq.PublicCase, error) {
	var p *antq.Person
	if e.Subject == antq.SubjectPerson {
		var err error
		if p, _, err = db.person(sys, db.read, e.PersonID); err != nil {
			return nil, err
		}
	}
	var err error
	if e.Photos, err = db.exemplarPhotos(sys, db.read, e.ID); err != nil {
		return nil, err
	}
	pc := e.Public(p)
	if pc == nil {
		return nil, nil
	}
	chain, err := db.unitChain(sys, unitID)
	if err != nil {
		return nil, err
	}
	for _, u := range chain {
		switch u.Kind {
		case antq.KindCommune:
			pc.CommuneCode, pc.CommuneName = u.Code, u.Name
		case antq.KindProvince:
			pc.ProvinceCode, pc.ProvinceName = u.Code, u.Name
		}
	}
	return pc, nil
}

// unitChain is the unit and its ancestors on the unit's reference date.
func (db *DB) unitChain(sys context.Context, unitID int64) ([]*antq.Unit, error) {
	us, _, err := db.findUnits(sys, db.read, antq.UnitFilter{ID: &unitID, Limit: 1})
	if err != nil || len(us) == 0 {
		return nil, err
	}
	chain := []*antq.Unit{us[0]}
	asOf := db.unitRefDate(us[0])
	for id := us[0].ParentID; id != 0 && len(chain) < maxTreeDepth; {
		p, _, err := db.findUnits(sys, db.read, antq.UnitFilter{ID: &id, AsOf: asOf, Limit: 1})
		if err != nil {
			return nil, err
		} else if len(p) == 0 {
			break
		}
		chain = append(chain, p[0])
		id = p[0].ParentID
	}
	return chain, nil
}

// OpenPublicPhoto opens a photo of a published case whose consent covers
// photos; anything else is ENOTFOUND.
func (db *DB) OpenPublicPhoto(ctx context.Context, caseID, photoID int64) (*antq.CasePhoto, *os.File, error) {
	pc, err := db.PublicCase(ctx, caseID)
	if err != nil {
		return nil, nil, err
	}
	for _, ph := range pc.Photos {
		if ph.ID != photoID {
			continue
		}
		var sum string
		if err := db.read.QueryRowContext(ctx, `SELECT sha256 FROM exemplar_photos WHERE id = $1 AND exemplar_id = $2`, photoID, caseID).Scan(&sum); err != nil {
			return nil, nil, fmt.Errorf("public photo: %w", err)
		}
		f, err := os.Open(db.filePath(sum))
		if err != nil {
			return nil, nil, fmt.Errorf("public photo: %w", err)
		}
		return &ph, f, nil
	}
	return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy ảnh %d", photoID)
}

// OpenExemplarPhoto opens a photo of a case in the caller's scope.
func (db *DB) OpenExemplarPhoto(ctx context.Context, caseID, photoID int64) (*antq.CasePhoto, *os.File, error) {
	e, _, err := db.exemplar(ctx, db.read, caseID)
	if err != nil {
		return nil, nil, err
	}
	for _, ph := range e.Photos {
		if ph.ID == photoID {
			f, err := os.Open(db.filePath(ph.SHA256))
			if err != nil {
				return nil, nil, fmt.Errorf("exemplar photo: %w", err)
			}
			return &ph, f, nil
		}
	}
	return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy ảnh %d", photoID)
}

// ModelChoice is a model a case may be about.
type ModelChoice struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	PlanID   string `json:"plan_id"`
}

// ExemplarModels lists the models recorded by the units of a subtree (the
// caller's scope when code is empty), for choosing the subject of a case.
func (db *DB) ExemplarModels(ctx context.Context, code string) ([]ModelChoice, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var where []string
	ref := refDate(antq.DateOf(db.Now()).String())
	if code != "" {
		u, err := db.findUnitByCode(ctx, db.read, code, antq.Date{})
		if err != nil {
			return nil, err
		}
		where = append(where, `EXISTS (`+withAncestorsOn("m.unit_id", ref)+`SELECT 1 FROM up WHERE up.id = `+arg(u.ID)+`)`)
	}
	cond, err := db.scopeCondition(ctx, db.read, "m.unit_id", ref, arg)
	if err != nil {
		return nil, err
	} else if cond != "" {
		where = append(where, cond)
	}
	query := `SELECT m.id, m.name, u.code, u.name, m.plan_id FROM models m JOIN units u ON u.id = m.unit_id`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.read.QueryContext(ctx, query+" ORDER BY u.sort_key, m.name, m.id LIMIT 500", args...)
	if err != nil {
		return nil, fmt.Errorf("exemplar models: %w", err)
	}
	defer rows.Close()
	out := []ModelChoice{}
	for rows.Next() {
		var m ModelChoice
		if err := rows.Scan(&m.ID, &m.Name, &m.UnitCode, &m.UnitName, &m.PlanID); err != nil {
			return nil, fmt.Errorf("exemplar models: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
