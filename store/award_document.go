package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"antq"
)

// The files of a nomination's dossier (tờ trình, báo cáo thành tích, biên
// bản họp hội đồng, others): uploaded like a fact's evidence — the same
// formats and content checks (evidenceFormats, checkEvidenceContent), the
// same limit, stored once by SHA-256 in the files directory — and attached
// to a draft nomination the caller may write. A submitted or decided
// nomination's files no longer change; they are read in the nomination's
// scope only and never on the public page.

const awardDocumentSelect = `SELECT d.id, d.nomination_id, d.kind, d.filename, f.content_type, f.size, d.sha256, d.uploaded_at, d.uploaded_by
FROM award_documents d JOIN files f ON f.sha256 = d.sha256 `

func scanAwardDocument(row rowScanner) (*antq.NominationDocument, error) {
	var d antq.NominationDocument
	var kind string
	if err := row.Scan(&d.ID, &d.NominationID, &kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.UploadedAt, &d.UploadedBy); err != nil {
		return nil, err
	}
	d.Kind = antq.DocumentKind(kind)
	return &d, nil
}

// fileField renames the field of an upload's refusal (receiveUpload names
// it "photo") to the form's.
func fileField(err error, field string) error {
	var e *antq.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		fields := map[string]string{}
		for _, reason := range e.Fields {
			fields[field] = reason
		}
		return antq.Invalid(e.Message, fields)
	}
	return err
}

// placeFile records content sum in files and moves the upload tmp into the
// files directory (if the content is not there already), inside tx.
func (db *DB) placeFile(ctx context.Context, tx *Tx, tmp, sum, contentType string, size int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO files (sha256, size, content_type, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING`,
		sum, size, contentType, tx.now); err != nil {
		return err
	}
	dst := db.filePath(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dst)
	}
	return nil
}

// draftForWrite is a nomination in scope that the caller may change: a
// draft whose nominating unit is in reach.
func (db *DB) draftForWrite(ctx context.Context, tx *Tx, id int64) (*antq.Nomination, int64, error) {
	if u := antq.UserFromContext(ctx); u != nil && !u.Can(antq.PermAwardNominate) {
		return nil, 0, antq.Errorf(antq.EFORBIDDEN, "Bạn không có quyền đề nghị khen thưởng")
	}
	n, unitID, err := db.awardNomination(ctx, tx, id)
	if err != nil {
		return nil, 0, err
	}
	if n.Locked() {
		return nil, 0, antq.Errorf(antq.ECONFLICT, "Hồ sơ đang ở trạng thái “%s”: không thay đổi tài liệu được", n.State.Label())
	}
	if _, err := db.writableUnit(ctx, tx, n.NominatedBy, "nominated_by"); err != nil {
		return nil, 0, err
	}
	return n, unitID, nil
}

// AddNominationDocument stores an uploaded file of kind and attaches it to
// the draft nomination id.
func (db *DB) AddNominationDocument(ctx context.Context, id int64, kind antq.DocumentKind, filename string, body io.Reader) (*antq.NominationDocument, error) {
	if db.filesDir == "" {
		return nil, errors.New("nomination document: opened without a files directory")
	}
	name, format, reason := uploadedFile(filename, evidenceFormats, "cần tệp tài liệu", func(name string) string {
		return fmt.Sprintf("loại tệp %q không được chấp nhận (PDF, JPG, PNG, DOC, DOCX, XLS, XLSX)", path.Ext(name))
	})
	f := antq.FieldErrors{}
	if !kind.Valid() {
		f.Add("kind", "chọn loại tài liệu: tờ trình, báo cáo thành tích, biên bản họp hội đồng hoặc tài liệu khác")
	}
	if reason != "" {
		f.Add("file", reason)
	}
	if err := f.Err("Tài liệu hồ sơ khen thưởng không hợp lệ"); err != nil {
		return nil, err
	}
	tmp, sum, size, err := db.receiveUpload(body, name, format)
	if err != nil {
		return nil, fileField(err, "file")
	}
	defer os.Remove(tmp)
	doc := &antq.NominationDocument{NominationID: id, Kind: kind, Filename: name, ContentType: format.contentType, Size: size, SHA256: sum, UploadedBy: actorName(ctx)}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, unitID, err := db.draftForWrite(ctx, tx, id)
		if err != nil {
			return err
		}
		doc.UploadedAt = tx.now
		// The file goes into place before commit (a failed rename rolls
		// the row back; a failed commit leaves a harmless unreferenced file).
		if err := db.placeFile(ctx, tx, tmp, sum, doc.ContentType, size); err != nil {
			return fmt.Errorf("nomination document: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO award_documents (nomination_id, kind, sha256, filename, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			id, string(kind), sum, name, tx.now, doc.UploadedBy).Scan(&doc.ID); err != nil {
			return fmt.Errorf("nomination document: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "create", Entity: "award_document", Key: fmt.Sprintf("%d/%d", id, doc.ID), UnitID: unitID, New: doc})
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

func (db *DB) awardDocuments(ctx context.Context, q querier, id int64) ([]*antq.NominationDocument, error) {
	return listRows(ctx, q, "nomination documents", scanAwardDocument, awardDocumentSelect+`WHERE d.nomination_id = $1 ORDER BY d.id`, id)
}

// NominationDocuments lists the files of a nomination in the caller's scope.
func (db *DB) NominationDocuments(ctx context.Context, id int64) ([]*antq.NominationDocument, error) {
	if _, _, err := db.awardNomination(ctx, db.read, id); err != nil {
		return nil, err
	}
	return db.awardDocuments(ctx, db.read, id)
}

// OpenNominationDocument opens a file of a nomination in the caller's
// scope for download; a document of another nomination, or a nomination
// out of scope, is ENOTFOUND. Every download is audited.
func (db *DB) OpenNominationDocument(ctx context.Context, id, docID int64) (*antq.NominationDocument, *os.File, error) {
	_, unitID, err := db.awardNomination(ctx, db.read, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := scanAwardDocument(db.read.QueryRowContext(ctx, awardDocumentSelect+`WHERE d.id = $1 AND d.nomination_id = $2`, docID, id))
	if errNoRows(err) {
		return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài liệu %d của hồ sơ %d", docID, id)
	} else if err != nil {
		return nil, nil, fmt.Errorf("nomination document: %w", err)
	}
	if !shaPattern.MatchString(d.SHA256) {
		return nil, nil, fmt.Errorf("nomination document %d: bad hash %q", docID, d.SHA256)
	}
	if err := db.auditRead(ctx, auditEntry{Action: "read", Entity: "award_document", Key: fmt.Sprintf("%d/%d", id, docID), UnitID: unitID}); err != nil {
		return nil, nil, err
	}
	file, err := os.Open(db.filePath(d.SHA256))
	if err != nil {
		return nil, nil, fmt.Errorf("nomination document %d: %w", docID, err)
	}
	return d, file, nil
}

// DeleteNominationDocument detaches a file from a draft nomination (the
// content stays among the files; the audit trail names it).
func (db *DB) DeleteNominationDocument(ctx context.Context, id, docID int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, unitID, err := db.draftForWrite(ctx, tx, id)
		if err != nil {
			return err
		}
		d, err := scanAwardDocument(tx.QueryRowContext(ctx, awardDocumentSelect+`WHERE d.id = $1 AND d.nomination_id = $2`, docID, id))
		if errNoRows(err) {
			return antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài liệu %d của hồ sơ %d", docID, id)
		} else if err != nil {
			return fmt.Errorf("nomination document: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM award_documents WHERE id = $1`, docID); err != nil {
			return fmt.Errorf("nomination document: %w", err)
		}
		return db.audit(ctx, tx, auditEntry{Action: "delete", Entity: "award_document", Key: fmt.Sprintf("%d/%d", id, docID), UnitID: unitID, Old: d})
	})
}
