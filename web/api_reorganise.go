package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"antq"
	"antq/unitfile"
)

// POST /api/v1/units/reorganise?file=NAME: the body is a reorganisation
// file (text/csv or XLSX), applied all or nothing. Only an administrator
// who sees the whole tree may send one. A file with errors is a 422 whose
// error lists every bad row (file, row, column, reason).
func (s *Server) apiUnitsReorganise(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	ct := r.Header.Get("Content-Type")
	switch {
	case name != "":
	case strings.Contains(ct, "spreadsheetml"):
		name = "reorganise.xlsx"
	default:
		name = "reorganise.csv"
	}
	if ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.Contains(ct, "spreadsheetml") && !strings.HasPrefix(ct, "application/octet-stream") {
		s.error(w, r, badRequest("Nội dung phải là tệp CSV (text/csv) hoặc XLSX", nil))
		return
	}
	body, err := readFileBody(r, "Nội dung quá lớn")
	if err != nil {
		s.error(w, r, err)
		return
	}
	rows, err := unitfile.ReadReorganisation(name, bytes.NewReader(body))
	if err == nil {
		var res any
		res, err = s.DB.Reorganise(r.Context(), name, rows)
		if err == nil {
			writeJSON(w, http.StatusOK, res)
			return
		}
	}
	var ie antq.ImportErrors
	if errors.As(err, &ie) {
		var out struct {
			Error struct {
				Code    string          `json:"code"`
				Message string          `json:"message"`
				Rows    []antq.RowError `json:"rows"`
			} `json:"error"`
		}
		out.Error.Code, out.Error.Rows = antq.EINVALID, ie
		out.Error.Message = "Tệp có lỗi, không thay đổi đơn vị nào"
		writeJSON(w, http.StatusUnprocessableEntity, out)
		return
	}
	s.error(w, r, err)
}
