package demo

import (
	"context"
	"fmt"

	"antq"
	"antq/store"
)

// ExemplarResult counts what LoadExemplars wrote.
type ExemplarResult struct {
	People, Published, InReview int
}

// demoPerson is a participant of the demo: in the first residential area
// of the n-th commune of YearEndDistrict.
type demoPerson struct {
	commune      int
	name         string
	birth        int
	gender       antq.Gender
	role         antq.PersonRole
	position     string
	serviceYears int
}

var demoPeople = []demoPerson{
	{0, "Nguyễn Văn Hùng", 1962, antq.GenderMale, "bao_ve_dan_pho", "Tổ trưởng tổ bảo vệ dân phố", 18},
	{0, "Trần Thị Mai", 1971, antq.GenderFemale, "truong_khu_dan_cu", "Trưởng khu phố", 11},
	{1, "Lê Văn Phúc", 1958, antq.GenderMale, "cong_an_xa_ban_chuyen_trach", "Công an viên", 16},
	{1, "Điểu Thị Hạnh", 1980, antq.GenderFemale, "bao_ve_dan_pho", "Tổ viên", 9},
	{2, "Phạm Minh Tuấn", 2006, antq.GenderMale, "hoc_sinh", "", 0},
	{2, "Võ Thị Thu", 1975, antq.GenderFemale, "cong_dan", "", 0},
}

// demoCase is an exemplary case about a demo person (or, person < 0, the
// commune as a collective); publish: reviewed and published with the
// consent given, else left reported for the commune to review.
type demoCase struct {
	person  int
	commune int
	title   string
	deed    string
	on      string
	story   string
	consent antq.Consent
	publish bool
}

var demoCases = []demoCase{
	{0, 0, "Tổ trưởng bảo vệ dân phố cùng dân bắt quả tang trộm xe máy", "Phát hiện, hô hoán và cùng người dân bắt giữ hai đối tượng trộm xe máy, giao Công an phường", "2023-06-12",
		"Khoảng 23 giờ ngày 12/6/2023, trong lúc đi tuần cùng tổ bảo vệ dân phố, ông Nguyễn Văn Hùng phát hiện hai đối tượng đang bẻ khóa xe máy trước một nhà dân. Ông hô hoán bà con, cùng tổ viên khống chế cả hai, giữ nguyên hiện trường và báo Công an phường đến lập biên bản. Chiếc xe được trả lại cho chủ.",
		antq.Consent{On: antq.MustDate("2023-07-01"), By: "Nguyễn Văn Hùng", Document: "Phiếu đồng ý công bố ngày 01/07/2023", Name: true, BirthYear: true}, true},
	{1, 0, "Trưởng khu phố hòa giải thành mâu thuẫn đất đai kéo dài", "Hòa giải thành một vụ tranh chấp ranh giới đất giữa hai gia đình kéo dài ba năm", "2023-04-20",
		"Tranh chấp ranh giới đất giữa hai hộ trong khu phố kéo dài từ năm 2020, nhiều lần suýt xô xát. Bà Trần Thị Mai cùng tổ hòa giải gặp từng gia đình, mời cán bộ địa chính đo lại ranh giới và tổ chức ba buổi hòa giải. Ngày 20/4/2023 hai gia đình ký biên bản hòa giải thành.",
		antq.Consent{On: antq.MustDate("2023-05-02"), By: "Trần Thị Mai", Document: "Phiếu đồng ý công bố ngày 02/05/2023"}, true},
	{4, 2, "Học sinh nhặt được ví trả người đánh rơi", "Nhặt được ví có tiền và giấy tờ, mang đến Công an xã trả lại người đánh rơi", "2023-09-15",
		"Trên đường đi học về, em Phạm Minh Tuấn nhặt được một chiếc ví có 5 triệu đồng và giấy tờ tùy thân. Em mang ngay đến Công an xã; Công an xã liên hệ và trả lại cho người đánh rơi là một tiểu thương ở chợ.",
		antq.Consent{On: antq.MustDate("2023-09-20"), By: "Phạm Văn Bình (cha của em Tuấn)", Document: "Phiếu đồng ý của cha mẹ ngày 20/09/2023", Name: true}, true},
	{2, 1, "Công an viên mười sáu năm giữ bình yên ấp", "Mười sáu năm làm công an viên, nhiều lần tham gia bắt giữ đối tượng truy nã", "2023-10-01",
		"Ông Lê Văn Phúc làm công an viên từ năm 2007. Ông nắm chắc từng hộ trong ấp, nhiều lần cung cấp tin giúp Công an xã bắt giữ đối tượng truy nã và giải quyết các vụ gây rối.",
		antq.Consent{}, false},
	{-1, 1, "Xã điển hình trong phong trào năm 2023", "Không để xảy ra vụ việc phức tạp về an ninh, trật tự trong năm 2023", "2023-11-30",
		"Cả năm 2023, xã không để xảy ra vụ việc phức tạp về an ninh, trật tự; các tổ tự quản hoạt động đều, số vụ trộm cắp giảm một phần ba so với năm trước.",
		antq.Consent{}, false},
}

// LoadExemplars records the demo's people (in the communes of
// YearEndDistrict) and exemplary cases: three published with the consent
// recorded (one of them naming the person by initials only), two waiting
// for review. It does nothing when cases exist already.
func LoadExemplars(ctx context.Context, db *store.DB) (ExemplarResult, bool, error) {
	var res ExemplarResult
	if have, err := db.Exemplars(ctx, store.ExemplarFilter{Limit: 1}); err != nil || len(have) > 0 {
		return res, false, err
	}
	units, err := db.PlanTreeUnits(ctx, PlanID)
	if err != nil {
		return res, false, err
	}
	var communes []string
	area := map[string]string{}
	for _, u := range units {
		if u.Kind == antq.KindCommune && u.ParentCode == YearEndDistrict {
			communes = append(communes, u.Code)
		}
	}
	for _, u := range units {
		if u.Kind == antq.KindResidentialArea && area[u.ParentCode] == "" {
			area[u.ParentCode] = u.Code
		}
	}
	if len(communes) < 3 {
		return res, false, fmt.Errorf("demo exemplars: %d communes under %s, want 3", len(communes), YearEndDistrict)
	}
	ids := make([]int64, len(demoPeople))
	for i, p := range demoPeople {
		code := area[communes[p.commune]]
		if code == "" {
			code = communes[p.commune]
		}
		in := antq.PersonInput{UnitCode: code, FullName: p.name, BirthYear: p.birth, Gender: p.gender, Role: p.role, Position: p.position, ServiceYears: p.serviceYears}
		if p.serviceYears > 0 {
			in.ServiceAsOf = antq.MustDate("2023-12-31")
		}
		person, err := db.CreatePerson(ctx, in)
		if err != nil {
			return res, false, fmt.Errorf("demo person %s: %w", p.name, err)
		}
		ids[i] = person.ID
		res.People++
	}
	for _, c := range demoCases {
		in := antq.ExemplarInput{Subject: antq.SubjectCollective, UnitCode: communes[c.commune], Title: c.title, Deed: c.deed,
			OccurredOn: antq.MustDate(c.on), Place: "Bình Phước", Story: c.story, Source: "Công an xã, phường báo cáo"}
		if c.person >= 0 {
			p := demoPeople[c.person]
			in.Subject, in.PersonID, in.UnitCode = antq.SubjectPerson, ids[c.person], area[communes[p.commune]]
			if in.UnitCode == "" {
				in.UnitCode = communes[p.commune]
			}
		}
		e, err := db.CreateExemplar(ctx, in)
		if err != nil {
			return res, false, fmt.Errorf("demo case %q: %w", c.title, err)
		}
		if !c.publish {
			res.InReview++
			continue
		}
		consent := c.consent
		for _, s := range []struct {
			a antq.ExemplarAction
			s antq.ExemplarStep
		}{
			{antq.ExemplarReview, antq.ExemplarStep{Note: "Đã xác minh với Công an xã, phường và người dân"}},
			{antq.ExemplarConsent, antq.ExemplarStep{Consent: &consent}},
			{antq.ExemplarPublish, antq.ExemplarStep{}},
		} {
			if _, err := db.StepExemplar(ctx, e.ID, s.a, s.s); err != nil {
				return res, false, fmt.Errorf("demo case %q: %w", c.title, err)
			}
		}
		res.Published++
	}
	return res, true, nil
}
