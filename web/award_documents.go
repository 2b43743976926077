package web

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"

	"antq"
)

// The files of a nomination's dossier (tờ trình, báo cáo thành tích, biên
// bản họp hội đồng, others): uploaded on the nomination's page while it is
// a draft, listed and downloaded in scope, locked once submitted. The API
// takes the same multipart form (kind, then file).

// documentUpload reads the multipart form of an upload: the kind and the
// file, which it hands to the store.
func (s *Server) documentUpload(w http.ResponseWriter, r *http.Request, id int64) (*antq.NominationDocument, error) {
	limit := s.DB.EvidenceLimits().MaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, antq.Invalid("Cần gửi tệp dạng multipart/form-data (trường kind, file)", map[string]string{"file": "cần tệp tài liệu"})
	}
	var kind antq.DocumentKind
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			if _, over := overLimit(err); over {
				return nil, antq.Invalid("Tệp quá lớn", map[string]string{"file": fmt.Sprintf("tệp vượt quá %d MB", limit>>20)})
			}
			return nil, antq.Invalid("Nội dung tải lên không hợp lệ", map[string]string{"file": "biểu mẫu hỏng"})
		}
		switch part.FormName() {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			kind = antq.DocumentKind(b)
		case "file":
			if kind == "" {
				return nil, antq.Invalid("Tài liệu hồ sơ khen thưởng không hợp lệ", map[string]string{"kind": "chọn loại tài liệu trước khi chọn tệp"})
			}
			return s.DB.AddNominationDocument(r.Context(), id, kind, part.FileName(), part)
		}
	}
	return nil, antq.Invalid("Thiếu tệp tài liệu", map[string]string{"file": "hãy chọn một tệp"})
}

// awardDocumentsURL is where a nomination's document form goes back to.
const awardDocumentsURL = "/awards/%d?saved=1#documents"

// POST /awards/{id}/documents
func (s *Server) awardDocumentUpload(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, awardDocumentsURL, s.stepFailed, func(id int64) (map[string]string, error) {
		_, err := s.documentUpload(w, r, id)
		return nil, err
	})
}

// POST /awards/{id}/documents/{doc}/delete
func (s *Server) awardDocumentDelete(w http.ResponseWriter, r *http.Request) {
	s.recordPost(w, r, awardDocumentsURL, s.stepFailed, func(id int64) (map[string]string, error) {
		return nil, s.DB.DeleteNominationDocument(r.Context(), id, atoi64(r.PathValue("doc")))
	})
}

// GET /awards/{id}/documents/{doc} and the API's: the file, as an
// attachment, never cached.
func (s *Server) awardDocumentDownload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, f, err := s.DB.OpenNominationDocument(r.Context(), id, atoi64(r.PathValue("doc")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer f.Close()
	serveDocument(w, d, f)
}

func serveDocument(w http.ResponseWriter, d *antq.NominationDocument, f *os.File) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	io.Copy(w, f)
}

// GET /api/v1/awards/nominations/{id}/documents
func (s *Server) apiAwardDocuments(w http.ResponseWriter, r *http.Request) {
	showByID(s, w, r, func(ctx context.Context, id int64) (map[string]any, error) {
		list, err := s.DB.NominationDocuments(ctx, id)
		return map[string]any{"documents": list}, err
	})
}

// POST /api/v1/awards/nominations/{id}/documents (multipart: kind, file)
func (s *Server) apiAwardDocumentUpload(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.documentUpload(w, r, id)
	respondCreated(s, w, r, d, err)
}

// DELETE /api/v1/awards/nominations/{id}/documents/{doc}
func (s *Server) apiAwardDocumentDelete(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	respondDeleted(s, w, r, s.DB.DeleteNominationDocument(r.Context(), id, atoi64(r.PathValue("doc"))))
}
