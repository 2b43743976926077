// Command antq serves the ANTQ web application and API and runs its
// administrative commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	_ "time/tzdata" // dates are shown in Asia/Ho_Chi_Minh on any host

	"antq"
	"antq/store"
)

// Config is parsed once from flags and the environment and passed down.
type Config struct {
	Addr    string // ANTQ_ADDR
	DataDir string // ANTQ_DATA
	DB      string // ANTQ_DB: a postgres:// URL or a SQLite file path
}

// DSN returns the database to open: ANTQ_DB, or antq.db in the data directory.
func (c Config) DSN() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.DataDir, "antq.db")
}

// FilesDir is where evidence files live: files in the data directory, on
// SQLite and on PostgreSQL alike (the database holds only their hashes).
func (c Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// App is what a command runs with: configuration, streams and a logger. A
// test runs commands through Main with its own streams.
type App struct {
	Config Config
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Logger *slog.Logger
	Getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, app *App, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "chạy máy chủ web và API (serve the web UI and API)", cmdServe},
		{"migrate", "cập nhật lược đồ cơ sở dữ liệu (apply database migrations)", cmdMigrate},
		{"demo", "nạp dữ liệu mẫu: Bình Phước 2023 (lịch sử) và Thành phố Đồng Nai 2026, hoặc --scale nation (load the demo, or the nation)", cmdDemo},
		{"units import", "nhập đơn vị từ tệp CSV hoặc XLSX (import units from CSV or XLSX)", cmdUnitsImport},
		{"units reorganise", "sắp xếp đơn vị: sáp nhập, chia tách, đổi tên… từ tệp CSV hoặc XLSX (apply a reorganisation file)", cmdUnitsReorganise},
		{"facts import", "nạp mẫu nhập số liệu đã điền (XLSX), gửi duyệt (import a filled fact template)", cmdFactsImport},
		{"plan load", "nạp kế hoạch từ tệp JSON (load a plan file)", cmdPlanLoad},
		{"sheet load", "nạp bảng điểm thi đua của cụm, khối từ tệp JSON (load a scoring sheet file)", cmdSheetLoad},
		{"geo import", "nạp ranh giới hành chính GeoJSON cho bản đồ (load boundary GeoJSON for the maps)", cmdGeoImport},
		{"backup", "sao lưu trực tuyến và kiểm tra (online backup, verified)", cmdBackup},
		{"restore", "phục hồi từ bản sao lưu đã kiểm tra (restore a verified backup)", cmdRestore},
		{"rebuild", "tính lại chỉ tiêu từ số liệu (recompute indicators from the facts)", cmdRebuild},
		{"user add", "tạo tài khoản (create an account)", cmdUserAdd},
		{"token create", "tạo mã truy cập API (create an API bearer token)", cmdTokenCreate},
		{"token list", "liệt kê mã truy cập API của một tài khoản (list an account's API tokens)", cmdTokenList},
		{"token revoke", "thu hồi mã truy cập API (revoke an API token)", cmdTokenRevoke},
		{"user list", "liệt kê tài khoản (list accounts)", cmdUserList},
		{"user set", "đổi vai trò, đơn vị, họ tên (change role, unit, name)", cmdUserSet},
		{"user disable", "khóa tài khoản, kết thúc mọi phiên (disable an account, end its sessions)", cmdUserDisable},
		{"user enable", "mở khóa tài khoản (enable an account)", cmdUserEnable},
		{"user password", "đặt lại mật khẩu, kết thúc mọi phiên (reset a password)", cmdUserPassword},
		{"audit verify", "kiểm tra chuỗi mã băm của nhật ký (verify the audit hash chain)", cmdAuditVerify},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	app := &App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if err := Main(ctx, app, os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "antq:", terminalMessage(err))
		}
		os.Exit(exitCode(err))
	}
}

// terminalMessage is what the command line shows for err: the message and
// each field's reason for the application's errors, the whole chain for
// anything else (the operator needs the cause).
func terminalMessage(err error) string {
	var e *antq.Error
	if !errors.As(err, &e) || e.Code == antq.EINTERNAL {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(e.Message)
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %s: %s", k, e.Fields[k])
	}
	var inner *antq.Error
	if e.Err != nil && len(e.Fields) == 0 && !errors.As(e.Err, &inner) {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	return b.String()
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if antq.ErrorCode(err) == antq.EINVALID {
		return 2
	}
	return 1
}

// Main runs the command named by args.
func Main(ctx context.Context, app *App, args []string) error {
	if app.Getenv == nil {
		app.Getenv = os.Getenv
	}
	if app.Logger == nil {
		app.Logger = slog.New(slog.NewTextHandler(app.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	app.Config = Config{
		Addr:    envOr(app.Getenv, "ANTQ_ADDR", "127.0.0.1:8080"),
		DataDir: envOr(app.Getenv, "ANTQ_DATA", "./antq-data"),
		DB:      app.Getenv("ANTQ_DB"),
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(app.Stdout)
		if len(args) == 0 {
			return antq.Errorf(antq.EINVALID, "thiếu lệnh (missing command)")
		}
		return nil
	}
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return len(cmds[i].name) > len(cmds[j].name) })
	for _, c := range cmds {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c.run(ctx, app, args[len(words):])
		}
	}
	usage(app.Stderr)
	return antq.Errorf(antq.EINVALID, "lệnh không rõ (unknown command) %q", strings.Join(args, " "))
}

func usage(w io.Writer) {
	fmt.Fprintln(w, `ANTQ — phong trào "Toàn dân bảo vệ an ninh Tổ quốc"

Cách dùng (usage): antq COMMAND [flags]   (antq COMMAND --help for its flags)

Lệnh (commands):`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Môi trường (environment):
  ANTQ_ADDR   địa chỉ lắng nghe (listen address), default 127.0.0.1:8080
  ANTQ_DATA   thư mục dữ liệu (data directory: SQLite file, evidence files in
              ANTQ_DATA/files), default ./antq-data
  ANTQ_DB     cơ sở dữ liệu (database): a postgres://… URL selects PostgreSQL;
              default: SQLite file antq.db in ANTQ_DATA
  ANTQ_TZ     múi giờ hiển thị (time zone of pages and exports), default
              Asia/Ho_Chi_Minh`)
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// newFlagSet returns a flag set for a subcommand that prints its own help,
// with the global database and data-directory flags.
func (app *App) newFlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("antq "+name, flag.ContinueOnError)
	fs.SetOutput(app.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(app.Stderr, "Cách dùng (usage): antq %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&app.Config.DataDir, "data", app.Config.DataDir, "data directory (ANTQ_DATA)")
	fs.StringVar(&app.Config.DB, "db", app.Config.DB, "database: postgres:// URL or SQLite file (ANTQ_DB)")
	return fs
}

// oneFileArg parses args and returns the one file they name. With none or
// several it prints the usage and fails with the message missing (EINVALID).
func oneFileArg(fs *flag.FlagSet, args []string, missing string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return "", antq.Errorf(antq.EINVALID, "%s", missing)
	}
	return fs.Arg(0), nil
}

// readInputFile reads a file named on the command line: one that cannot be
// read is the caller's mistake (EINVALID).
func readInputFile(name string) ([]byte, error) {
	body, err := os.ReadFile(name)
	if err != nil {
		return nil, antq.Errorf(antq.EINVALID, "không đọc được tệp %s: %v", name, err)
	}
	return body, nil
}

// setLongUsage makes fs's help the usage line, then the long help text,
// then the flags (the import commands, whose file formats need explaining).
func (app *App) setLongUsage(fs *flag.FlagSet, line, help string) {
	fs.Usage = func() {
		fmt.Fprintln(app.Stderr, line)
		fmt.Fprint(app.Stderr, help)
		fs.PrintDefaults()
	}
}

// parseInterspersed parses fs from args where flags may come before or
// after the file names, and returns the file names.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return files, nil
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// withDB opens the database, migrated first when migrate, runs fn with it
// and closes it: the one way a command reaches the database. Commands that
// change data migrate first; serve only checks (see cmdServe). Every
// command opens with the evidence files directory (ANTQ_DATA/files, one
// directory check): serve and backup need it, and one path for all
// commands is simpler than deciding, command by command, which may do
// without.
func (app *App) withDB(ctx context.Context, migrate bool, fn func(db *store.DB) error) error {
	if err := os.MkdirAll(app.Config.DataDir, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	db, err := store.Open(ctx, app.Config.DSN(), store.Options{FilesDir: app.Config.FilesDir()})
	if err != nil {
		return err
	}
	defer db.Close()
	if migrate {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
	}
	return fn(db)
}

func cmdMigrate(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("migrate", "migrate [--db URL]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		have, _, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Lược đồ cơ sở dữ liệu (%s) ở phiên bản %d.\n", db.Engine(), have)
		return nil
	})
}
