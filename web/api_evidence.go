package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"antq"
	"antq/store"
)

// POST /api/v1/plans/{plan}/units/{code}/evidence (multipart/form-data:
// fact, fact_id, file). The body limit is the evidence limit plus room for
// the form fields.
func (s *Server) apiUploadEvidence(w http.ResponseWriter, r *http.Request) {
	limit := s.DB.EvidenceLimits().MaxBytes
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		s.error(w, r, badRequest("Cần gửi tệp dạng multipart/form-data (trường fact, fact_id, file)", nil))
		return
	}
	in := store.EvidenceInput{}
	factSeen := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			if _, over := overLimit(err); over {
				s.error(w, r, antq.Invalid("Tệp minh chứng quá lớn", map[string]string{"file": fmt.Sprintf("tệp vượt quá %d MB", limit>>20)}))
				return
			}
			s.error(w, r, badRequest("Nội dung multipart không hợp lệ", nil))
			return
		}
		switch part.FormName() {
		case "fact":
			b, _ := io.ReadAll(io.LimitReader(part, 64))
			in.Fact, factSeen = antq.FactKind(b), true
		case "fact_id":
			b, _ := io.ReadAll(io.LimitReader(part, 32))
			if len(b) > 0 {
				if in.FactID, err = strconv.ParseInt(string(b), 10, 64); err != nil || in.FactID < 0 {
					s.error(w, r, antq.Invalid("Tham số không hợp lệ", map[string]string{"fact_id": "cần số nguyên dương"}))
					return
				}
			}
		case "file":
			switch {
			case !factSeen:
				s.error(w, r, badRequest("Trường fact phải đứng trước trường file", map[string]string{"fact": "thiếu"}))
				return
			case in.Fact == "":
				s.error(w, r, antq.Invalid("Tệp minh chứng không hợp lệ", map[string]string{"fact": "cần cho biết minh chứng của số liệu nào: " + factKindList}))
				return
			}
			in.Filename, in.Body = part.FileName(), part
			plan, code := factPath(r)
			ev, err := s.DB.AddEvidence(r.Context(), plan, code, in)
			if err != nil {
				s.error(w, r, err)
				return
			}
			writeJSON(w, http.StatusCreated, ev)
			return
		}
	}
	s.error(w, r, antq.Invalid("Thiếu tệp minh chứng", map[string]string{"file": "cần trường file"}))
}

// GET /api/v1/plans/{plan}/units/{code}/evidence/{id}
func (s *Server) apiDownloadEvidence(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	plan, code := factPath(r)
	ev, f, err := s.DB.OpenEvidence(r.Context(), plan, code, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", ev.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.FormatInt(ev.Size, 10))
	io.Copy(w, f)
}

// DELETE /api/v1/plans/{plan}/units/{code}/evidence/{id}
func (s *Server) apiDeleteEvidence(w http.ResponseWriter, r *http.Request) {
	s.deleteItem(w, r, s.DB.DeleteEvidence)
}

// factKindList names the facts evidence attaches to, for messages.
const factKindList = "registration, propaganda, model, incident, recognition hoặc grade"
