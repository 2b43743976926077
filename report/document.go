package report

import (
	"fmt"
	"strconv"
	"strings"

	"antq"
	"antq/indicator"
	"antq/rules"
)

// Document is a composed report, ready to render: every text a reader sees,
// in Vietnamese, in the order of the document.
type Document struct {
	Kind Kind
	Plan *rules.Plan
	Unit *antq.Unit
	AsOf antq.Date

	// The frame of Nghị định 30/2020/NĐ-CP, Phụ lục I.
	IssuerLines []string // the issuing body, upper case, one or two lines
	Number      string   // "Số: 15/BC-UBND"
	PlaceDate   string   // "Bình Phước, ngày 20 tháng 12 năm 2023"
	Title       string   // "BÁO CÁO"
	Subtitle    string   // "Tổng kết phong trào … năm 2023"
	Intro       string
	Sections    []Section
	Recipients  []string
	SignerFor   string   // "TM. ỦY BAN NHÂN DÂN"
	SignerRole  string   // "CHỦ TỊCH"; "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" for a deputy
	SignerLines []string // SignerRole split at " / ", one line each
	SignerName  string
}

// Section is one heading of the report with its narrative (the unit's
// text; the plan's words quoted first where the section is a content), its
// figures and its lists.
type Section struct {
	Key       string // the narrative's key (Draft.Sections)
	Heading   string
	PlanText  string // the plan's own words for a content
	Narrative string
	Figures   []Figure
	Tables    []Table
}

// Figure is a target's figure as the report states it.
type Figure struct {
	ID       rules.Indicator
	Title    string
	Num, Den int64
	Value    string // "69,1 %"
	Target   string // "70 %"
	Result   string // "Đạt" / "Chưa đạt" / "Chưa có đơn vị thuộc diện tính"
	Failing  Failing
}

// Table is a list in the report: a caption, a header and rows of text.
type Table struct {
	Caption string
	Header  []string
	Rows    [][]string
	Note    string
}

// Percent writes num/den as every page does (antq.FormatPercent).
func Percent(num, den int64) string { return antq.FormatPercent(num, den) }

func ratioPercent(r rules.Ratio) string { return r.Stated() }

// Number writes n with dots between thousands (antq.FormatNumber).
func Number(n int64) string { return antq.FormatNumber(n) }

// longDate is "ngày 02 tháng 02 năm 2023", or blanks to fill by hand.
func longDate(d antq.Date, year int) string {
	if d.IsZero() {
		return fmt.Sprintf("ngày      tháng      năm %d", year)
	}
	return fmt.Sprintf("ngày %02d tháng %02d năm %d", d.Time().Day(), int(d.Month()), d.Year())
}

// placeName is the unit's name without its type ("Tỉnh Bình Phước" →
// "Bình Phước"), the usual place name of a document.
func placeName(u *antq.Unit) string {
	if u.Type != "" {
		if rest, ok := strings.CutPrefix(u.Name, u.Type+" "); ok {
			return rest
		}
	}
	return u.Name
}

// issuer is the issuing body: a locality's People's Committee, else the
// organisation itself.
func issuer(u *antq.Unit) (lines []string, signerFor, abbrev string) {
	if u.Kind == antq.KindProvince || u.Kind == antq.KindDistrict || u.Kind == antq.KindCommune {
		return []string{"ỦY BAN NHÂN DÂN", strings.ToUpper(u.Name)}, "TM. ỦY BAN NHÂN DÂN", "UBND"
	}
	return []string{strings.ToUpper(u.Name)}, "", ""
}

// DefaultRecipients are the "Nơi nhận" of a report the unit has not edited.
func DefaultRecipients(u *antq.Unit) string {
	return "- Cơ quan cấp trên (để báo cáo);\n- Ban Chỉ đạo phòng, chống tội phạm, tệ nạn xã hội và xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc cùng cấp;\n- Công an cùng cấp;\n- Các đơn vị trực thuộc;\n- Lưu: VT."
}

// Build composes the report.
func Build(in Input) *Document {
	p, u := in.Plan, in.Unit
	d := &Document{Kind: in.Kind, Plan: p, Unit: u, AsOf: in.AsOf, Title: "BÁO CÁO"}
	var abbrev string
	d.IssuerLines, d.SignerFor, abbrev = issuer(u)
	number := strings.TrimSpace(in.Draft.Number)
	if number == "" {
		number = "      /BC"
		if abbrev != "" {
			number += "-" + abbrev
		}
	}
	d.Number = "Số: " + number
	place := strings.TrimSpace(in.Draft.Place)
	if place == "" {
		place = in.DefaultPlace
	}
	if place == "" {
		place = placeName(u)
	}
	d.PlaceDate = place + ", " + longDate(in.Draft.SignedOn, max(p.Year, in.AsOf.Year()))
	movement := "phong trào thi đua “Toàn dân bảo vệ an ninh Tổ quốc”"
	if in.Kind == Interim {
		d.Subtitle = fmt.Sprintf("Sơ kết %s năm %d (số liệu đến ngày %s)", movement, p.Year, in.AsOf.VN())
	} else {
		d.Subtitle = fmt.Sprintf("Tổng kết %s năm %d", movement, p.Year)
	}
	text := func(key string) string { return strings.TrimSpace(in.Draft.Sections[key]) }
	d.Intro = text(SectionIntro)
	if d.Intro == "" {
		d.Intro = fmt.Sprintf("Thực hiện %s số %s %s của %s về việc %s, %s báo cáo %s kết quả thực hiện như sau:",
			documentType(p), p.Document.Number, longDate(p.Document.Date, p.Year), p.Document.Issuer, strings.ToLower(firstRune(p.Title))+restRunes(p.Title),
			u.Name, strings.ToLower(in.Kind.Label()))
	}
	figures := map[rules.Indicator]indicator.Figure{}
	for _, f := range in.Figures {
		figures[f.ID] = f
	}
	figureOf := func(id rules.Indicator) (Figure, bool) {
		f, ok := figures[id]
		if !ok {
			return Figure{}, false
		}
		out := Figure{ID: id, Title: f.Title, Num: f.Num, Den: f.Den, Value: Percent(f.Num, f.Den), Failing: in.Failing[id]}
		if t, ok := p.Target(id); ok {
			out.Target = ratioPercent(t.Share)
		}
		switch {
		case f.Met == nil:
			out.Result = "Chưa có đơn vị thuộc diện tính"
		case *f.Met:
			out.Result = "Đạt"
		default:
			out.Result = "Chưa đạt"
		}
		return out, true
	}
	roman := []string{"I", "II", "III", "IV", "V", "VI", "VII"}
	d.Sections = append(d.Sections, Section{Heading: "I. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG THI ĐUA"})
	listed := map[rules.Indicator]bool{}
	for _, c := range p.Contents {
		s := Section{Key: ContentKey(c.Number), Heading: fmt.Sprintf("%d. %s", c.Number, c.Title), PlanText: c.Text, Narrative: text(ContentKey(c.Number))}
		for _, id := range c.Indicators {
			if f, ok := figureOf(id); ok {
				s.Figures = append(s.Figures, f)
				listed[id] = true
			}
		}
		if c.Models {
			s.Tables = append(s.Tables, modelTable(in.Models))
		}
		d.Sections = append(d.Sections, s)
	}
	// Targets no content names (a plan without contents: all of them).
	var rest []Figure
	for _, f := range in.Figures {
		if !listed[f.ID] {
			if fig, ok := figureOf(f.ID); ok {
				rest = append(rest, fig)
			}
		}
	}
	if len(rest) > 0 {
		d.Sections = append(d.Sections, Section{Heading: fmt.Sprintf("%d. Các chỉ tiêu khác của kế hoạch", len(p.Contents)+1), Figures: rest})
	}
	d.Sections = append(d.Sections,
		Section{Key: SectionResults, Heading: roman[1] + ". KẾT QUẢ CÔNG NHẬN VÀ XẾP LOẠI CUỐI NĂM", Narrative: text(SectionResults), Tables: resultTables(in)},
		Section{Key: SectionModels, Heading: roman[2] + ". MÔ HÌNH, ĐIỂN HÌNH TIÊN TIẾN, GƯƠNG NGƯỜI TỐT VIỆC TỐT", Narrative: text(SectionModels), Tables: []Table{effectiveModels(in.Models)}},
		Section{Key: SectionAwards, Heading: roman[3] + ". ĐỀ NGHỊ KHEN THƯỞNG", Narrative: text(SectionAwards), Tables: []Table{awardTable(in)}},
		Section{Key: SectionAssessment, Heading: roman[4] + ". ĐÁNH GIÁ CHUNG (ưu điểm, tồn tại, hạn chế và nguyên nhân)", Narrative: text(SectionAssessment)},
		Section{Key: SectionDirections, Heading: roman[5] + ". PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", Narrative: text(SectionDirections)},
	)
	recipients := in.Draft.Recipients
	if strings.TrimSpace(recipients) == "" {
		recipients = DefaultRecipients(u)
	}
	for _, l := range strings.Split(recipients, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.Recipients = append(d.Recipients, l)
		}
	}
	d.SignerRole = strings.TrimSpace(in.Draft.SignerRole)
	if d.SignerRole == "" {
		d.SignerRole = "CHỦ TỊCH"
		if d.SignerFor == "" {
			d.SignerRole = "THỦ TRƯỞNG ĐƠN VỊ"
		}
	}
	for _, l := range strings.Split(d.SignerRole, "/") {
		if l = strings.TrimSpace(l); l != "" {
			d.SignerLines = append(d.SignerLines, l)
		}
	}
	d.SignerName = strings.TrimSpace(in.Draft.SignerName)
	return d
}

func documentType(p *rules.Plan) string {
	if p.Document.Type != "" {
		return p.Document.Type
	}
	return "Kế hoạch"
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

func restRunes(s string) string {
	for i := range s {
		if i > 0 {
			return s[i:]
		}
	}
	return ""
}

func modelTable(models []Model) Table {
	t := Table{Caption: "Mô hình tự quản về an ninh, trật tự", Header: []string{"STT", "Đơn vị", "Mô hình", "Tình trạng", "Thành viên", "Hiệu quả"}}
	var n, effective int
	for _, m := range models {
		n++
		eff := "Chưa đánh giá hoặc chưa hiệu quả"
		if m.Effective {
			effective++
			eff = "Hoạt động hiệu quả"
		}
		members := ""
		if m.Members != nil {
			members = Number(*m.Members)
		}
		if len(t.Rows) < 50 {
			t.Rows = append(t.Rows, []string{strconv.Itoa(n), m.Unit, m.Name, m.Status.Label(), members, eff})
		}
	}
	t.Note = fmt.Sprintf("Tổng số %s mô hình, trong đó %s mô hình được đánh giá hoạt động hiệu quả.", Number(int64(n)), Number(int64(effective)))
	if n > len(t.Rows) {
		t.Note += fmt.Sprintf(" Bảng liệt kê %d mô hình đầu tiên.", len(t.Rows))
	}
	return t
}

func effectiveModels(models []Model) Table {
	t := Table{Caption: "Mô hình hoạt động hiệu quả (được đánh giá)", Header: []string{"STT", "Đơn vị", "Mô hình", "Tình trạng"}}
	for _, m := range models {
		if m.Effective && len(t.Rows) < 50 {
			t.Rows = append(t.Rows, []string{strconv.Itoa(len(t.Rows) + 1), m.Unit, m.Name, m.Status.Label()})
		}
	}
	if len(t.Rows) == 0 {
		t.Note = "Chưa có mô hình nào được đánh giá hoạt động hiệu quả."
	}
	return t
}

// resultTables counts the year-end results by unit kind.
func resultTables(in Input) []Table {
	type counts struct{ units, registered, recognised, notRecognised, exc, good, avg, weak, ungraded int64 }
	by := map[antq.UnitKind]*counts{}
	for _, r := range in.Results {
		c := by[r.Unit.Kind]
		if c == nil {
			c = &counts{}
			by[r.Unit.Kind] = c
		}
		c.units++
		if r.Registered != nil && !r.Registered.After(in.AsOf) {
			c.registered++
		}
		recognisedBy := r.RecognitionOn.IsZero() || !r.RecognitionOn.After(in.AsOf)
		switch {
		case r.Recognition == antq.RecognitionMet && recognisedBy:
			c.recognised++
		case r.Recognition == antq.RecognitionNotMet && recognisedBy:
			c.notRecognised++
		}
		switch r.Grade {
		case antq.GradeExcellent:
			c.exc++
		case antq.GradeGood:
			c.good++
		case antq.GradeAverage:
			c.avg++
		case antq.GradeWeak:
			c.weak++
		default:
			c.ungraded++
		}
	}
	rec := Table{Caption: "Đăng ký và công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
		Header: []string{"Loại đơn vị", "Số đơn vị", "Đã đăng ký", "Được công nhận", "Không được công nhận"}}
	grd := Table{Caption: "Xếp loại phong trào “Toàn dân bảo vệ an ninh Tổ quốc”",
		Header: []string{"Loại đơn vị", "Xuất sắc", "Khá", "Trung bình", "Yếu", "Chưa xếp loại"}}
	for _, k := range antq.UnitKinds {
		c := by[k]
		if c == nil || !k.Valid() || k == antq.KindNation || k == antq.KindProvince || k == antq.KindDistrict {
			continue
		}
		rec.Rows = append(rec.Rows, []string{k.Label(), Number(c.units), Number(c.registered), Number(c.recognised), Number(c.notRecognised)})
		grd.Rows = append(grd.Rows, []string{k.Label(), Number(c.exc), Number(c.good), Number(c.avg), Number(c.weak), Number(c.ungraded)})
	}
	if in.Kind == Interim {
		grd.Note = "Xếp loại là kết quả cuối năm; trong báo cáo sơ kết chỉ tính các kết quả đã có."
	}
	return []Table{rec, grd}
}

func awardTable(in Input) Table {
	props := in.Proposals
	if props == nil {
		props = ProposeFromGrades(in.Results)
	}
	t := Table{Caption: "Tập thể, cá nhân đề nghị khen thưởng", Header: []string{"STT", "Tập thể, cá nhân", "Thành tích", "Hình thức đề nghị"}}
	for i, p := range props {
		form := p.Form
		if form == "" {
			form = "Hội đồng Thi đua – Khen thưởng xem xét"
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), p.Name, p.Reason, form})
	}
	if len(t.Rows) == 0 {
		t.Note = "Chưa có tập thể, cá nhân nào được đề nghị."
	}
	return t
}
