package cluster

import (
	"strings"
	"time"

	"antq"
)

// Award is what a cluster's meeting proposes a member for.
type Award string

const (
	// AwardFlag: Cờ thi đua của UBND tỉnh, for the cluster's leading unit.
	AwardFlag Award = "co_thi_dua"
	// AwardCertificate: Bằng khen của Chủ tịch UBND tỉnh, for the next ones.
	AwardCertificate Award = "bang_khen"
)

// Awards lists the awards in the order a proposal lists them.
var Awards = awards.Codes()

var awards = antq.CodeList[Award]{
	{Code: AwardFlag, Label: "Cờ thi đua của UBND tỉnh"},
	{Code: AwardCertificate, Label: "Bằng khen của Chủ tịch UBND tỉnh"},
}

// Label is the Vietnamese name of the award.
func (a Award) Label() string { return awards.Label(a) }

// Valid reports whether a is a known award.
func (a Award) Valid() bool { return awards.Valid(a) }

// Nomination is the meeting's vote on proposing a member for an award,
// with the member's total and rank when it was recorded. The commendation
// workflow takes proposals from here (store.ClusterNominations).
type Nomination struct {
	ID          int64       `json:"id"`
	ClusterID   int64       `json:"cluster_id"`
	ClusterCode string      `json:"cluster_code"`
	ClusterName string      `json:"cluster_name"`
	Year        int         `json:"year"`
	Unit        Unit        `json:"unit"`
	Award       Award       `json:"award"`
	MeetingOn   antq.Date   `json:"meeting_on"`
	Present     int         `json:"present"`
	VotesFor    int         `json:"votes_for"`
	Total       antq.Tenths `json:"total"`
	Rank        int         `json:"rank"`
	Note        string      `json:"note"`
	CreatedBy   string      `json:"created_by"`
	CreatedAt   time.Time   `json:"created_at"`
}

// NominationInput records one vote.
type NominationInput struct {
	Unit      string
	Award     Award
	MeetingOn antq.Date
	Present   int
	VotesFor  int
	Note      string
}

// CheckNomination checks a vote against the cluster: a member, a known
// award, members present between 1 and the number of members, votes for
// between 0 and those present, the meeting in the cluster's year or the
// first quarter after it (year-end reviews run into March); at most one
// Cờ thi đua per cluster, and a member is proposed for one award only.
func CheckNomination(c *Cluster, existing []Nomination, in NominationInput) error {
	f := map[string]string{}
	member := false
	for _, m := range c.Members {
		if m.Unit.Code == in.Unit {
			member = true
		}
	}
	if !member {
		f["unit"] = "đơn vị " + in.Unit + " không phải thành viên của cụm, khối"
	}
	if !in.Award.Valid() {
		f["award"] = "hình thức đề nghị phải là Cờ thi đua (co_thi_dua) hoặc Bằng khen (bang_khen)"
	}
	if in.Present < 1 || in.Present > len(c.Members) {
		f["present"] = "số thành viên dự họp phải từ 1 đến " + itoa(len(c.Members))
	}
	if in.VotesFor < 0 || in.VotesFor > in.Present {
		f["votes_for"] = "số phiếu đồng ý phải từ 0 đến số thành viên dự họp"
	}
	first, last := antq.NewDate(c.Year, 1, 1), antq.NewDate(c.Year+1, 3, 31)
	if in.MeetingOn.IsZero() || in.MeetingOn.Before(first) || in.MeetingOn.After(last) {
		f["meeting_on"] = "ngày họp phải từ " + first.VN() + " đến " + last.VN()
	}
	for _, n := range existing {
		if n.Unit.Code == in.Unit {
			f["unit"] = "đơn vị " + in.Unit + " đã được bình xét đề nghị " + n.Award.Label()
		} else if in.Award == AwardFlag && n.Award == AwardFlag {
			f["award"] = "cụm, khối đã đề nghị Cờ thi đua cho " + n.Unit.Name
		}
	}
	if len(strings.TrimSpace(in.Note)) > 2000 {
		f["note"] = "ghi chú tối đa 2000 ký tự"
	}
	if len(f) > 0 {
		return antq.Invalid("Kết quả bình xét không hợp lệ", f)
	}
	return nil
}
