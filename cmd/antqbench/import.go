package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	mathrand "math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"antq"
	"antq/demo"
	"antq/unitfile"
)

// importTarget is DESIGN §5's unit import target.
const importTarget = 50_000 // rows per second

const benchValidFrom = "2025-07-01"

// runImportBench generates a nation-scale unit file and measures `antq
// units import` on a fresh SQLite file and a fresh PostgreSQL database,
// with two baselines from the same run: reading the file only (unitfile),
// and inserting the same rows into one bare table.
func runImportBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "import", "a database antq_bench_<random> is created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built with 'go build -o PATH ./cmd/antq' when missing)")
	rows := fs.Int("rows", 500_000, "units in the generated file (at least; whole communes are generated)")
	keep := fs.Bool("keep", false, "keep the temporary directory (generated file, SQLite database)")
	if err := fs.Parse(args); err != nil {
		return err
	}

	bin, err := ensureAntq(ctx, e, *antqBin)
	if err != nil {
		return err
	}
	dir, done, err := workDir(e, "import", *keep)
	if err != nil {
		return err
	}
	defer done()
	file := filepath.Join(dir, "units.csv")
	start := time.Now()
	n, err := writeBenchUnits(file, *rows)
	if err != nil {
		return err
	}
	st, _ := os.Stat(file)
	fmt.Fprintf(e.stdout, "generated %s: %d units, %.1f MiB, in %.1f s\n", file, n, float64(st.Size())/(1<<20), time.Since(start).Seconds())

	self, err := os.Executable()
	if err != nil {
		return err
	}
	var results []result
	add := func(engine, step string, target bool, name string, args ...string) error {
		m, err := measure(ctx, name, args...)
		if err != nil {
			return fmt.Errorf("%s %s: %w", engine, step, err)
		}
		m.engine, m.step, m.rows, m.target = engine, step, n, target
		results = append(results, m)
		return nil
	}
	if err := add("-", "parse only (unitfile.Read)", false, self, "import-parse-only", "--valid-from", benchValidFrom, file); err != nil {
		return err
	}
	for _, engine := range strings.Split(*fs.engines, ",") {
		dsn, drop, err := engineDatabase(ctx, strings.TrimSpace(engine), *fs.postgres, filepath.Join(dir, "antq.db"))
		if err != nil {
			return err
		}
		defer drop()
		if _, err := measure(ctx, bin, "migrate", "--data", dir, "--db", dsn); err != nil {
			return fmt.Errorf("%s: migrate: %w", engine, err)
		}
		if err := add(engine, "minimal insert (1 table, no checks)", false, self, "import-minimal-insert", "--db", dsn, "--valid-from", benchValidFrom, file); err != nil {
			return err
		}
		if err := add(engine, "antq units import", true, bin, "units", "import", "--data", dir, "--db", dsn, "--valid-from", benchValidFrom, file); err != nil {
			return err
		}
		if got, err := countRows(ctx, dsn, "units"); err != nil {
			return err
		} else if got != n {
			return fmt.Errorf("%s: %d units in the database after the import, want %d", engine, got, n)
		}
	}

	header := []string{"engine", "step", "rows", "seconds", "rows/s", "peak RSS MiB", "target", "result"}
	var cells [][]string
	for _, r := range results {
		cells = append(cells, r.cells())
	}
	fmt.Fprintln(e.stdout)
	table(e.stdout, header, cells)
	fs.printMarkdown(e.stdout, header, cells)
	return nil
}

// result is one measured step.
type result struct {
	engine, step string
	rows         int
	wall         time.Duration
	maxRSSKiB    int64
	target       bool // the step the import target applies to
	output       string
}

func (r result) rate() float64 { return float64(r.rows) / r.wall.Seconds() }

func (r result) cells() []string {
	target, verdict := "-", "-"
	if r.target {
		target = groupThousands(importTarget)
		verdict = "not met"
		if r.rate() >= importTarget {
			verdict = "met"
		}
	}
	return []string{r.engine, r.step, groupThousands(r.rows), fmt.Sprintf("%.2f", r.wall.Seconds()),
		groupThousands(int(r.rate())), fmt.Sprintf("%.0f", float64(r.maxRSSKiB)/1024), target, verdict}
}

func groupThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// measure runs a command and returns its wall time and peak resident set.
func measure(ctx context.Context, name string, args ...string) (result, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	r := result{wall: time.Since(start), output: out.String()}
	if err != nil {
		return r, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, lastLines(out.String(), 20))
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSSKiB = ru.Maxrss // KiB on Linux
	}
	return r, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ensureAntq returns the antq binary, building it when it is missing.
func ensureAntq(ctx context.Context, e *env, path string) (string, error) {
	if _, err := os.Stat(path); err == nil {
		return filepath.Abs(path)
	}
	fmt.Fprintf(e.stdout, "building %s\n", path)
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, "./cmd/antq")
	cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build antq (run from the repository root or pass --antq): %w", err)
	}
	return filepath.Abs(path)
}

// createBenchDatabase creates a fresh database antq_bench_<random> on the
// server of base and returns its URL and a function that drops it.
func createBenchDatabase(ctx context.Context, base string) (string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "antq_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("postgres %s: create database: %w", base, err)
	}
	drop := func() {
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

func openBenchDB(dsn string) (*sql.DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return sql.Open("pgx", dsn)
	}
	// The pragmas of store.Open's writer.
	return sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate")
}

func countRows(ctx context.Context, dsn, table string) (int, error) {
	db, err := openBenchDB(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n)
	return n, err
}

// ---- child processes ----

// childRecords parses a child's flags and reads its unit file as the import
// does; dsn is its --db.
func childRecords(name string, args []string) (recs []antq.UnitRecord, dsn string, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	from := fs.String("valid-from", "", "valid_from of the rows")
	db := fs.String("db", "", "database")
	if err := fs.Parse(args); err != nil {
		return nil, "", err
	}
	if fs.NArg() != 1 {
		return nil, "", errors.New("need one FILE")
	}
	var opts unitfile.Options
	if opts.ValidFrom, err = antq.ParseDate(*from); err != nil {
		return nil, "", err
	}
	recs, err = unitfile.ReadFile(fs.Arg(0), opts)
	return recs, *db, err
}

// runParseOnly is the first baseline: read and check the file, no database.
func runParseOnly(ctx context.Context, e *env, args []string) error {
	recs, _, err := childRecords("import-parse-only", args)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, len(recs), "records")
	return nil
}

// runMinimalInsert is the second baseline: read the file as the import does,
// then insert id, code, name and parent code of every row into one table
// without secondary indexes or checks, as fast as each engine allows
// (prepared multi-row INSERTs on SQLite, COPY on PostgreSQL), in one
// transaction.
func runMinimalInsert(ctx context.Context, e *env, args []string) error {
	recs, dsn, err := childRecords("import-minimal-insert", args)
	if err != nil {
		return err
	}
	const ddl = `CREATE TABLE bench_units (id BIGINT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, parent_code TEXT NOT NULL)`
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return err
		}
		i := -1
		vals := make([]any, 4)
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i++; i >= len(recs) {
				return nil, nil
			}
			u := &recs[i].Unit
			vals[0], vals[1], vals[2], vals[3] = int64(i+1), u.Code, u.Name, u.ParentCode
			return vals, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"bench_units"}, []string{"id", "code", "name", "parent_code"}, src); err != nil {
			return err
		}
		return tx.Commit(ctx)
	}
	db, err := openBenchDB(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, strings.Replace(ddl, "BIGINT PRIMARY KEY", "INTEGER PRIMARY KEY", 1)); err != nil {
		return err
	}
	const batch = 500
	stmtSQL := func(n int) string {
		return "INSERT INTO bench_units (id, code, name, parent_code) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", n), ", ")
	}
	stmt, err := tx.PrepareContext(ctx, stmtSQL(batch))
	if err != nil {
		return err
	}
	defer stmt.Close()
	args2 := make([]any, 0, 4*batch)
	for i := range recs {
		u := &recs[i].Unit
		args2 = append(args2, int64(i+1), u.Code, u.Name, u.ParentCode)
		if len(args2) == 4*batch {
			if _, err := stmt.ExecContext(ctx, args2...); err != nil {
				return err
			}
			args2 = args2[:0]
		}
	}
	if len(args2) > 0 {
		if _, err := tx.ExecContext(ctx, stmtSQL(len(args2)/4), args2...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ---- the generated nation ----

// writeBenchUnits writes a deterministic extended-layout file: the nation,
// the 34 provinces and 3,321 communes of 2025 (demo data), about 40
// organisations per province, and for every commune the same number of
// generated units (a fifth residential areas, the rest organisations), so
// that the file has at least minRows units. It returns the number written.
func writeBenchUnits(path string, minRows int) (int, error) {
	recs, err := demo.Units2025()
	if err != nil {
		return 0, err
	}
	var provinces, communes []antq.Unit
	for _, r := range recs {
		if r.Unit.Kind == antq.KindProvince {
			provinces = append(provinces, r.Unit)
		} else {
			communes = append(communes, r.Unit)
		}
	}
	const perProvince = 40
	fixed := 1 + len(provinces)*(1+perProvince) + len(communes)
	perCommune := max(0, (minRows-fixed+len(communes)-1)/len(communes))

	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write([]string{"level", "code", "name", "type", "parent_code", "households", "staff", "pupils",
		"armed_forces", "small_enterprise", "primary_school"})
	n := 0
	row := func(kind antq.UnitKind, code, name, typ, parent string, households, staff, pupils int, flags antq.UnitFlags) {
		num := func(v int) string {
			if v == 0 {
				return ""
			}
			return strconv.Itoa(v)
		}
		flag := func(b bool) string {
			if b {
				return "1"
			}
			return ""
		}
		w.Write([]string{string(kind), code, name, typ, parent, num(households), num(staff), num(pupils),
			flag(flags.ArmedForces), flag(flags.SmallEnterprise), flag(flags.PrimarySchool)})
		n++
	}
	rng := mathrand.New(mathrand.NewPCG(2025, 34))
	between := func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
	pick := func(list []string) string { return list[rng.IntN(len(list))] }

	row(antq.KindNation, "VN", "Cộng hòa xã hội chủ nghĩa Việt Nam", "Quốc gia", "", 0, 0, 0, antq.UnitFlags{})
	for _, p := range provinces {
		row(p.Kind, p.Code, p.Name, p.Type, "VN", 0, 0, 0, antq.UnitFlags{})
		short := strings.TrimPrefix(strings.TrimPrefix(p.Name, "Tỉnh "), "Thành phố ")
		for i := range perProvince {
			code := fmt.Sprintf("%s-DV%03d", p.Code, i+1)
			switch {
			case i < len(provinceDepartments):
				row(antq.KindAgency, code, provinceDepartments[i]+" "+strings.ToLower(p.Type)+" "+short, "Sở", p.Code, 0, between(40, 400), 0, antq.UnitFlags{})
			case i%2 == 0:
				row(antq.KindSchool, code, fmt.Sprintf("Trường THPT %s %s", pick(benchPeople), short), "Trung học phổ thông", p.Code, 0, between(50, 110), between(700, 1800), antq.UnitFlags{})
			default:
				row(antq.KindEnterprise, code, fmt.Sprintf("%s %s %s %s", pick(benchForms), pick(benchSectors), pick(benchMarks), short), "Doanh nghiệp", p.Code, 0, between(100, 400), 0, antq.UnitFlags{})
			}
		}
	}
	for _, c := range communes {
		row(c.Kind, c.Code, c.Name, c.Type, c.ParentCode, between(2000, 12000), 0, 0, antq.UnitFlags{})
		short := strings.TrimPrefix(c.Name, c.Type+" ")
		where := strings.ToLower(c.Type) + " " + short
		north := c.ParentCode < "40"
		area := map[[2]bool]string{{true, true}: "Thôn", {true, false}: "Tổ dân phố", {false, true}: "Ấp", {false, false}: "Khu phố"}[[2]bool{north, c.Type == "Xã"}]
		areas := perCommune / 5
		for i := range areas {
			row(antq.KindResidentialArea, fmt.Sprintf("%s-KDC%03d", c.Code, i+1), fmt.Sprintf("%s %d", area, i+1), area, c.Code, between(150, 900), 0, 0, antq.UnitFlags{})
		}
		for i := range perCommune - areas {
			code := fmt.Sprintf("%s-DV%03d", c.Code, i+1)
			switch i % 10 {
			case 0:
				a := communeAgencies[(i/10)%len(communeAgencies)]
				row(antq.KindAgency, code, fmt.Sprintf("%s %s %d", a, where, i/10/len(communeAgencies)+1), "Cơ quan", c.Code, 0, between(10, 60), 0,
					antq.UnitFlags{ArmedForces: strings.HasPrefix(a, "Ban Chỉ huy")})
			case 1, 2:
				row(antq.KindSchool, code, fmt.Sprintf("Trường %s %s %d", pick([]string{"Tiểu học", "Mầm non"}), short, i), "Cơ sở giáo dục", c.Code, 0,
					between(15, 45), between(120, 900), antq.UnitFlags{PrimarySchool: true})
			case 3:
				row(antq.KindSchool, code, fmt.Sprintf("Trường THCS %s %s", pick(benchPeople), short), "Trung học cơ sở", c.Code, 0, between(30, 80), between(400, 1200), antq.UnitFlags{})
			case 4:
				row(antq.KindReligiousOrg, code, fmt.Sprintf("%s %s %d", pick(benchReligious), short, i), "Cơ sở tôn giáo", c.Code, 0, between(10, 40), 0, antq.UnitFlags{})
			case 5:
				row(antq.KindSocioPoliticalOrg, code, fmt.Sprintf("%s %s", pick(benchSocial), where), "Tổ chức chính trị - xã hội", c.Code, 0, between(10, 30), 0, antq.UnitFlags{})
			default:
				small := rng.IntN(3) > 0
				row(antq.KindEnterprise, code, fmt.Sprintf("%s %s %s %s %d", pick(benchForms), pick(benchSectors), pick(benchMarks), short, i), "Doanh nghiệp", c.Code, 0,
					between(10, 400), 0, antq.UnitFlags{SmallEnterprise: small})
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	return n, f.Close()
}

var (
	provinceDepartments = []string{"Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường",
		"Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch",
		"Thanh tra", "Văn phòng Ủy ban nhân dân"}
	communeAgencies = []string{"Trạm Y tế", "Ban Chỉ huy Quân sự", "Trung tâm Phục vụ hành chính công", "Bưu điện văn hóa",
		"Trung tâm Văn hóa - Thể thao", "Ban Quản lý chợ", "Hợp tác xã Dịch vụ"}
	benchForms   = []string{"Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Doanh nghiệp tư nhân"}
	benchSectors = []string{"Chế biến Hạt điều", "Cao su", "Chế biến Gỗ", "Thức ăn Chăn nuôi", "May mặc", "Xây dựng", "Vận tải",
		"Cơ khí", "Nông sản", "Thủy sản", "Vật liệu Xây dựng", "Phân bón", "Điện tử", "Du lịch", "Thương mại Dịch vụ", "Dược phẩm"}
	benchMarks = []string{"Tân Hưng", "Phú Thịnh", "Hưng Phát", "Thành Công", "An Phát", "Minh Long", "Phước Lộc", "Hoàng Gia",
		"Đại Nam", "Trường Thịnh", "Việt Úc", "Bình An", "Đức Thành", "Lộc Phát", "Thuận An", "Quang Minh", "Hải Đăng", "Sao Mai"}
	benchPeople = []string{"Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Lương Thế Vinh", "Chu Văn An", "Nguyễn Trãi", "Lê Lợi",
		"Quang Trung", "Ngô Quyền", "Võ Thị Sáu", "Lý Tự Trọng", "Trần Hưng Đạo", "Hùng Vương", "Nguyễn Huệ", "Phan Bội Châu"}
	benchReligious = []string{"Chùa", "Giáo xứ", "Hội thánh Tin lành", "Thánh thất Cao Đài", "Niệm Phật đường"}
	benchSocial    = []string{"Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Cựu chiến binh", "Ủy ban Mặt trận Tổ quốc"}
)
