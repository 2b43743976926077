package web

import (
	"net/http"
	"strconv"

	"antq"
	"antq/cluster"
	"antq/rules"
	"antq/store"
)

// The clusters' API (issue 14): /api/v1/clusters…

type clusterUnitJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func toClusterUnit(u cluster.Unit) clusterUnitJSON {
	return clusterUnitJSON{Code: u.Code, Name: u.Name}
}

type clusterSheetJSON struct {
	ID       string `json:"id"`
	Version  int    `json:"version"`
	Title    string `json:"title"`
	Plan     string `json:"plan"`
	Verified bool   `json:"verified"`
}

type clusterMemberJSON struct {
	Unit     clusterUnitJSON `json:"unit"`
	JoinedOn antq.Date       `json:"joined_on"`
	LeftOn   *antq.Date      `json:"left_on"`
	Ended    bool            `json:"ended"`
}

type clusterHeadJSON struct {
	Unit   clusterUnitJSON `json:"unit"`
	Since  antq.Date       `json:"since"`
	Reason string          `json:"reason"`
	SetBy  string          `json:"set_by"`
}

type clusterJSON struct {
	ID        int64               `json:"id"`
	Code      string              `json:"code"`
	Name      string              `json:"name"`
	Year      int                 `json:"year"`
	Kind      cluster.Kind        `json:"kind"`
	Organiser clusterUnitJSON     `json:"organiser"`
	Head      *clusterUnitJSON    `json:"head"`
	Heads     []clusterHeadJSON   `json:"heads"`
	Sheet     clusterSheetJSON    `json:"sheet"`
	Pact      *cluster.Pact       `json:"pact"`
	Members   []clusterMemberJSON `json:"members"`
	Closed    *cluster.Closure    `json:"closed"`
	View      cluster.Relation    `json:"view"`
}

func toClusterJSON(c *cluster.Cluster, sheet *rules.Sheet) clusterJSON {
	out := clusterJSON{ID: c.ID, Code: c.Code, Name: c.Name, Year: c.Year, Kind: c.Kind, Organiser: toClusterUnit(c.Organiser),
		Heads: []clusterHeadJSON{}, Sheet: clusterSheetJSON{ID: c.SheetID, Version: c.SheetVersion}, Pact: c.Pact,
		Members: []clusterMemberJSON{}, Closed: c.Closed, View: c.View}
	if sheet != nil {
		out.Sheet.Title, out.Sheet.Plan, out.Sheet.Verified = sheet.Title, sheet.Plan, sheet.Verified()
	}
	if c.Head != nil {
		h := toClusterUnit(*c.Head)
		out.Head = &h
	}
	for _, h := range c.Heads {
		out.Heads = append(out.Heads, clusterHeadJSON{Unit: toClusterUnit(h.Unit), Since: h.Since, Reason: h.Reason, SetBy: h.SetBy})
	}
	for _, m := range c.Members {
		j := clusterMemberJSON{Unit: toClusterUnit(m.Unit), JoinedOn: m.JoinedOn, Ended: m.Ended}
		if !m.LeftOn.IsZero() {
			left := m.LeftOn
			j.LeftOn = &left
		}
		out.Members = append(out.Members, j)
	}
	return out
}

func clusterID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy cụm, khối thi đua %q", r.PathValue("id"))
	}
	return id, nil
}

// yearParam reads ?year= (0 when absent).
func yearParam(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, badRequest("Năm không hợp lệ", map[string]string{"year": "năm phải là số từ 2000 đến 2100"})
	}
	return y, nil
}

// clusterWithSheet is the cluster's JSON with its sheet's title.
func (s *Server) clusterWithSheet(r *http.Request, c *cluster.Cluster) clusterJSON {
	sheet, _ := s.DB.ClusterSheet(r.Context(), c.SheetID, c.SheetVersion)
	return toClusterJSON(c, sheet)
}

func (s *Server) respondCluster(w http.ResponseWriter, r *http.Request, status int, c *cluster.Cluster, err error) {
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, status, s.clusterWithSheet(r, c))
}

// clustersOfYear reads ?year= and lists the clusters of that year (of
// every year without one).
func (s *Server) clustersOfYear(r *http.Request) (year int, list []*cluster.Cluster, err error) {
	if year, err = yearParam(r); err != nil {
		return 0, nil, err
	}
	list, err = s.DB.Clusters(r.Context(), year)
	return year, list, err
}

// GET /api/v1/clusters?year=
func (s *Server) apiClusterList(w http.ResponseWriter, r *http.Request) {
	_, list, err := s.clustersOfYear(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := struct {
		Clusters []clusterJSON `json:"clusters"`
	}{Clusters: []clusterJSON{}}
	for _, c := range list {
		out.Clusters = append(out.Clusters, s.clusterWithSheet(r, c))
	}
	writeJSON(w, http.StatusOK, out)
}

type clusterMemberInput struct {
	Code     string    `json:"code"`
	JoinedOn antq.Date `json:"joined_on"`
	LeftOn   antq.Date `json:"left_on"`
}

type clusterBody struct {
	Code       *string              `json:"code"`
	Name       *string              `json:"name"`
	Year       *int                 `json:"year"`
	Kind       *cluster.Kind        `json:"kind"`
	Organiser  *string              `json:"organiser"`
	Sheet      *string              `json:"sheet"`
	Head       *string              `json:"head"`
	HeadSince  *antq.Date           `json:"head_since"`
	HeadReason *string              `json:"head_reason"`
	Pact       *cluster.Pact        `json:"pact"`
	Members    []clusterMemberInput `json:"members"`
}

func (b clusterBody) input() cluster.Input {
	in := cluster.Input{Code: b.Code, Name: b.Name, Year: b.Year, Kind: b.Kind, Organiser: b.Organiser, Sheet: b.Sheet,
		Head: b.Head, HeadSince: b.HeadSince, HeadReason: b.HeadReason, Pact: b.Pact}
	if b.Members != nil {
		in.Members = []cluster.MemberInput{}
		for _, m := range b.Members {
			in.Members = append(in.Members, cluster.MemberInput{Code: m.Code, JoinedOn: m.JoinedOn, LeftOn: m.LeftOn})
		}
	}
	return in
}

// POST /api/v1/clusters
func (s *Server) apiClusterCreate(w http.ResponseWriter, r *http.Request) {
	var b clusterBody
	if err := decodeJSON(r, &b); err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.CreateCluster(r.Context(), b.input())
	s.respondCluster(w, r, http.StatusCreated, c, err)
}

// GET /api/v1/clusters/{id}
func (s *Server) apiClusterShow(w http.ResponseWriter, r *http.Request) {
	id, err := clusterID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.Cluster(r.Context(), id)
	s.respondCluster(w, r, http.StatusOK, c, err)
}

// PATCH /api/v1/clusters/{id}
func (s *Server) apiClusterUpdate(w http.ResponseWriter, r *http.Request) {
	var b clusterBody
	id, err := decodeWithID(r, clusterID, &b)
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, err := s.DB.UpdateCluster(r.Context(), id, b.input())
	s.respondCluster(w, r, http.StatusOK, c, err)
}

type rankingCriterionJSON struct {
	ID     string `json:"id"`
	Points string `json:"points"`
	Max    string `json:"max"`
	Basis  string `json:"basis"`
}

type rankingRowJSON struct {
	Unit     clusterUnitJSON        `json:"unit"`
	Total    string                 `json:"total"`
	Rank     int                    `json:"rank"`
	Tied     bool                   `json:"tied"`
	Criteria []rankingCriterionJSON `json:"criteria"`
}

type tieBreakJSON struct {
	Kind     rules.TieBreakKind `json:"kind"`
	Title    string             `json:"title"`
	Verified bool               `json:"verified"`
}

type rankingJSON struct {
	Cluster   clusterUnitJSON  `json:"cluster"`
	Ranking   []rankingRowJSON `json:"ranking"`
	Closed    bool             `json:"closed"`
	Closure   *cluster.Closure `json:"closure"`
	Max       string           `json:"max"`
	TieBreaks []tieBreakJSON   `json:"tie_breaks"`
}

func toRankingJSON(rk *store.Ranking) rankingJSON {
	out := rankingJSON{Cluster: clusterUnitJSON{Code: rk.Cluster.Code, Name: rk.Cluster.Name}, Ranking: []rankingRowJSON{},
		Closed: rk.Cluster.Closed != nil, Closure: rk.Cluster.Closed, Max: rk.Sheet.Max().String(), TieBreaks: []tieBreakJSON{}}
	for _, t := range rk.Sheet.TieBreaks {
		out.TieBreaks = append(out.TieBreaks, tieBreakJSON{Kind: t.Kind, Title: t.Title, Verified: t.Verified})
	}
	for _, row := range rk.Rows {
		j := rankingRowJSON{Unit: toClusterUnit(row.Unit), Total: row.Total.String(), Rank: row.Rank, Tied: row.Tied, Criteria: []rankingCriterionJSON{}}
		for _, l := range row.Lines {
			j.Criteria = append(j.Criteria, rankingCriterionJSON{ID: l.ID, Points: l.Points.String(), Max: l.Max.String(), Basis: l.Basis})
		}
		out.Ranking = append(out.Ranking, j)
	}
	return out
}

// respondRanking answers GET /api/v1/clusters/{id}/… with the cluster's
// ranking in the JSON form to gives it.
func respondRanking[J any](s *Server, w http.ResponseWriter, r *http.Request, to func(*store.Ranking) J) {
	rk, err := s.clusterRanking(r)
	respondAs(s, w, r, rk, err, to)
}

// clusterRanking reads the ranking of the cluster the route's {id} names.
func (s *Server) clusterRanking(r *http.Request) (*store.Ranking, error) {
	id, err := clusterID(r)
	if err != nil {
		return nil, err
	}
	return s.DB.ClusterRanking(r.Context(), id)
}

// GET /api/v1/clusters/{id}/ranking
func (s *Server) apiClusterRanking(w http.ResponseWriter, r *http.Request) {
	respondRanking(s, w, r, toRankingJSON)
}

// POST /api/v1/clusters/{id}/ranking/{action}: close | reopen
func (s *Server) apiClusterRankingAction(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	id, err := decodeWithID(r, clusterID, &in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var rk *store.Ranking
	switch r.PathValue("action") {
	case "close":
		rk, err = s.DB.CloseRanking(r.Context(), id)
	case "reopen":
		rk, err = s.DB.ReopenRanking(r.Context(), id, in.Reason)
	default:
		err = antq.Errorf(antq.ENOTFOUND, "Không có thao tác %q", r.PathValue("action"))
	}
	respondAs(s, w, r, rk, err, toRankingJSON)
}

type scoreLineJSON struct {
	ID           string       `json:"id"`
	Title        string       `json:"title"`
	Kind         string       `json:"kind"`
	Max          string       `json:"max"`
	Points       string       `json:"points"`
	Basis        string       `json:"basis"`
	Figure       *figureJSON  `json:"figure,omitempty"`
	Self         *antq.Tenths `json:"self"`
	SelfNote     string       `json:"self_note"`
	SelfEvidence string       `json:"self_evidence"`
	Reviewed     *antq.Tenths `json:"reviewed"`
	ReviewedNote string       `json:"reviewed_note"`
	Verified     bool         `json:"verified"`
}

type figureJSON struct {
	Num int64 `json:"numerator"`
	Den int64 `json:"denominator"`
}

type memberScoresJSON struct {
	Unit     clusterUnitJSON `json:"unit"`
	Total    string          `json:"total"`
	Rank     int             `json:"rank"`
	Tied     bool            `json:"tied"`
	Criteria []scoreLineJSON `json:"criteria"`
}

type scoresJSON struct {
	Cluster clusterUnitJSON    `json:"cluster"`
	Closed  bool               `json:"closed"`
	Members []memberScoresJSON `json:"members"`
}

func toScoresJSON(rk *store.Ranking) scoresJSON {
	out := scoresJSON{Cluster: clusterUnitJSON{Code: rk.Cluster.Code, Name: rk.Cluster.Name}, Closed: rk.Cluster.Closed != nil, Members: []memberScoresJSON{}}
	for _, row := range rk.Rows {
		m := memberScoresJSON{Unit: toClusterUnit(row.Unit), Total: row.Total.String(), Rank: row.Rank, Tied: row.Tied, Criteria: []scoreLineJSON{}}
		for _, l := range row.Lines {
			cr, _ := rk.Sheet.Criterion(l.ID)
			j := scoreLineJSON{ID: l.ID, Max: l.Max.String(), Points: l.Points.String(), Basis: l.Basis}
			if cr != nil {
				j.Title, j.Kind, j.Verified = cr.Title, string(cr.Kind), cr.Verified
			}
			if l.Figure != nil {
				j.Figure = &figureJSON{Num: l.Figure.Num, Den: l.Figure.Den}
			}
			if sc, ok := rk.Scores[row.Unit.Code][l.ID]; ok {
				j.Self, j.SelfNote, j.SelfEvidence, j.Reviewed, j.ReviewedNote = sc.Self, sc.SelfNote, sc.SelfEvidence, sc.Reviewed, sc.ReviewedNote
			}
			m.Criteria = append(m.Criteria, j)
		}
		out.Members = append(out.Members, m)
	}
	return out
}

// GET /api/v1/clusters/{id}/scores
func (s *Server) apiClusterScores(w http.ResponseWriter, r *http.Request) {
	respondRanking(s, w, r, toScoresJSON)
}

// PATCH /api/v1/clusters/{id}/scores
func (s *Server) apiClusterScoresUpdate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Unit   string `json:"unit"`
		Scores []struct {
			Criterion    string       `json:"criterion"`
			Self         *antq.Tenths `json:"self"`
			SelfNote     *string      `json:"self_note"`
			SelfEvidence *string      `json:"self_evidence"`
			Reviewed     *antq.Tenths `json:"reviewed"`
			ReviewedNote *string      `json:"reviewed_note"`
		} `json:"scores"`
	}
	id, err := decodeWithID(r, clusterID, &in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var list []cluster.ScoreInput
	for _, sc := range in.Scores {
		list = append(list, cluster.ScoreInput{Criterion: sc.Criterion, Self: sc.Self, SelfNote: sc.SelfNote, SelfEvidence: sc.SelfEvidence,
			Reviewed: sc.Reviewed, ReviewedNote: sc.ReviewedNote})
	}
	rk, err := s.DB.UpdateScores(r.Context(), id, in.Unit, list)
	respondAs(s, w, r, rk, err, toScoresJSON)
}

type nominationJSON struct {
	ID        int64           `json:"id"`
	Unit      clusterUnitJSON `json:"unit"`
	Award     cluster.Award   `json:"award"`
	MeetingOn antq.Date       `json:"meeting_on"`
	Present   int             `json:"present"`
	VotesFor  int             `json:"votes_for"`
	Total     string          `json:"total"`
	Rank      int             `json:"rank"`
	Note      string          `json:"note"`
	CreatedBy string          `json:"created_by"`
}

func toNominationJSON(n cluster.Nomination) nominationJSON {
	return nominationJSON{ID: n.ID, Unit: toClusterUnit(n.Unit), Award: n.Award, MeetingOn: n.MeetingOn, Present: n.Present,
		VotesFor: n.VotesFor, Total: n.Total.String(), Rank: n.Rank, Note: n.Note, CreatedBy: n.CreatedBy}
}

// GET /api/v1/clusters/{id}/nominations
func (s *Server) apiClusterNominations(w http.ResponseWriter, r *http.Request) {
	respondRanking(s, w, r, toNominationsJSON)
}

type nominationsJSON struct {
	Nominations []nominationJSON `json:"nominations"`
}

func toNominationsJSON(rk *store.Ranking) nominationsJSON {
	out := nominationsJSON{Nominations: []nominationJSON{}}
	for _, n := range rankedNominations(rk) {
		out.Nominations = append(out.Nominations, toNominationJSON(n))
	}
	return out
}

// rankedNominations lists a ranking's nominations, Cờ thi đua first, then
// by rank.
func rankedNominations(rk *store.Ranking) []cluster.Nomination {
	var out []cluster.Nomination
	for _, a := range cluster.Awards {
		for _, row := range rk.Rows {
			for _, n := range rk.Votes[row.Unit.Code] {
				if n.Award == a {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// POST /api/v1/clusters/{id}/nominations
func (s *Server) apiClusterNominate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Unit      string        `json:"unit"`
		Award     cluster.Award `json:"award"`
		MeetingOn antq.Date     `json:"meeting_on"`
		Present   int           `json:"present"`
		VotesFor  int           `json:"votes_for"`
		Note      string        `json:"note"`
	}
	id, err := decodeWithID(r, clusterID, &in)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := s.DB.RecordNomination(r.Context(), id, cluster.NominationInput{Unit: in.Unit, Award: in.Award, MeetingOn: in.MeetingOn,
		Present: in.Present, VotesFor: in.VotesFor, Note: in.Note})
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, toNominationJSON(*n))
}
