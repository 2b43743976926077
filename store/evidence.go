package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"antq"
)

// EvidenceLimits bound uploads. Which files are accepted, and how their
// content is checked against their extension, is evidenceFormats.
type EvidenceLimits struct {
	MaxBytes int64
}

// DefaultEvidenceLimits: scans and photos of documents, office files.
var DefaultEvidenceLimits = EvidenceLimits{MaxBytes: 20 << 20}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// EvidenceInput is an uploaded file for a fact.
type EvidenceInput struct {
	Fact     antq.FactKind
	FactID   int64 // the model or incident, for those facts
	Filename string
	Body     io.Reader
}

// filePath is where content with the given hash lives: files/ab/abcdef….
func (db *DB) filePath(sum string) string {
	return filepath.Join(db.filesDir, sum[:2], sum)
}

// uploadedFile is an upload's file name without its folders (either slash)
// and its format among formats. reason is why the file is refused, "" when
// it is not: missing when it has no name, badType(name) when its type is
// not among formats.
func uploadedFile(filename string, formats map[string]evidenceFormat, missing string, badType func(name string) string) (name string, format evidenceFormat, reason string) {
	name = path.Base(strings.ReplaceAll(filename, "\\", "/"))
	format, ok := formats[strings.ToLower(path.Ext(name))]
	switch {
	case name == "" || name == "." || name == "/":
		reason = missing
	case !utf8.ValidString(name) || len(name) > 255:
		reason = "tên tệp không hợp lệ"
	case !ok:
		reason = badType(name)
	}
	return name, format, reason
}

// AddEvidence stores the file by content (SHA-256) and attaches it to a fact
// of the unit. The file is written to a temporary name and renamed into
// place only once its size, type and hash are known, so a refused or broken
// upload leaves nothing behind.
func (db *DB) AddEvidence(ctx context.Context, planID, code string, in EvidenceInput) (*antq.Evidence, error) {
	if db.filesDir == "" {
		return nil, errors.New("evidence: opened without a files directory (store.Options.NoEvidence)")
	}
	if _, err := db.resolve(ctx, db.read, planID, code); err != nil {
		return nil, err
	}
	f := antq.FieldErrors{}
	if !in.Fact.Valid() {
		f.Add("fact", fmt.Sprintf("loại số liệu %q không hợp lệ", in.Fact))
	}
	name, format, reason := uploadedFile(in.Filename, evidenceFormats, "cần tệp minh chứng", func(name string) string {
		return fmt.Sprintf("loại tệp %q không được chấp nhận (PDF, JPG, PNG, DOC, DOCX, XLS, XLSX)", strings.ToLower(path.Ext(name)))
	})
	if reason != "" {
		f.Add("file", reason)
	}
	limits := db.limits
	if err := f.Err("Tệp minh chứng không hợp lệ"); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(db.filesDir, 0o700); err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	tmp, err := os.CreateTemp(db.filesDir, "upload-*")
	if err != nil {
		return nil, writeError(fmt.Errorf("evidence: %w", err))
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	head := make([]byte, 0, 512)
	n, err := io.Copy(io.MultiWriter(tmp, h, &prefixWriter{buf: &head}), io.LimitReader(in.Body, limits.MaxBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, antq.Invalid("Tệp minh chứng quá lớn", map[string]string{"file": fmt.Sprintf("tệp vượt quá %d MB", limits.MaxBytes>>20)})
		}
		return nil, writeError(fmt.Errorf("evidence: read upload: %w", err))
	}
	switch {
	case n == 0:
		return nil, antq.Invalid("Tệp minh chứng không hợp lệ", map[string]string{"file": "tệp rỗng"})
	case n > limits.MaxBytes:
		return nil, antq.Invalid("Tệp minh chứng quá lớn", map[string]string{"file": fmt.Sprintf("tệp vượt quá %d MB", limits.MaxBytes>>20)})
	}
	if reason := checkEvidenceContent(name, format, head, tmp, n); reason != "" {
		return nil, antq.Invalid("Tệp minh chứng không hợp lệ", map[string]string{"file": reason})
	}
	if err := tmp.Sync(); err != nil {
		return nil, writeError(fmt.Errorf("evidence: %w", err))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	ev := &antq.Evidence{Fact: in.Fact, FactID: in.FactID, SHA256: sum, Filename: name, ContentType: format.contentType, Size: n, UploadedBy: actorName(ctx)}
	err = db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		if err := db.checkFactExists(ctx, tx, t, in.Fact, in.FactID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
			sum, n, ev.ContentType, tx.now); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		ev.UploadedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO evidence (plan_id, unit_id, fact, fact_id, sha256, filename, uploaded_at, uploaded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, t.factsPlanID, t.unit.ID, string(in.Fact), in.FactID, sum, name, tx.now, ev.UploadedBy).Scan(&ev.ID); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		// Move the file into place before commit: if the rename fails the
		// row is rolled back; if the commit fails an unreferenced file stays,
		// which is harmless (same content, same name).
		dst := db.filePath(sum)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(tmp.Name(), dst); err != nil {
				return fmt.Errorf("evidence: %w", err)
			}
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "evidence", Key: factKey(t, ev.ID), UnitID: t.unit.ID, New: ev})
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// prefixWriter keeps the first 512 bytes written, for type sniffing.
type prefixWriter struct{ buf *[]byte }

func (p *prefixWriter) Write(b []byte) (int, error) {
	if room := 512 - len(*p.buf); room > 0 {
		*p.buf = append(*p.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}

// checkFactExists refuses evidence for a fact the unit has not recorded.
func (db *DB) checkFactExists(ctx context.Context, q querier, t *factTarget, kind antq.FactKind, id int64) error {
	var exists bool
	var err error
	switch kind {
	case antq.FactRegistration:
		exists, err = recorded(db.registration(ctx, q, t))
	case antq.FactPropaganda:
		exists, err = recorded(db.propaganda(ctx, q, t))
	case antq.FactRecognition:
		exists, err = recorded(db.recognition(ctx, q, t))
	case antq.FactGrade:
		exists, err = recorded(db.grade(ctx, q, t))
	case antq.FactCollectiveAssessment:
		exists, err = recorded(db.collectiveAssessment(ctx, q, t))
	case antq.FactModel:
		_, err = db.model(ctx, q, t, id)
		exists = err == nil
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			err = nil
		}
	case antq.FactIncident:
		var incs []*antq.Incident
		incs, err = db.incidents(ctx, q, t, max(id, 1))
		exists = id > 0 && len(incs) > 0
	}
	if err != nil {
		return err
	}
	if !exists {
		return antq.Invalid("Chưa có số liệu để đính kèm minh chứng", map[string]string{"fact": fmt.Sprintf("đơn vị chưa có số liệu %s%s", kind, idSuffix(id))})
	}
	return nil
}

// recorded tells from a getter of a single-valued fact (nil: none recorded)
// whether the unit has the fact.
func recorded[T any](fact *T, err error) (bool, error) { return fact != nil, err }

func idSuffix(id int64) string {
	if id == 0 {
		return ""
	}
	return fmt.Sprintf(" #%d", id)
}

const evidenceSelect = `SELECT e.id, e.fact, e.fact_id, e.sha256, e.filename, f.content_type, f.size, e.uploaded_at, e.uploaded_by
FROM evidence e JOIN files f ON f.sha256 = e.sha256 `

func scanEvidence(row interface{ Scan(...any) error }) (*antq.Evidence, error) {
	var e antq.Evidence
	var fact string
	if err := row.Scan(&e.ID, &fact, &e.FactID, &e.SHA256, &e.Filename, &e.ContentType, &e.Size, &e.UploadedAt, &e.UploadedBy); err != nil {
		return nil, err
	}
	e.Fact = antq.FactKind(fact)
	return &e, nil
}

func (db *DB) evidenceList(ctx context.Context, q querier, t *factTarget) ([]*antq.Evidence, error) {
	rows, err := q.QueryContext(ctx, evidenceSelect+`WHERE e.plan_id = $1 AND e.unit_id = $2 ORDER BY e.id`, t.factsPlanID, t.unit.ID)
	if err != nil {
		return nil, fmt.Errorf("evidence: %w", err)
	}
	defer rows.Close()
	out := []*antq.Evidence{}
	for rows.Next() {
		e, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OpenEvidence returns an evidence file of the unit for download. The id must
// belong to this plan and unit, and the unit must be in the caller's scope:
// an id or hash from elsewhere is ENOTFOUND.
func (db *DB) OpenEvidence(ctx context.Context, planID, code string, id int64) (*antq.Evidence, *os.File, error) {
	t, err := db.resolve(ctx, db.read, planID, code)
	if err != nil {
		return nil, nil, err
	}
	e, err := scanEvidence(db.read.QueryRowContext(ctx, evidenceSelect+`WHERE e.id = $1 AND e.plan_id = $2 AND e.unit_id = $3`, id, t.factsPlanID, t.unit.ID))
	if errNoRows(err) {
		return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy minh chứng %d của đơn vị %s", id, t.unit.Code)
	} else if err != nil {
		return nil, nil, fmt.Errorf("evidence: %w", err)
	}
	if !shaPattern.MatchString(e.SHA256) {
		return nil, nil, fmt.Errorf("evidence %d: bad hash %q", id, e.SHA256)
	}
	f, err := os.Open(db.filePath(e.SHA256))
	if err != nil {
		return nil, nil, fmt.Errorf("evidence %d: %w", id, err)
	}
	return e, f, nil
}

// DeleteEvidence detaches an evidence file from the unit's fact. The content
// stays (other facts may share it; the audit trail names it).
func (db *DB) DeleteEvidence(ctx context.Context, planID, code string, id int64) error {
	return db.withFact(ctx, planID, code, func(tx *Tx, t *factTarget) error {
		e, err := scanEvidence(tx.QueryRowContext(ctx, evidenceSelect+`WHERE e.id = $1 AND e.plan_id = $2 AND e.unit_id = $3`, id, t.factsPlanID, t.unit.ID))
		if errNoRows(err) {
			return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy minh chứng %d của đơn vị %s", id, t.unit.Code)
		} else if err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM evidence WHERE id = $1`, id); err != nil {
			return fmt.Errorf("evidence: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "delete", Entity: "evidence", Key: factKey(t, id), UnitID: t.unit.ID, Old: e})
	})
}
