package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"antq"
	"antq/cluster"
	"antq/rules"
	"antq/store"
	"antq/xlsx"
)

// The clusters' pages (issue 14): the list, the ranking (bar chart,
// printable), each member's scoring sheet (phone-friendly form), the
// proposal document and the ranking as XLSX.

func clusterURL(id int64) string { return "/clusters/" + strconv.FormatInt(id, 10) }

func memberSheetURL(id int64, code string) string {
	return clusterURL(id) + "/members/" + url.PathEscape(code)
}

type clustersPage struct {
	Layout
	Year     int
	Clusters []*cluster.Cluster
}

// GET /clusters?year=
func (s *Server) clusterList(w http.ResponseWriter, r *http.Request) {
	year, list, err := s.clustersOfYear(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "clusters", clustersPage{Layout: s.layout(r, "Cụm, khối thi đua"), Year: year, Clusters: list})
}

type rankView struct {
	cluster.Row
	URL    string
	Nomin  []cluster.Nomination
	Reason string // which tie-break set it apart, in words
}

type clusterPage struct {
	Layout
	C           *cluster.Cluster
	Sheet       *rules.Sheet
	Rows        []rankView
	Chart       *rankChart
	CanReview   bool
	Nominations []cluster.Nomination
	Awards      []cluster.Award
	Message     string
	Errors      map[string]string
	Values      map[string]string
	Today       antq.Date
}

func (s *Server) loadClusterPage(r *http.Request) (*clusterPage, *store.Ranking, error) {
	rk, err := s.clusterRanking(r)
	if err != nil {
		return nil, nil, err
	}
	c := rk.Cluster
	p := &clusterPage{Layout: s.layout(r, c.Kind.Label()+": "+c.Name+" năm "+strconv.Itoa(c.Year)), C: c, Sheet: rk.Sheet,
		CanReview: cluster.CheckReview(antq.UserFromContext(r.Context()), c.View) == nil, Awards: cluster.Awards,
		Errors: map[string]string{}, Values: map[string]string{}, Today: antq.DateOf(s.DB.Now()), Nominations: rankedNominations(rk)}
	chart := rankChart{Title: "Tổng điểm thi đua của các thành viên (tối đa " + rk.Sheet.Max().VN() + " điểm)"}
	maxPoints := float64(rk.Sheet.Max())
	for _, row := range rk.Rows {
		v := rankView{Row: row, URL: memberSheetURL(c.ID, row.Unit.Code), Nomin: rk.Votes[row.Unit.Code]}
		if row.DecidedBy >= 0 && row.DecidedBy < len(rk.Sheet.TieBreaks) {
			v.Reason = "bằng điểm, xếp sau theo: " + strings.ToLower(rk.Sheet.TieBreaks[row.DecidedBy].Title)
		}
		p.Rows = append(p.Rows, v)
		tied := ""
		if row.Tied {
			tied = " (đồng hạng)"
		}
		chart.Bars = append(chart.Bars, rankBar{Name: row.Unit.Name, URL: v.URL, Share: min(1, float64(row.Total)/maxPoints),
			Value: row.Total.VN() + " điểm · hạng " + strconv.Itoa(row.Rank) + tied})
	}
	if len(chart.Bars) > 0 {
		p.Chart = &chart
	}
	if r.URL.Query().Get("closed") == "1" {
		p.Flash = "Đã khóa bảng xếp hạng."
	} else if r.URL.Query().Get("reopened") == "1" {
		p.Flash = "Đã mở lại bảng xếp hạng."
	} else if r.URL.Query().Get("nominated") == "1" {
		p.Flash = "Đã ghi kết quả bình xét."
	}
	return p, rk, nil
}

// GET /clusters/{id}
func (s *Server) clusterShow(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.loadClusterPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "cluster", p)
}

// clusterFormFailed re-renders the ranking page with the submitted values
// and the reasons, or answers an error that is not the form's.
func (s *Server) clusterFormFailed(w http.ResponseWriter, r *http.Request, err error) {
	code := antq.ErrorCode(err)
	if code != antq.EINVALID && code != errBadRequest && code != antq.ECONFLICT {
		s.error(w, r, err)
		return
	}
	p, _, perr := s.loadClusterPage(r)
	if perr != nil {
		s.error(w, r, perr)
		return
	}
	p.Flash = ""
	p.Message = antq.ErrorMessage(err)
	for k, v := range antq.ErrorFields(err) {
		p.Errors[k] = v
	}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			p.Values[cleanUTF8(k)] = cleanUTF8(v[0])
		}
	}
	status := http.StatusUnprocessableEntity
	if code == antq.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(w, r, status, "cluster", p)
}

// POST /clusters/{id}/ranking: action=close | reopen (with reason)
func (s *Server) clusterRankingForm(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	if err := f.err(); err != nil {
		s.clusterFormFailed(w, r, err)
		return
	}
	id, err := clusterID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	done := ""
	switch f.str("action") {
	case "close":
		done = "closed"
		_, err = s.DB.CloseRanking(r.Context(), id)
	case "reopen":
		done = "reopened"
		_, err = s.DB.ReopenRanking(r.Context(), id, f.str("reason"))
	default:
		err = badRequest("Thao tác không hợp lệ", map[string]string{"action": "chọn khóa hoặc mở lại bảng xếp hạng"})
	}
	if err != nil {
		s.clusterFormFailed(w, r, err)
		return
	}
	http.Redirect(w, r, clusterURL(id)+"?"+done+"=1", http.StatusSeeOther)
}

// POST /clusters/{id}/nominations
func (s *Server) clusterNominateForm(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	id, err := clusterID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	present, votes := f.int("present"), f.int("votes_for")
	if err := f.err(); err != nil {
		s.clusterFormFailed(w, r, err)
		return
	}
	in := cluster.NominationInput{Unit: f.str("unit"), Award: cluster.Award(f.str("award")), MeetingOn: f.date("meeting_on"), Note: f.str("note")}
	if present != nil {
		in.Present = int(*present)
	}
	if votes != nil {
		in.VotesFor = int(*votes)
	}
	if _, err := s.DB.RecordNomination(r.Context(), id, in); err != nil {
		s.clusterFormFailed(w, r, err)
		return
	}
	http.Redirect(w, r, clusterURL(id)+"?nominated=1#binh-xet", http.StatusSeeOther)
}

type sheetLineView struct {
	Cr           *rules.SheetCriterion
	Line         cluster.Line
	Score        cluster.Score
	Self         string
	SelfNote     string
	SelfEvidence string
	Reviewed     string
	ReviewedNote string
}

type sheetGroupView struct {
	Title string
	Lines []sheetLineView
}

type memberSheetPage struct {
	Layout
	C         *cluster.Cluster
	Sheet     *rules.Sheet
	Row       cluster.Row
	Groups    []sheetGroupView
	CanSelf   bool
	CanReview bool
	Closed    bool
	Message   string
	Errors    map[string]string
	Count     int
}

func (s *Server) loadMemberSheet(r *http.Request) (*memberSheetPage, error) {
	rk, err := s.clusterRanking(r)
	if err != nil {
		return nil, err
	}
	code := r.PathValue("code")
	var row *cluster.Row
	for i := range rk.Rows {
		if rk.Rows[i].Unit.Code == code {
			row = &rk.Rows[i]
		}
	}
	if row == nil {
		return nil, antq.Errorf(antq.ENOTFOUND, "Cụm, khối không có thành viên %s", code)
	}
	var memberID int64
	for _, m := range rk.Cluster.Members {
		if m.Unit.Code == code {
			memberID = m.Unit.ID
		}
	}
	user := antq.UserFromContext(r.Context())
	p := &memberSheetPage{Layout: s.layout(r, "Bảng điểm thi đua — "+row.Unit.Name), C: rk.Cluster, Sheet: rk.Sheet, Row: *row,
		Closed: rk.Cluster.Closed != nil, Errors: map[string]string{}, Count: len(rk.Cluster.Members)}
	p.CanSelf = !p.Closed && cluster.CheckSelfScore(user, memberID) == nil
	p.CanReview = !p.Closed && cluster.CheckReview(user, rk.Cluster.View) == nil
	lines := map[string]cluster.Line{}
	for _, l := range row.Lines {
		lines[l.ID] = l
	}
	for gi := range rk.Sheet.Groups {
		g := &rk.Sheet.Groups[gi]
		gv := sheetGroupView{Title: g.Title}
		for ci := range g.Criteria {
			cr := &g.Criteria[ci]
			lv := sheetLineView{Cr: cr, Line: lines[cr.ID], Score: rk.Scores[code][cr.ID]}
			if lv.Score.Self != nil {
				lv.Self = lv.Score.Self.VN()
			}
			if lv.Score.Reviewed != nil {
				lv.Reviewed = lv.Score.Reviewed.VN()
			}
			lv.SelfNote, lv.SelfEvidence, lv.ReviewedNote = lv.Score.SelfNote, lv.Score.SelfEvidence, lv.Score.ReviewedNote
			gv.Lines = append(gv.Lines, lv)
		}
		p.Groups = append(p.Groups, gv)
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Đã lưu điểm."
	}
	return p, nil
}

// GET /clusters/{id}/members/{code}
func (s *Server) clusterMemberSheet(w http.ResponseWriter, r *http.Request) {
	p, err := s.loadMemberSheet(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "cluster_sheet", p)
}

// POST /clusters/{id}/members/{code}: the scores the caller may enter
// (self-scores for the member's own users, reviewed scores for the head
// or organiser); empty fields are left as they are.
func (s *Server) clusterMemberSave(w http.ResponseWriter, r *http.Request) {
	f := newFormParser(r)
	p, err := s.loadMemberSheet(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch {
	case p.Closed:
		s.memberSheetFailed(w, r, p, antq.Errorf(antq.ECONFLICT, "Bảng xếp hạng đã khóa: mở lại (có lý do) trước khi sửa điểm"), nil)
		return
	case !p.CanSelf && !p.CanReview:
		s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Bạn không được chấm điểm thành viên này: đơn vị thành viên tự chấm, đơn vị trưởng hoặc đơn vị tổ chức thẩm định"))
		return
	}
	var in []cluster.ScoreInput
	var ids []string
	fieldErr := map[string]string{}
	points := func(name string) *antq.Tenths {
		v := f.str(name)
		if v == "" {
			return nil
		}
		t, err := antq.ParseTenths(v)
		if err != nil {
			fieldErr[name] = err.Error()
			return nil
		}
		return &t
	}
	text := func(name string) *string {
		if _, ok := r.PostForm[name]; !ok {
			return nil
		}
		v := f.str(name)
		return &v
	}
	for _, cr := range p.Sheet.Criteria() {
		if cr.Kind == rules.ScoringComputed {
			continue
		}
		sc := cluster.ScoreInput{Criterion: cr.ID}
		if p.CanSelf {
			sc.Self, sc.SelfNote, sc.SelfEvidence = points("self_"+cr.ID), text("self_note_"+cr.ID), text("self_evidence_"+cr.ID)
		}
		if p.CanReview {
			sc.Reviewed, sc.ReviewedNote = points("reviewed_"+cr.ID), text("reviewed_note_"+cr.ID)
		}
		if sc.Self == nil && sc.Reviewed == nil && !hasScore(p, cr.ID) {
			continue // notes alone, on a criterion not scored yet: nothing to keep
		}
		if sc.Self != nil || sc.SelfNote != nil || sc.SelfEvidence != nil || sc.Reviewed != nil || sc.ReviewedNote != nil {
			in = append(in, sc)
			ids = append(ids, cr.ID)
		}
	}
	if err := f.err(); err != nil {
		s.memberSheetFailed(w, r, p, err, nil)
		return
	}
	if len(fieldErr) > 0 {
		s.memberSheetFailed(w, r, p, antq.Invalid("Điểm thi đua không hợp lệ", fieldErr), nil)
		return
	}
	id, _ := clusterID(r)
	if _, err := s.DB.UpdateScores(r.Context(), id, p.Row.Unit.Code, in); err != nil {
		s.memberSheetFailed(w, r, p, err, ids)
		return
	}
	http.Redirect(w, r, memberSheetURL(id, p.Row.Unit.Code)+"?saved=1", http.StatusSeeOther)
}

func hasScore(p *memberSheetPage, id string) bool {
	for _, g := range p.Groups {
		for _, l := range g.Lines {
			if l.Cr.ID == id && (l.Score.Self != nil || l.Score.Reviewed != nil) {
				return true
			}
		}
	}
	return false
}

// memberSheetFailed re-renders the sheet with what was typed and the
// reasons; the store's "scores[i].field" keys become the form's field
// names (ids lists the criterion of each i).
func (s *Server) memberSheetFailed(w http.ResponseWriter, r *http.Request, p *memberSheetPage, err error, ids []string) {
	code := antq.ErrorCode(err)
	if code != antq.EINVALID && code != errBadRequest && code != antq.ECONFLICT {
		s.error(w, r, err)
		return
	}
	p.Flash, p.Message = "", antq.ErrorMessage(err)
	for k, v := range antq.ErrorFields(err) {
		var i int
		var field string
		if n, _ := fmt.Sscanf(strings.Replace(k, "].", "] ", 1), "scores[%d] %s", &i, &field); n == 2 && i < len(ids) {
			k = field + "_" + ids[i]
			if field == "criterion" {
				k = "reviewed_" + ids[i]
			}
		}
		p.Errors[k] = v
	}
	for gi := range p.Groups {
		for li := range p.Groups[gi].Lines {
			l := &p.Groups[gi].Lines[li]
			id := l.Cr.ID
			for name, dst := range map[string]*string{"self_": &l.Self, "self_note_": &l.SelfNote, "self_evidence_": &l.SelfEvidence,
				"reviewed_": &l.Reviewed, "reviewed_note_": &l.ReviewedNote} {
				if v, ok := r.PostForm[name+id]; ok && len(v) > 0 {
					*dst = cleanUTF8(v[0])
				}
			}
		}
	}
	status := http.StatusUnprocessableEntity
	if code == antq.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(w, r, status, "cluster_sheet", p)
}

// GET /clusters/{id}/proposal: the head's proposal of the leaders, with
// their scores and the meeting's vote, as a printable document.
func (s *Server) clusterProposal(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.loadClusterPage(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !p.C.View.SeesAll() {
		s.error(w, r, antq.Errorf(antq.EFORBIDDEN, "Chỉ đơn vị trưởng và đơn vị tổ chức xem tờ trình đề nghị khen thưởng"))
		return
	}
	p.Title = "Tờ trình đề nghị khen thưởng — " + p.C.Name
	s.render(w, r, http.StatusOK, "cluster_proposal", p)
}

// GET /clusters/{id}/ranking.xlsx
func (s *Server) clusterXLSX(w http.ResponseWriter, r *http.Request) {
	rk, err := s.clusterRanking(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c := rk.Cluster
	state := "đang chấm điểm, số liệu đến ngày " + antq.DateOf(s.DB.Now()).VN()
	if c.Closed != nil {
		state = "đã khóa ngày " + c.Closed.ClosedOn.VN() + " (" + c.Closed.ClosedBy + ")"
	}
	title := fmt.Sprintf("%s: %s năm %d — bảng xếp hạng (%s)", c.Kind.Label(), c.Name, c.Year, state)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"xep-hang-%d-%s.xlsx\"", c.Year, url.PathEscape(c.Code)))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := xlsx.WriteRanking(w, title, rk.Sheet, rk.Rows); err != nil {
		s.Logger.Error("xlsx", "err", err)
	}
}
