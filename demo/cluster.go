package demo

import (
	"context"
	"fmt"

	"antq"
	"antq/cluster"
	"antq/store"
)

// The demo's emulation clusters and blocks of 2023 (issue 14): the 11
// districts in two cụm, and Khối thi đua số 6 of provincial departments with
// the nine members the domain reference names for 2022 (§4.5, [V][S56]:
// Sở KH&CN, Sở TT&TT, Sở LĐ-TB&XH, Sở Y tế, Sở VH-TT&DL, Đài PT-TH và Báo
// Bình Phước, Sở GD&ĐT, Ban Dân tộc, Trường CĐ Bình Phước). How the
// districts were grouped and who headed each group in 2023 is not known:
// the demo's split (by area: the south around Đồng Xoài, the north around
// Phước Long) and heads are illustrative, and say so in the head's reason.
// Scoring is under way: members have self-scored, the heads have reviewed
// some of it; nothing is closed.

// CollegeCode is the demo's Trường Cao đẳng Bình Phước, the ninth member of
// Khối số 6, which the generated units lack.
const CollegeCode = "70-CD001"

// DemoClusters are the codes of the demo's clusters of 2023.
var DemoClusters = []string{"cum-1", "cum-2", "khoi-6"}

// khoi6 are the names (in the demo's units) of Khối số 6's members; the
// Đài PT-TH stands for "Đài PT-TH và Báo Bình Phước", one member in the
// source.
var khoi6 = []string{"Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
	"Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Đài Phát thanh và Truyền hình tỉnh", "Sở Giáo dục và Đào tạo", "Ban Dân tộc tỉnh"}

// LoadClusters creates the demo's clusters (idempotent: nothing when the
// clusters of 2023 exist) and adds the college unit when it is missing
// (rebuild the plan afterwards so that its tree holds it). ctx acts as the
// command line.
func LoadClusters(ctx context.Context, db *store.DB) (bool, error) {
	if list, err := db.Clusters(ctx, 2023); err != nil || len(list) > 0 {
		return false, err
	}
	if _, err := db.FindUnitByCode(ctx, CollegeCode, antq.Date{}); antq.ErrorCode(err) == antq.ENOTFOUND {
		staff, pupils := int64(180), int64(2400)
		if _, err := db.ImportUnits(ctx, "demo/cluster", []antq.UnitRecord{{Row: 2, Unit: antq.Unit{Code: CollegeCode, Kind: antq.KindSchool,
			Name: "Trường Cao đẳng Bình Phước", Type: "Cao đẳng", ParentCode: RootCode, ValidFrom: BinhPhuocFrom, ValidTo: BinhPhuocTo,
			Size: antq.UnitSize{AsOf: BinhPhuocFrom, Staff: &staff, Pupils: &pupils}}}}); err != nil {
			return false, err
		}
	} else if err != nil {
		return false, err
	}
	province := RootCode
	agencies, _, err := db.FindUnits(ctx, antq.UnitFilter{ParentCode: &province, AsOf: antq.NewDate(2023, 12, 31), Limit: 1000})
	if err != nil {
		return false, err
	}
	byName := map[string]string{}
	for _, u := range agencies {
		byName[u.Name] = u.Code
	}
	var khoi []string
	for _, n := range khoi6 {
		code, ok := byName[n]
		if !ok {
			return false, fmt.Errorf("demo clusters: no unit %q under the province", n)
		}
		khoi = append(khoi, code)
	}
	khoi = append(khoi, CollegeCode)
	year := 2023
	groups := []struct {
		code, name string
		kind       cluster.Kind
		sheet      string
		members    []string
		reason     string
		pact       cluster.Pact
	}{
		{"cum-1", "Cụm thi đua số 1 (các huyện, thị xã, thành phố phía Nam)", cluster.KindCum, "binh-phuoc-cum-2023",
			[]string{"689", "695", "697", "694", "690", "692"}, "Cụm trưởng năm 2023 (dữ liệu minh họa: phân công thực tế chưa xác minh)",
			cluster.Pact{Number: "01/GƯTĐ-C1", SignedOn: antq.NewDate(2023, 3, 15), Evidence: "Biên bản ký giao ước thi đua (dữ liệu minh họa)"}},
		{"cum-2", "Cụm thi đua số 2 (các huyện, thị xã phía Bắc)", cluster.KindCum, "binh-phuoc-cum-2023",
			[]string{"688", "691", "693", "696", "698"}, "Cụm trưởng năm 2023 (dữ liệu minh họa: phân công thực tế chưa xác minh)",
			cluster.Pact{Number: "01/GƯTĐ-C2", SignedOn: antq.NewDate(2023, 3, 16)}},
		{"khoi-6", "Khối thi đua số 6", cluster.KindKhoi, "binh-phuoc-khoi-2023", khoi,
			"Khối trưởng năm 2022 theo nguồn (REFERENCE §4.5); khối trưởng năm 2023 chưa xác minh",
			cluster.Pact{Number: "01/GƯTĐ-K6", SignedOn: antq.NewDate(2023, 3, 10)}},
	}
	for gi, g := range groups {
		in := cluster.Input{Code: &g.code, Name: &g.name, Year: &year, Kind: &g.kind, Organiser: &province, Sheet: &g.sheet,
			Head: &g.members[0], HeadReason: &g.reason, Pact: &g.pact}
		for _, m := range g.members {
			in.Members = append(in.Members, cluster.MemberInput{Code: m})
		}
		c, err := db.CreateCluster(ctx, in)
		if err != nil {
			return false, fmt.Errorf("demo cluster %s: %w", g.code, err)
		}
		// Scoring under way: every member but the last has self-scored the
		// scored criteria; the head has reviewed the first two members.
		for i, m := range g.members[:len(g.members)-1] {
			scores := memberScores([]string{"cd.ke-hoach", "cd.bao-cao", "cd.xay-dung-luc-luong", "cd.dien-hinh", "gu.noi-dung", "gu.tham-gia"},
				gi*7+i*5, i, i < 2, "Báo cáo tổng kết năm 2023")
			if i == 0 {
				bonus := antq.Tenths(20)
				scores = append(scores, cluster.ScoreInput{Criterion: "thuong", Self: &bonus, SelfNote: strPtr("Mô hình “Camera an ninh” được Bộ Công an biểu dương")})
			}
			if _, err := db.UpdateScores(ctx, c.ID, m, scores); err != nil {
				return false, fmt.Errorf("demo cluster %s, %s: %w", g.code, m, err)
			}
		}
	}
	return true, nil
}

func strPtr(s string) *string { return &s }

// memberScores are the i-th member's self-scores of the criteria, 7.0 to
// 10.0 as seed gives them, with the head's review when reviewed (0 to 1.0
// below the self-score).
func memberScores(criteria []string, seed, i int, reviewed bool, evidence string) []cluster.ScoreInput {
	var scores []cluster.ScoreInput
	for j, crit := range criteria {
		self := antq.Tenths(70 + (seed+j*3)%31)
		sc := cluster.ScoreInput{Criterion: crit, Self: &self, SelfEvidence: strPtr(evidence)}
		if reviewed {
			r := self - antq.Tenths((i+j)%3*5)
			sc.Reviewed = &r
		}
		scores = append(scores, sc)
	}
	return scores
}
