package demo

import (
	"context"
	_ "embed"
	"fmt"

	"antq"
	"antq/cluster"
	"antq/store"
)

// Today's cụm of communes (issue 14, item 7): after the 2025 reform the
// district clusters gave way to clusters of communes (REFERENCE §7.3,
// unverified), organised by the city. The demo's Cụm thi đua số 1 of 2026
// groups nine communes around Đồng Xoài, the former Bình Phước's centre,
// headed by Phường Đồng Xoài, scored on the sheet TodaySheetID (demo data,
// every value unverified) whose computed criteria read the official
// figures of the plan TodayPlanID. Which communes the city grouped and who
// heads them is not known: the grouping and the head are illustrative, and
// say so. Scoring is under way, nothing is closed.

const (
	// TodaySheetID is the scoring sheet of the 2026 cụm of communes.
	TodaySheetID = "dong-nai-cum-xa-2026"
	// TodayClusterCode is the code of the 2026 cụm of communes.
	TodayClusterCode = "cum-xa-1"

	todaySheetFile = "demo/data/sheets/dong-nai-cum-xa-2026.json"
)

//go:embed data/sheets/dong-nai-cum-xa-2026.json
var todaySheetJSON []byte

// TodayClusterMembers are the codes of the 2026 cụm's communes, the head
// (Phường Đồng Xoài) first.
// Xã Đồng Phú (TodayClusterRenamed) joined on 01/01/2026 and became Phường
// Đồng Phú on 30/04/2026: the cluster shows it as it joined and ranks it on
// the figures of the version that carries them on the plan's tree date.
var TodayClusterMembers = []string{TodayYearEndCommune, "25195", "25378", "25387", "25390", TodayClusterRenamed, "25432", "25441", "25450"}

// TodayClusterRenamed is the member of the 2026 cụm renamed mid-year.
const TodayClusterRenamed = "25363"

// LoadTodayCluster loads the sheet TodaySheetID and creates the 2026 cụm
// of communes, with self-scores of all members but the last and the head's
// review of the first three. It does nothing when a cluster of 2026
// exists; LoadToday must have run. ctx acts as the command line.
func LoadTodayCluster(ctx context.Context, db *store.DB) (bool, error) {
	if list, err := db.Clusters(ctx, 2026); err != nil || len(list) > 0 {
		return false, err
	}
	if _, err := db.LoadSheet(ctx, todaySheetFile, todaySheetJSON); err != nil {
		return false, fmt.Errorf("demo sheet 2026: %w", err)
	}
	code, name, year, kind, organiser, sheet := TodayClusterCode, "Cụm thi đua số 1 (các xã, phường khu vực Đồng Xoài – Chơn Thành)", 2026, cluster.KindCum, TodayCode, TodaySheetID
	reason := "Cụm trưởng năm 2026 (dữ liệu minh họa: phân cụm và cụm trưởng thực tế chưa xác minh)"
	in := cluster.Input{Code: &code, Name: &name, Year: &year, Kind: &kind, Organiser: &organiser, Sheet: &sheet,
		Head: &TodayClusterMembers[0], HeadReason: &reason,
		Pact: &cluster.Pact{Number: "01/GƯTĐ-CX1", SignedOn: antq.NewDate(2026, 3, 12), Evidence: "Biên bản ký giao ước thi đua (dữ liệu minh họa)"}}
	for _, m := range TodayClusterMembers {
		in.Members = append(in.Members, cluster.MemberInput{Code: m})
	}
	c, err := db.CreateCluster(ctx, in)
	if err != nil {
		return false, fmt.Errorf("demo cluster %s 2026: %w", code, err)
	}
	for i, m := range TodayClusterMembers[:len(TodayClusterMembers)-1] {
		scores := memberScores([]string{"cd.ke-hoach", "cd.bao-cao", "cd.luc-luong", "gu.noi-dung", "gu.tham-gia"},
			i*5, i, i < 3, "Báo cáo sơ kết 9 tháng năm 2026")
		if i == 1 {
			bonus := antq.Tenths(15)
			scores = append(scores, cluster.ScoreInput{Criterion: "thuong", Self: &bonus, SelfNote: strPtr("Mô hình “Tổ tự quản an ninh, trật tự” được UBND thành phố biểu dương")})
		}
		if _, err := db.UpdateScores(ctx, c.ID, m, scores); err != nil {
			return false, fmt.Errorf("demo cluster %s 2026, %s: %w", code, m, err)
		}
	}
	return true, nil
}
