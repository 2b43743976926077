package rules

import (
	"fmt"
	"slices"
	"strings"

	"antq"
)

// The assessment of a collective of the grass-roots forces (Công an xã,
// Tổ bảo vệ an ninh, trật tự, ban bảo vệ dân phố): the four levels and the
// window of Hướng dẫn 01/HD-BCA-V05 (REFERENCE §6.3). The guide is written
// for the Tổ bảo vệ an ninh, trật tự (from 01/07/2024); REFERENCE names no
// text for how Công an xã and the former ban bảo vệ dân phố are assessed as
// collectives of the movement, so for them the same levels and window are
// used and marked unverified.

// CollectiveWindow is the evaluation window of a kind of collective, with
// its source.
type CollectiveWindow struct {
	UnitKinds []antq.UnitKind
	Start     RelDate
	End       RelDate
	Citation
}

// CollectiveWindows are the windows of the collectives' assessment.
var CollectiveWindows = []CollectiveWindow{
	{UnitKinds: []antq.UnitKind{antq.KindSecurityTeam},
		Start: RelDate{YearOffset: -1, Month: 11, Day: 15}, End: RelDate{Month: 11, Day: 14},
		Citation: Citation{Ref: "Hướng dẫn 01/HD-BCA-V05 (đánh giá Tổ bảo vệ an ninh, trật tự)", Verified: true}},
	{UnitKinds: []antq.UnitKind{antq.KindCommunePolice, antq.KindStreetProtectionBoard},
		Start: RelDate{YearOffset: -1, Month: 11, Day: 15}, End: RelDate{Month: 11, Day: 14},
		Citation: Citation{Ref: "Theo Hướng dẫn 01/HD-BCA-V05", Verified: false,
			Note: "Hướng dẫn 01 áp dụng cho Tổ bảo vệ an ninh, trật tự; chưa xác minh văn bản về kỳ đánh giá và các mức của tập thể này."}},
}

// CollectiveMinMonths: a team operating less than nine months in the window
// is not assessed (HD 01/HD-BCA-V05, REFERENCE §6.3 [V]); it is applied to
// the Tổ bảo vệ an ninh, trật tự only, the guide's own subject.
const CollectiveMinMonths = 9

// CollectiveWindowOf returns the window of a collective of kind for year;
// ok is false for a kind that is not a collective.
func CollectiveWindowOf(kind antq.UnitKind, year int) (Period, Citation, bool) {
	for _, w := range CollectiveWindows {
		if slices.Contains(w.UnitKinds, kind) {
			return Period{From: w.Start.On(year), To: w.End.On(year)}, w.Citation, true
		}
	}
	return Period{}, Citation{}, false
}

// CheckCollectiveAssessment: only a collective of the grass-roots forces is
// assessed this way, at one of the four levels, by someone named, on a
// stated basis, on a day from the window's start to a year after its end
// and not in the future; a team that operated less than nine months of the
// window is not assessed. A decision, when given, is not dated before the
// assessment. It trims the texts it checks.
func (r *FactRules) CheckCollectiveAssessment(in *antq.CollectiveAssessment) error {
	f := antq.FieldErrors{}
	r.competes(f)
	u := r.Unit
	year := r.Window.To.Year()
	if r.Plan != nil {
		year = r.Plan.Year
	}
	w, _, ok := CollectiveWindowOf(u.Kind, year)
	if !ok {
		f.Add("unit", fmt.Sprintf("%s (%s) không phải tập thể Công an xã, Tổ bảo vệ an ninh, trật tự hay ban bảo vệ dân phố; không đánh giá theo mức hoàn thành nhiệm vụ", u.Name, u.Kind.Label()))
	} else if u.Kind == antq.KindSecurityTeam {
		from := w.From
		if u.ValidFrom.After(from) {
			from = u.ValidFrom
		}
		if antq.DateOf(from.Time().AddDate(0, CollectiveMinMonths, 0)).After(w.To.AddDays(1)) {
			f.Add("unit", fmt.Sprintf("Tổ hoạt động từ %s, chưa đủ %d tháng trong kỳ đánh giá %s – %s nên chưa đánh giá, xếp loại (Hướng dẫn 01/HD-BCA-V05)",
				from.VN(), CollectiveMinMonths, w.From.VN(), w.To.VN()))
		}
	}
	if !in.Level.Valid() {
		f.Add("level", fmt.Sprintf("mức %q không hợp lệ (xuat_sac, tot, hoan_thanh, khong_hoan_thanh)", in.Level))
	}
	if in.AssessedOn.IsZero() {
		f.Add("assessed_on", "cần ngày đánh giá")
	} else {
		if ok && (in.AssessedOn.Before(w.From) || in.AssessedOn.After(w.To.AddDays(366))) {
			f.Add("assessed_on", fmt.Sprintf("ngày đánh giá %s nằm ngoài khoảng %s – %s của kỳ đánh giá", in.AssessedOn.VN(), w.From.VN(), w.To.AddDays(366).VN()))
		}
		r.CheckNotFuture(f, "assessed_on", in.AssessedOn)
	}
	in.AssessedBy, in.Basis = strings.TrimSpace(in.AssessedBy), strings.TrimSpace(in.Basis)
	checkRequiredText(f, "assessed_by", in.AssessedBy, "cần người / cơ quan đánh giá", 200)
	checkRequiredText(f, "basis", in.Basis, "cần căn cứ đánh giá (biên bản họp, báo cáo kết quả thực hiện nhiệm vụ …)", 1000)
	r.CheckDocument(f, "decision", in.Decision)
	if d := in.Decision; d != nil && !d.Date.IsZero() && !in.AssessedOn.IsZero() && d.Date.Before(in.AssessedOn) {
		f.Add("decision.date", "quyết định ban hành trước ngày đánh giá ("+in.AssessedOn.VN()+")")
	}
	return f.Err("Đánh giá tập thể không hợp lệ")
}
