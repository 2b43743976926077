package demo

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"antq"
	"antq/store"
)

// The nation-scale demo (antq demo --scale nation, and the benchmarks):
// the two-tier Vietnam of 01/07/2025 — a root unit VN, the real 34
// provinces and 3,321 communes of data/units-2025.csv — with about 100,000
// generated residential areas and 500,000 generated organisations, the demo
// plan NationPlanID and facts for every eligible unit. Everything is
// deterministic: a province's units and facts depend only on its code.

const (
	// NationCode is the root unit of the nation-scale demo.
	NationCode = "VN"
	// NationPlanID is the nation-scale demo plan (data/plans/vn-2025.json):
	// a made-up plan with the Bình Phước targets, marked as demo data.
	NationPlanID = "vn-2025"

	nationPlanFile = "demo/data/plans/vn-2025.json"
	nationSource   = "demo/nation"
)

//go:embed data/plans/vn-2025.json
var nationPlanJSON []byte

// NationPlan returns the demo plan file, for antq plan load and tests.
func NationPlan() []byte { return slices.Clone(nationPlanJSON) }

// NationOptions size the generated nation; the zero value is the whole
// nation. Tests use a province and a few communes.
type NationOptions struct {
	// Provinces keeps only these province codes (all 34 when empty).
	Provinces []string
	// MaxCommunes keeps at most this many communes of each province (0: all).
	MaxCommunes int
	// ImportChunk is the number of units per ImportUnits call (default
	// 200,000): each call holds its records in memory, and calls of at least
	// a quarter of the units already loaded keep the fast bulk path.
	ImportChunk int
}

// NationProvince is one province of the generated nation with everything
// under it, in import order (parents first).
type NationProvince struct {
	Code  string
	Units []antq.UnitRecord
}

// EachProvince calls fn for each province of the generated nation, in
// the order of units-2025.csv. The province's own record is not in Units
// (Roots has it); Units holds its communes, their residential areas
// and every organisation of the province.
func (o NationOptions) EachProvince(fn func(p *NationProvince) error) error {
	provinces, communes, err := o.kept2025()
	if err != nil {
		return err
	}
	for _, p := range provinces {
		if err := fn(generateProvince(p, communes[p.Code])); err != nil {
			return err
		}
	}
	return nil
}

// Roots returns the nation unit and the provinces of the options.
func (o NationOptions) Roots() ([]antq.UnitRecord, error) {
	recs, err := Units2025()
	if err != nil {
		return nil, err
	}
	out := []antq.UnitRecord{{Row: 1, Unit: antq.Unit{Code: NationCode, Kind: antq.KindNation, Name: "Việt Nam",
		Type: "Quốc gia", ValidFrom: ReformDate}}}
	for _, r := range recs {
		if r.Unit.Kind == antq.KindProvince && (len(o.Provinces) == 0 || slices.Contains(o.Provinces, r.Unit.Code)) {
			r.Unit.ParentCode = NationCode
			out = append(out, antq.UnitRecord{Row: len(out) + 1, Unit: r.Unit})
		}
	}
	return out, nil
}

// nationRand is a province's own random stream: stream 1 makes its units,
// stream 2 its facts.
func nationRand(code string, stream uint64) *rand.Rand {
	n, _ := strconv.ParseUint(code, 10, 64)
	return rand.New(rand.NewPCG(2025_07_01, n<<8|stream))
}

// Names of the generated organisations; they are invented.
var (
	nationDepartments = []string{"Văn phòng Ủy ban nhân dân", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương",
		"Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
		"Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Thanh tra", "Ban Quản lý các khu công nghiệp",
		"Đài Phát thanh và Truyền hình", "Bệnh viện Đa khoa", "Trường Cao đẳng", "Báo", "Kho bạc Nhà nước khu vực", "Bảo hiểm xã hội"}
	nationArmed   = []string{"Công an", "Bộ Chỉ huy Quân sự", "Bộ Chỉ huy Bộ đội Biên phòng"}
	nationSectors = []string{"Chế biến Hạt điều", "Cao su", "Chế biến Gỗ", "Thức ăn Chăn nuôi", "May mặc", "Xây dựng", "Vận tải",
		"Cơ khí", "Nông sản", "Thủy sản", "Vật liệu Xây dựng", "Phân bón", "Điện tử", "Du lịch", "Thương mại Dịch vụ", "Dược phẩm",
		"Bao bì", "Giày da", "Thực phẩm", "Logistics"}
	nationMarks = []string{"Tân Hưng", "Phú Thịnh", "Hưng Phát", "Thành Công", "An Phát", "Minh Long", "Phước Lộc", "Hoàng Gia",
		"Đại Nam", "Trường Thịnh", "Việt Úc", "Bình An", "Đức Thành", "Lộc Phát", "Thuận An", "Quang Minh", "Hải Đăng", "Sao Mai",
		"Kim Long", "Hồng Hà", "Thái Bình Dương", "Phương Đông", "Nam Việt", "Hòa Bình", "Vạn Xuân", "Tiến Thành", "Hoa Sen",
		"Trung Kiên", "Bảo Tín", "Mai Linh", "Thiên Phúc", "Hưng Thịnh", "Đông Á", "Tây Nguyên", "Cửu Long", "Sông Hồng",
		"Trường Sơn", "Hạ Long", "Phú Quốc", "Ngọc Lan"}
	nationSmallFirms = []string{"Cơ sở Chế biến", "Cơ sở Sản xuất Nước đá", "Cơ sở Mộc", "Hợp tác xã Nông nghiệp",
		"Công ty TNHH Thương mại Dịch vụ", "Cơ sở Xay xát", "Hộ kinh doanh", "Cơ sở May"}
	nationReligious = []string{"Chùa", "Giáo xứ", "Hội thánh Tin lành", "Thánh thất Cao Đài", "Niệm Phật đường", "Tịnh xá"}
	nationSocial    = []string{"Ủy ban Mặt trận Tổ quốc Việt Nam", "Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
		"Hội Cựu chiến binh"}
	communeServices = []string{"Trạm Y tế", "Trung tâm Phục vụ hành chính công", "Bưu điện văn hóa", "Trung tâm Văn hóa - Thể thao"}
)

// nationGen builds one province's records: the Bình Phước generator with
// units valid from the reform, open-ended.
type nationGen struct{ generator }

func (g *nationGen) add(u antq.Unit) {
	u.ValidFrom = ReformDate
	g.row++
	g.recs = append(g.recs, antq.UnitRecord{Row: g.row, Unit: u})
}

// firmName invents an enterprise name not used yet under the same parent.
func (g *nationGen) firmName(used map[string]bool, place string) string {
	for try := 0; ; try++ {
		n := g.pick(firmForms) + " " + g.pick(nationSectors) + " " + g.pick(nationMarks)
		if try > 20 {
			n += " " + place
		}
		if try > 40 {
			n += " " + strconv.Itoa(try)
		}
		if !used[n] {
			used[n] = true
			return n
		}
	}
}

// generateProvince makes the province's units below it: per commune 22 to
// 38 residential areas (100 to 1,500 households each; the commune's
// households are their sum) and about 140 organisations — public services,
// the commune police and military command (armed forces: not eligible),
// primary schools and kindergartens (not eligible), lower-secondary schools,
// religious and socio-political organisations (which no checklist covers)
// and enterprises, most of them small (not eligible); under the province,
// its departments, upper-secondary schools, armed-forces units and about
// eight enterprises per commune.
func generateProvince(p antq.Unit, communes []antq.Unit) *NationProvince {
	g := &nationGen{generator{rng: nationRand(p.Code, 1), recs: make([]antq.UnitRecord, 0, 180*len(communes)+1000)}}
	south := p.Code >= "75"
	short := strings.TrimPrefix(strings.TrimPrefix(p.Name, "Tỉnh "), "Thành phố ")
	for _, c := range communes {
		c.ValidFrom = ReformDate
		g.add(c)
		ci := len(g.recs) - 1
		hh := g.nationAreas(c, south)
		g.recs[ci].Unit.Size = antq.UnitSize{AsOf: ReformDate, Households: &hh}
		g.nationCommuneOrgs(c)
	}
	// The province's own organisations.
	where := strings.ToLower(p.Type) + " " + short
	if p.Type == "Thành phố Trung ương" {
		where = "thành phố " + short
	}
	for i, d := range nationDepartments {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-CQ%03d", p.Code, i+1), Kind: antq.KindAgency, Name: d + " " + where,
			Type: "Cơ quan cấp tỉnh", ParentCode: p.Code, Size: antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(40, 600))}})
	}
	for i, a := range nationArmed {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-LL%02d", p.Code, i+1), Kind: antq.KindAgency, Name: a + " " + where,
			Type: "Lực lượng vũ trang", ParentCode: p.Code, Flags: antq.UnitFlags{ArmedForces: true},
			Size: antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(200, 3000))}})
	}
	for i := range max(2, len(communes)/2) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-TR%03d", p.Code, i+1), Kind: antq.KindSchool,
			Name: fmt.Sprintf("Trường THPT %s %s", g.pick(schoolNames), short), Type: "Trung học phổ thông", ParentCode: p.Code,
			Size: antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(50, 120)), Pupils: count(g.between(600, 2000))}})
	}
	used := map[string]bool{}
	for i := range 8*len(communes) + g.between(0, 40) {
		g.add(antq.Unit{Code: fmt.Sprintf("%s-DN%04d", p.Code, i+1), Kind: antq.KindEnterprise, Name: g.firmName(used, short),
			Type: "Doanh nghiệp", ParentCode: p.Code, Flags: antq.UnitFlags{SmallEnterprise: g.rng.IntN(4) == 0},
			Size: antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(20, 2500))}})
	}
	return &NationProvince{Code: p.Code, Units: g.recs}
}

// nationAreas adds the commune's residential areas and returns their
// households.
func (g *nationGen) nationAreas(c antq.Unit, south bool) int64 {
	label := map[[2]bool]string{{false, true}: "Thôn", {false, false}: "Tổ dân phố", {true, true}: "Ấp", {true, false}: "Khu phố"}[[2]bool{south, c.Type != "Phường"}]
	var total int64
	for i := range g.between(22, 38) {
		hh := int64(g.between(100, 1500))
		total += hh
		g.add(antq.Unit{Code: fmt.Sprintf("%s-KDC%03d", c.Code, i+1), Kind: antq.KindResidentialArea,
			Name: fmt.Sprintf("%s %d", label, i+1), Type: label, ParentCode: c.Code, Size: antq.UnitSize{AsOf: ReformDate, Households: &hh}})
	}
	return total
}

func (g *nationGen) nationCommuneOrgs(c antq.Unit) {
	short, where := shortName(c), place(c)
	staff := func(lo, hi int) antq.UnitSize {
		return antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(lo, hi))}
	}
	school := func(lo, hi, plo, phi int) antq.UnitSize {
		return antq.UnitSize{AsOf: ReformDate, Staff: count(g.between(lo, hi)), Pupils: count(g.between(plo, phi))}
	}
	n := 0
	code := func(prefix string) string { n++; return fmt.Sprintf("%s-%s%02d", c.Code, prefix, n) }
	for _, s := range communeServices {
		g.add(antq.Unit{Code: code("CQ"), Kind: antq.KindAgency, Name: s + " " + where, Type: "Cơ quan cấp xã", ParentCode: c.Code, Size: staff(5, 30)})
	}
	for _, a := range []string{"Công an", "Ban Chỉ huy Quân sự"} {
		g.add(antq.Unit{Code: code("CQ"), Kind: antq.KindAgency, Name: a + " " + where, Type: "Lực lượng vũ trang", ParentCode: c.Code,
			Flags: antq.UnitFlags{ArmedForces: true}, Size: staff(10, 40)})
	}
	n = 0
	for i := range g.between(1, 3) {
		g.add(antq.Unit{Code: code("TR"), Kind: antq.KindSchool, Name: fmt.Sprintf("Trường Tiểu học %s số %d", short, i+1), Type: "Tiểu học",
			ParentCode: c.Code, Flags: antq.UnitFlags{PrimarySchool: true}, Size: school(20, 50, 250, 1000)})
	}
	for range g.between(1, 3) {
		g.add(antq.Unit{Code: code("TR"), Kind: antq.KindSchool, Name: "Trường Mầm non " + g.pick(kindergartens) + " " + short, Type: "Mầm non",
			ParentCode: c.Code, Flags: antq.UnitFlags{PrimarySchool: true}, Size: school(15, 40, 120, 450)})
	}
	for range g.between(1, 2) {
		g.add(antq.Unit{Code: code("TR"), Kind: antq.KindSchool, Name: "Trường THCS " + g.pick(schoolNames) + " " + short, Type: "Trung học cơ sở",
			ParentCode: c.Code, Size: school(30, 80, 400, 1300)})
	}
	n = 0
	for range g.between(0, 8) {
		g.add(antq.Unit{Code: code("TG"), Kind: antq.KindReligiousOrg, Name: g.pick(nationReligious) + " " + g.pick(firmMarks), Type: "Cơ sở tôn giáo",
			ParentCode: c.Code, Size: staff(3, 30)})
	}
	n = 0
	for _, s := range nationSocial {
		g.add(antq.Unit{Code: code("DT"), Kind: antq.KindSocioPoliticalOrg, Name: s + " " + where, Type: "Tổ chức chính trị - xã hội",
			ParentCode: c.Code, Size: staff(3, 15)})
	}
	used := map[string]bool{}
	for i := range g.between(80, 158) {
		u := antq.Unit{Code: fmt.Sprintf("%s-DN%03d", c.Code, i+1), Kind: antq.KindEnterprise, Type: "Doanh nghiệp", ParentCode: c.Code}
		if g.rng.IntN(10) < 6 {
			u.Name, u.Flags.SmallEnterprise, u.Size = g.pick(nationSmallFirms)+" "+g.pick(nationMarks)+" "+strconv.Itoa(i+1), true, staff(2, 30)
		} else {
			u.Name, u.Size = g.firmName(used, short), staff(20, 800)
		}
		g.add(u)
	}
}

// nationFacts are the 2025 facts of the generated nation.
var nationFacts = factProfile{
	registered:   0.94,
	registeredOn: daysFrom(antq.NewDate(2025, 7, 1), 62),
	registration: docs{share: 0.5, numbers: numbered("%02d/ĐK", 1, 1, 100),
		title: "Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2025"},

	areas: coverage{share: 0.9, reach: [2]float64{0.72, 0.28}, low: 0.1, asOf: daysFrom(antq.NewDate(2025, 10, 1), 31),
		doc: docs{share: 1, numbers: numbered("%02d/BC-KDC", 1, 1, 100), title: "Báo cáo kết quả tuyên truyền năm 2025"}},
	communes:      coverage{share: 0.2, reach: [2]float64{0.7, 0.3}, asOf: daysFrom(antq.NewDate(2025, 10, 15), 25)},
	organisations: coverage{share: 0.9, reach: [2]float64{0.87, 0.13}, asOf: daysFrom(antq.NewDate(2025, 10, 20), 25)},

	communeNew: 0.88, communeNewEffective: 0.95, communeConsolidated: 0.6,
	orgModel: 0.85, orgModelNew: 0.4, orgModelEffective: 0.93, modelAssessed: antq.NewDate(2025, 10, 25),
	areaMaintained:  0.3,
	newModelStarted: daysFrom(antq.NewDate(2025, 7, 5), 100),
	oldModelStarted: daysFrom(antq.NewDate(2018, 1, 1), 2400),

	decided:       0.93,
	areasDecided:  daysFrom(antq.NewDate(2025, 11, 3), 18),
	othersDecided: daysFrom(antq.NewDate(2025, 11, 20), 21),
	recognised:    0.8,
	decision: docs{share: 1, numbers: numbered("%d/QĐ-UBND", 1000, 17, 100),
		title: "Quyết định công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2025"},

	graded:    0.9,
	gradeCuts: [3]float64{0.32, 0.64, 0.94},
}

// Facts sends the 2025 facts of the province's eligible units to
// sink: about 94 % registered in July and August; propaganda from most
// residential areas, a fifth of the communes and most organisations, some
// below their 80 % or 90 % threshold; new models in most communes and new
// or consolidated ones in most organisations; recognitions of registered
// units in November and December; grades for most units. Deterministic.
func (p *NationProvince) Facts(sink FactSink) error {
	g := &factGen{p: &nationFacts, rng: nationRand(p.Code, 2), sink: sink}
	for i := range p.Units {
		if err := g.unit(&p.Units[i].Unit, false); err != nil {
			return err
		}
	}
	return nil
}

// NationResult says what LoadNation did; zero parts were there already.
type NationResult struct {
	History     int                // units of the three-tier tree imported (units-2024.csv)
	Reform      *store.ReorgResult // the 2025 reform applied through the reorganisation path
	Units       int                // units imported under the 2025 tree (generated, and communes the reform did not make)
	Sized       int                // communes made by the reform given their households
	Changes2026 *store.ReorgResult // the changes of 30/04/2026 (Thành phố Đồng Nai), when its units are kept
	UnitsTime   time.Duration
	PlanLoaded  bool
	Facts       *store.BulkFactsResult
	Rebuild     *store.RebuildResult
	UnitsByKind map[antq.UnitKind]int // the units imported under the 2025 tree, by kind
}

// LoadNation builds the nation-scale demo into db the way a real
// deployment reaches today's tree, skipping whatever is there already, so
// that a second run changes nothing: the three-tier tree of
// units-2024.csv and the official 2025 reform through the reorganisation
// file path (loadNationHistory); then the generated units under the new
// communes and provinces (imported with ImportUnits in chunks of
// ImportChunk, each skipped when its first unit exists; the communes the
// reform made get their households as a dated size, those it did not —
// only in a subset of the nation — are imported); the changes of
// 30/04/2026 (Changes2026) through the same path; the plan NationPlanID
// (loaded with LoadPlan unless stored); the facts (one BulkFacts load,
// unless the plan has facts) and the indicators (rebuilt after a load). ctx
// must carry a root user (antq.SystemContext).
func LoadNation(ctx context.Context, db *store.DB, o NationOptions) (*NationResult, error) {
	res := &NationResult{UnitsByKind: map[antq.UnitKind]int{}}
	chunk := o.ImportChunk
	if chunk <= 0 {
		chunk = 200_000
	}
	start := time.Now()
	var err error
	if res.History, res.Reform, err = loadNationHistory(ctx, db, o); err != nil {
		return res, err
	}
	var pending []antq.UnitRecord
	var sizes []store.UnitSizeRecord
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		first := pending[0].Unit.Code
		if _, err := db.FindUnitByCode(ctx, first, ReformDate); err == nil {
			pending, sizes = pending[:0], sizes[:0] // imported by an earlier run
			return nil
		} else if antq.ErrorCode(err) != antq.ENOTFOUND {
			return err
		}
		r, err := db.ImportUnits(ctx, nationSource, pending)
		if err != nil {
			return err
		}
		if err := db.RecordUnitSizes(ctx, nationSource+"/sizes", sizes); err != nil {
			return err
		}
		res.Units += r.Units
		res.Sized += len(sizes)
		for _, k := range r.ByKind {
			res.UnitsByKind[k.Kind] += k.Count
		}
		clear(pending)
		pending, sizes = pending[:0], sizes[:0]
		return nil
	}
	err = o.EachProvince(func(p *NationProvince) error {
		for _, r := range p.Units {
			if r.Unit.Kind == antq.KindCommune {
				if _, err := db.FindUnitByCode(ctx, r.Unit.Code, ReformDate); err == nil {
					sizes = append(sizes, store.UnitSizeRecord{Row: len(sizes) + 1, Code: r.Unit.Code, Size: r.Unit.Size})
					continue
				} else if antq.ErrorCode(err) != antq.ENOTFOUND {
					return err
				}
			}
			r.Row = len(pending) + 1
			pending = append(pending, r)
		}
		if len(pending) >= chunk {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return res, fmt.Errorf("demo nation units: %w", err)
	}
	if res.Changes2026, err = nationChanges2026(ctx, db, o); err != nil {
		return res, fmt.Errorf("demo nation changes 2026: %w", err)
	}
	res.UnitsTime = time.Since(start)

	if _, _, err := db.Plan(ctx, NationPlanID); antq.ErrorCode(err) == antq.ENOTFOUND {
		if _, err := db.LoadPlan(ctx, nationPlanFile, nationPlanJSON); err != nil {
			return res, fmt.Errorf("demo nation plan: %w", err)
		}
		res.PlanLoaded = true
	} else if err != nil {
		return res, err
	}

	if n, err := db.FactCount(ctx, NationPlanID); err != nil {
		return res, err
	} else if n == 0 {
		res.Facts, err = db.BulkFacts(ctx, NationPlanID, nationSource, func(l *store.FactLoader) error {
			return o.EachProvince(func(p *NationProvince) error { return p.Facts(l) })
		})
		if err != nil {
			return res, fmt.Errorf("demo nation facts: %w", err)
		}
		if res.Rebuild, err = db.Rebuild(ctx, NationPlanID); err != nil {
			return res, err
		}
	}
	return res, nil
}
