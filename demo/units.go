// Package demo builds the demonstration and benchmark data: the real
// administrative units of data/vn-admin (embedded, see data/README.md for
// sources and licences) plus generated residential areas and organisations.
// Everything generated is deterministic: the same call gives the same
// records on every run and every machine.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"math/rand/v2"
	"strings"

	"antq"
	"antq/store"
	"antq/unitfile"
)

//go:embed data/units-2024-binh-phuoc.csv data/units-2025.csv data/units-2024.csv data/units-2026.csv data/commune-merge-2025.csv data/province-merge-2025.csv data/README.md
var dataFS embed.FS

const (
	// RootCode is the demo's province: Bình Phước before the 2025 reform.
	RootCode = "70"

	binhPhuocFile = "data/units-2024-binh-phuoc.csv"
	units2025File = "data/units-2025.csv"
)

var (
	// BinhPhuocFrom and BinhPhuocTo bound the demo's three-tier Bình
	// Phước: set up for plan year 2023, ended by the reform of 01/07/2025.
	BinhPhuocFrom = antq.NewDate(2023, 1, 1)
	BinhPhuocTo   = antq.NewDate(2025, 6, 30)
	// ReformDate is the first day of the two-tier structure (units-2025.csv).
	ReformDate = antq.NewDate(2025, 7, 1)
)

// readEmbedded reads one of the embedded unit files.
func readEmbedded(name string, opts unitfile.Options) ([]antq.UnitRecord, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return unitfile.Read(name, bytes.NewReader(b), opts)
}

// Units2025 returns the 34 provinces and 3,321 communes in force from
// 01/07/2025 (no generated units), valid from ReformDate, open-ended.
func Units2025() ([]antq.UnitRecord, error) {
	return readEmbedded(units2025File, unitfile.Options{ValidFrom: ReformDate})
}

// LoadUnits imports BinhPhuocUnits unless province 70 is already there; it
// reports whether it loaded them. ctx must carry a root user (the command
// line's antq.SystemContext).
func LoadUnits(ctx context.Context, db *store.DB) (loaded bool, err error) {
	return loadBinhPhuoc(ctx, db, nil)
}

// loadBinhPhuoc imports BinhPhuocUnits, changed by adjust when it is not
// nil, unless province 70 is already there; it reports whether it loaded
// them.
func loadBinhPhuoc(ctx context.Context, db *store.DB, adjust func([]antq.UnitRecord) []antq.UnitRecord) (bool, error) {
	if _, err := db.FindUnitByCode(ctx, RootCode, antq.Date{}); err == nil {
		return false, nil
	} else if antq.ErrorCode(err) != antq.ENOTFOUND {
		return false, err
	}
	recs, err := BinhPhuocUnits()
	if err != nil {
		return false, err
	}
	if adjust != nil {
		recs = adjust(recs)
	}
	if _, err := db.ImportUnits(ctx, "demo/binh-phuoc", recs); err != nil {
		return false, err
	}
	return true, nil
}

// BinhPhuocUnits returns the demo province: the real Bình Phước (code 70),
// its 11 districts and 111 communes, plus generated units, all valid from
// BinhPhuocFrom to BinhPhuocTo:
//
//   - 8 to 15 residential areas per commune ("Ấp 1"… in a xã, "Khu phố 1"…
//     in a phường or thị trấn; code = commune code + "-KDC" + two digits)
//     with 150 to 900 households each; a commune's households are the sum
//     of its areas and are stored on the commune too;
//   - organisations managed by the province (departments "Sở …",
//     enterprises, upper-secondary schools), by each district ("Phòng …",
//     enterprises, lower-secondary schools) and by each commune (primary
//     schools and kindergartens, which are not eligible; small enterprises;
//     health stations; a few armed-forces units), with staff and pupils.
//
// Codes look like 70-CQ001, 689-DN003, 25195-TH01.
func BinhPhuocUnits() ([]antq.UnitRecord, error) {
	base, err := readEmbedded(binhPhuocFile, unitfile.Options{ValidFrom: BinhPhuocFrom, ValidTo: BinhPhuocTo})
	if err != nil {
		return nil, err
	}
	g := &generator{
		rng:  rand.New(rand.NewPCG(2023, 70)),
		recs: make([]antq.UnitRecord, 0, 4000),
		row:  base[len(base)-1].Row,
	}
	g.recs = append(g.recs, base...)
	var province *antq.Unit
	var districts, communes []int
	for i := range g.recs {
		switch u := &g.recs[i].Unit; u.Kind {
		case antq.KindProvince:
			province = u
		case antq.KindDistrict:
			districts = append(districts, i)
		case antq.KindCommune:
			communes = append(communes, i)
		}
	}
	if province == nil || province.Code != RootCode || len(districts) != 11 || len(communes) != 111 {
		return nil, fmt.Errorf("demo: embedded Bình Phước data is not the expected 1 + 11 + 111 units")
	}
	g.provinceOrgs(province.Code)
	for _, i := range districts {
		g.districtOrgs(g.recs[i].Unit)
	}
	for _, i := range communes {
		hh := g.residentialAreas(g.recs[i].Unit)
		c := &g.recs[i].Unit // g.recs may have grown: take the pointer again
		c.Size.Households, c.Size.AsOf = &hh, BinhPhuocFrom
		g.communeOrgs(*c, c.ParentCode)
	}
	return g.recs, nil
}

// generator appends generated units after the real ones.
type generator struct {
	rng  *rand.Rand
	recs []antq.UnitRecord
	row  int // row number given to the next generated record
	// from and to bound every generated unit (BinhPhuocFrom..BinhPhuocTo
	// unless set).
	from, to antq.Date
	// era, when set, goes into the code of every generated unit after its
	// parent's code ("25210-2025-KDC01"): today's Đồng Nai reuses codes of
	// Bình Phước's communes, whose generated units of 2023 ended with the
	// reform, and a code names one unit across time.
	era string
}

// between returns a number in [lo, hi].
func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) add(u antq.Unit) {
	u.ValidFrom, u.ValidTo = BinhPhuocFrom, BinhPhuocTo
	if !g.from.IsZero() {
		u.ValidFrom, u.ValidTo = g.from, g.to
	}
	if u.Size.Households != nil || u.Size.Staff != nil || u.Size.Pupils != nil {
		u.Size.AsOf = u.ValidFrom
	}
	if g.era != "" && u.ParentCode != "" {
		u.Code = u.ParentCode + "-" + g.era + strings.TrimPrefix(u.Code, u.ParentCode)
	}
	g.row++
	g.recs = append(g.recs, antq.UnitRecord{Row: g.row, Unit: u})
}

func count(n int) *int64 {
	v := int64(n)
	return &v
}

// shortName drops the type prefix: "Xã Tân Thành" → "Tân Thành".
func shortName(u antq.Unit) string {
	return strings.TrimPrefix(u.Name, u.Type+" ")
}

// place is how a district or commune is named inside another name:
// "huyện Bù Đăng", "thành phố Đồng Xoài", "phường Tân Phú".
func place(u antq.Unit) string {
	return strings.ToLower(u.Type) + " " + shortName(u)
}

// Departments of a provincial People's Committee in 2023, before the 2025
// mergers, with their type labels.
var provinceAgencies = [][2]string{
	{"Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng"},
	{"Sở Nội vụ", "Sở"}, {"Sở Tư pháp", "Sở"}, {"Sở Kế hoạch và Đầu tư", "Sở"}, {"Sở Tài chính", "Sở"},
	{"Sở Công Thương", "Sở"}, {"Sở Nông nghiệp và Phát triển nông thôn", "Sở"}, {"Sở Giao thông vận tải", "Sở"},
	{"Sở Xây dựng", "Sở"}, {"Sở Tài nguyên và Môi trường", "Sở"}, {"Sở Thông tin và Truyền thông", "Sở"},
	{"Sở Lao động - Thương binh và Xã hội", "Sở"}, {"Sở Văn hóa, Thể thao và Du lịch", "Sở"},
	{"Sở Khoa học và Công nghệ", "Sở"}, {"Sở Giáo dục và Đào tạo", "Sở"}, {"Sở Y tế", "Sở"},
	{"Thanh tra tỉnh", "Thanh tra"}, {"Ban Dân tộc tỉnh", "Ban"}, {"Ban Quản lý Khu kinh tế tỉnh", "Ban"},
	{"Đài Phát thanh và Truyền hình tỉnh", "Đơn vị sự nghiệp"}, {"Bệnh viện Đa khoa tỉnh", "Đơn vị sự nghiệp"},
}

// Offices of a district People's Committee; cities and towns have an urban
// management office and an economy office instead of agriculture.
var districtAgencies = [][2]string{
	{"Văn phòng HĐND và UBND", "Văn phòng"}, {"Phòng Nội vụ", "Phòng"}, {"Phòng Tư pháp", "Phòng"},
	{"Phòng Tài chính - Kế hoạch", "Phòng"}, {"Phòng Tài nguyên và Môi trường", "Phòng"},
	{"Phòng Lao động - Thương binh và Xã hội", "Phòng"}, {"Phòng Văn hóa và Thông tin", "Phòng"},
	{"Phòng Giáo dục và Đào tạo", "Phòng"}, {"Phòng Y tế", "Phòng"}, {"Thanh tra", "Thanh tra"},
	{"Trung tâm Y tế", "Đơn vị sự nghiệp"},
}

// Parts of generated enterprise names. The enterprises are invented.
var (
	firmForms   = []string{"Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"}
	firmSectors = []string{"Chế biến Hạt điều", "Cao su", "Chế biến Gỗ", "Thức ăn Chăn nuôi", "May mặc", "Xây dựng",
		"Vận tải", "Cơ khí", "Nông sản", "Vật liệu Xây dựng", "Chế biến Mủ cao su", "Phân bón", "Tinh bột sắn", "Điện mặt trời"}
	firmMarks = []string{"Tân Hưng", "Phú Thịnh", "Hưng Phát", "Thành Công", "An Phát", "Minh Long", "Phước Lộc",
		"Hoàng Gia", "Đại Nam", "Trường Thịnh", "Việt Úc", "Sông Bé", "Bình An", "Đức Thành", "Lộc Phát", "Thuận An"}
	smallFirms = []string{"Cơ sở Chế biến Hạt điều", "Cơ sở Sản xuất Nước đá", "Cơ sở Mộc", "Hợp tác xã Nông nghiệp",
		"Công ty TNHH Thương mại Dịch vụ", "Cơ sở Xay xát", "Hợp tác xã Dịch vụ Nông nghiệp"}
	// People schools are named after.
	schoolNames = []string{"Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Lương Thế Vinh", "Chu Văn An", "Nguyễn Trãi",
		"Lê Lợi", "Quang Trung", "Ngô Quyền", "Nguyễn Bỉnh Khiêm", "Võ Thị Sáu", "Lý Tự Trọng", "Nguyễn Văn Trỗi",
		"Trần Hưng Đạo", "Hùng Vương", "Nguyễn Huệ", "Phan Bội Châu", "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Tô Vĩnh Diện"}
	kindergartens = []string{"Hoa Mai", "Hoa Sen", "Sơn Ca", "Họa Mi", "Vành Khuyên", "Tuổi Thơ", "Hướng Dương", "Hoa Hồng"}
)

// firmName invents an enterprise name not used yet under the same parent.
func (g *generator) firmName(used map[string]bool) string {
	for {
		n := g.pick(firmForms) + " " + g.pick(firmSectors) + " " + g.pick(firmMarks)
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

func (g *generator) provinceOrgs(code string) {
	for i, a := range provinceAgencies {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-CQ%03d", code, i+1), Kind: antq.KindAgency, Name: a[0], Type: a[1],
			ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(40, 400))}})
	}
	used := map[string]bool{}
	for i := range g.between(12, 18) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-DN%03d", code, i+1), Kind: antq.KindEnterprise, Name: g.firmName(used),
			Type: "Doanh nghiệp", ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(100, 400))}})
	}
	// Upper-secondary schools belong to the province's education department.
	g.add(antq.Unit{Code: code + "-TR001", Kind: antq.KindSchool, Name: "Trường THPT chuyên Quang Trung", Type: "Trung học phổ thông",
		ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(80, 120)), Pupils: count(g.between(900, 1300))}})
	names := g.rng.Perm(len(schoolNames))
	for i := range g.between(8, 12) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-TR%03d", code, i+2), Kind: antq.KindSchool, Name: "Trường THPT " + schoolNames[names[i]],
			Type: "Trung học phổ thông", ParentCode: code, Size: antq.UnitSize{Staff: count(g.between(50, 110)), Pupils: count(g.between(700, 1800))}})
	}
}

func (g *generator) districtOrgs(d antq.Unit) {
	where := place(d)
	urban := d.Type != "Huyện"
	agencies := districtAgencies
	if urban {
		agencies = append(agencies[:len(agencies):len(agencies)], [2]string{"Phòng Kinh tế", "Phòng"}, [2]string{"Phòng Quản lý đô thị", "Phòng"})
	} else {
		agencies = append(agencies[:len(agencies):len(agencies)], [2]string{"Phòng Nông nghiệp và Phát triển nông thôn", "Phòng"},
			[2]string{"Phòng Kinh tế và Hạ tầng", "Phòng"})
	}
	for i, a := range agencies {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-CQ%03d", d.Code, i+1), Kind: antq.KindAgency, Name: a[0] + " " + where, Type: a[1],
			ParentCode: d.Code, Size: antq.UnitSize{Staff: count(g.between(10, 60))}})
	}
	used := map[string]bool{}
	for i := range g.between(3, 6) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-DN%03d", d.Code, i+1), Kind: antq.KindEnterprise, Name: g.firmName(used),
			Type: "Doanh nghiệp", ParentCode: d.Code, Size: antq.UnitSize{Staff: count(g.between(20, 400))}})
	}
	names := g.rng.Perm(len(schoolNames))
	for i := range g.between(3, 6) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-TR%03d", d.Code, i+1), Kind: antq.KindSchool, Name: "Trường THCS " + schoolNames[names[i]],
			Type: "Trung học cơ sở", ParentCode: d.Code, Size: antq.UnitSize{Staff: count(g.between(30, 80)), Pupils: count(g.between(400, 1200))}})
	}
}

// residentialAreas adds the commune's areas and returns their households.
func (g *generator) residentialAreas(c antq.Unit) int64 {
	label := "Khu phố"
	if c.Type == "Xã" {
		label = "Ấp"
	}
	var total int64
	for i := range g.between(8, 15) {
		hh := int64(g.between(150, 900))
		total += hh
		g.add(antq.Unit{Code: fmt.Sprintf("%s-KDC%02d", c.Code, i+1), Kind: antq.KindResidentialArea,
			Name: fmt.Sprintf("%s %d", label, i+1), Type: label, ParentCode: c.Code, Size: antq.UnitSize{Households: &hh}})
	}
	return total
}

// border districts of Bình Phước, along Cambodia.
var borderDistricts = map[string]bool{"691": true, "692": true, "693": true}

func (g *generator) communeOrgs(c antq.Unit, district string) {
	short, where := shortName(c), place(c)
	// Primary schools and kindergartens: not eligible for the standard.
	nPrimary := g.between(1, 2)
	for i := range nPrimary {
		name := "Trường Tiểu học " + short
		if nPrimary > 1 {
			name += " " + string(rune('A'+i))
		}
		g.add(antq.Unit{Code: fmt.Sprintf("%s-TH%02d", c.Code, i+1), Kind: antq.KindSchool, Name: name, Type: "Tiểu học",
			ParentCode: c.Code, Flags: antq.UnitFlags{PrimarySchool: true},
			Size: antq.UnitSize{Staff: count(g.between(20, 45)), Pupils: count(g.between(250, 900))}})
	}
	g.add(antq.Unit{Code: c.Code + "-MN01", Kind: antq.KindSchool, Name: "Trường Mầm non " + g.pick(kindergartens), Type: "Mầm non",
		ParentCode: c.Code, Flags: antq.UnitFlags{PrimarySchool: true},
		Size: antq.UnitSize{Staff: count(g.between(15, 35)), Pupils: count(g.between(120, 400))}})
	// Small enterprises: not eligible either.
	for i := range g.between(0, 3) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-DN%02d", c.Code, i+1), Kind: antq.KindEnterprise,
			Name: g.pick(smallFirms) + " " + g.pick(firmMarks), Type: "Doanh nghiệp nhỏ", ParentCode: c.Code,
			Flags: antq.UnitFlags{SmallEnterprise: true}, Size: antq.UnitSize{Staff: count(g.between(10, 40))}})
	}
	g.add(antq.Unit{Code: c.Code + "-YT01", Kind: antq.KindAgency, Name: "Trạm Y tế " + where, Type: "Trạm y tế",
		ParentCode: c.Code, Size: antq.UnitSize{Staff: count(g.between(10, 15))}})
	// A few armed-forces units, which the standard does not apply to.
	if g.rng.IntN(5) == 0 {
		g.add(antq.Unit{Code: c.Code + "-QS01", Kind: antq.KindAgency, Name: "Ban Chỉ huy Quân sự " + where, Type: "Lực lượng vũ trang",
			ParentCode: c.Code, Flags: antq.UnitFlags{ArmedForces: true}, Size: antq.UnitSize{Staff: count(g.between(10, 25))}})
	}
	if borderDistricts[district] && g.rng.IntN(3) == 0 {
		g.add(antq.Unit{Code: c.Code + "-BP01", Kind: antq.KindAgency, Name: "Đồn Biên phòng " + short, Type: "Lực lượng vũ trang",
			ParentCode: c.Code, Flags: antq.UnitFlags{ArmedForces: true}, Size: antq.UnitSize{Staff: count(g.between(20, 60))}})
	}
}
