package main

// Disk full (test plan T4): the server's data directory on a small tmpfs
// the harness mounts (root only) and then fills. With SQLite the database
// is there too; with PostgreSQL only the evidence files are (the database
// server's own disk is not the harness's to fill). While the volume is full:
//   - an evidence upload is refused with 507 and a Vietnamese message, and
//     leaves no row and no temporary file;
//   - a fact write is either stored (SQLite can reuse its log's space) or
//     refused with 507, never a 500, never half;
//   - (SQLite) `antq units import` of a large file fails with the message
//     and imports nothing;
//   - reads are served.
// When space returns, the same writes succeed without a restart, and the
// offline checks (integrity, rebuild --check, audit chain, every evidence
// file's hash, no temporary file left) agree.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type diskConfig struct {
	antq, work, engine string
	pg                 *pgServer
	sizeMiB            int
}

type diskReport struct {
	engine                        string
	uploadRefused, importRefused  bool
	factWhileFull                 int // status of the fact write on the full volume
	message                       string
	uploadAfter, factAfter        int
	importedAfter                 bool
	auditRecords, files, leftover int
}

func (r diskReport) String() string {
	return fmt.Sprintf("%s: disk full: upload refused %v, import refused %v, fact write answered %d, message %q; "+
		"after space returned: upload %d, fact %d, import ok %v; audit chain %d records, %d evidence files, %d temporary files left",
		r.engine, r.uploadRefused, r.importRefused, r.factWhileFull, r.message, r.uploadAfter, r.factAfter, r.importedAfter, r.auditRecords, r.files, r.leftover)
}

// mountTmpfs mounts a tmpfs of size MiB on dir; the returned function
// unmounts it.
func mountTmpfs(dir string, sizeMiB int) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm,mode=0700", sizeMiB), "tmpfs", dir).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("mount tmpfs on %s: %v %s", dir, err, out)
	}
	return func() { exec.Command("umount", "-l", dir).Run() }, nil
}

// fill writes a file until the volume refuses more (ENOSPC).
func fill(path string) error {
	f, err := os.Create(path)
	if err != nil {
		if errors.Is(err, syscall.ENOSPC) {
			return nil
		}
		return err
	}
	defer f.Close()
	chunk := bytes.Repeat([]byte{0xA5}, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				break
			}
			return err
		}
	}
	// The last few bytes too.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	return nil
}

func pdfOf(size int) []byte {
	noise := bytes.Repeat([]byte("minh chung "), size/11+1)[:size]
	return append(append([]byte("%PDF-1.4\n% "), noise...), "\n%%EOF\n"...)
}

func (c *client) upload(ctx context.Context, token, unit string, content []byte) (int, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("fact", "registration")
	fw, _ := mw.CreateFormFile("file", "minh-chung.pdf")
	fw.Write(content)
	mw.Close()
	return c.do(ctx, token, "POST", apiPlan+"/units/"+unit+"/evidence", mw.FormDataContentType(), buf.Bytes())
}

func runDiskFull(ctx context.Context, cfg diskConfig) (rep diskReport, err error) {
	rep.engine = cfg.engine
	vol := filepath.Join(cfg.work, "vol")
	unmount, err := mountTmpfs(vol, cfg.sizeMiB)
	if err != nil {
		return rep, err
	}
	defer unmount()
	in, err := newInstance(ctx, cfg.antq, vol, cfg.engine, cfg.pg, "antq_disk")
	if err != nil {
		return rep, err
	}
	in.logPath = filepath.Join(cfg.work, "server.log") // the log is not on the full volume
	tok, err := loadFixture(ctx, in, cfg.work, 4)
	if err != nil {
		return rep, err
	}
	defer in.kill()
	if err := in.start(ctx); err != nil {
		return rep, err
	}
	c := newClient(in)
	unit := areaCode(1)
	logs := func() string { return "\nserver log tail:\n" + copyTail(in.logPath, 2000) }
	if st, body, err := c.do(ctx, tok.entry, "PUT", apiPlan+"/units/"+unit+"/registration", "application/json",
		[]byte(`{"registered_on":"2023-02-10","document":{"number":"DK-1","date":"2023-02-09","issuer":"Khu phố","title":"Đăng ký"}}`)); err != nil || st != http.StatusOK {
		return rep, fmt.Errorf("registration before the disk is full: %d %s %v", st, body, err)
	}
	put := func(reached int) (int, []byte, error) {
		return c.do(ctx, tok.entry, "PUT", apiPlan+"/units/"+unit+"/propaganda", "application/json",
			fmt.Appendf(nil, `{"reached":%d,"as_of":"2023-10-31"}`, reached))
	}
	if st, body, err := put(10); err != nil || st != http.StatusOK {
		return rep, fmt.Errorf("propaganda before the disk is full: %d %s %v", st, body, err)
	}
	// A running server has built its plans: the first read of the
	// indicators does it here, before the disk is full.
	if st, body, err := c.do(ctx, tok.entry, "GET", apiPlan+"/indicators?unit="+fixtureCommune, "", nil); err != nil || st != http.StatusOK {
		return rep, fmt.Errorf("indicators before the disk is full: %d %s %v", st, body, err)
	}
	evidenceCount := func() (int, error) {
		var f struct {
			Evidence []json.RawMessage `json:"evidence"`
		}
		err := c.getJSON(ctx, tok.entry, apiPlan+"/units/"+unit, &f)
		return len(f.Evidence), err
	}
	before, err := evidenceCount()
	if err != nil {
		return rep, err
	}
	// A large unit file, outside the volume, for the import.
	var big strings.Builder
	big.WriteString("level,code,name,type,parent_code,households\n")
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&big, "residential_area,%s-TO%05d,Tổ dân phố số %d có tên dài để chiếm chỗ,Tổ dân phố,%s,%d\n", fixtureCommune, i, i, fixtureCommune, 100+i%50)
	}
	bigFile := filepath.Join(cfg.work, "big.csv")
	if err := os.WriteFile(bigFile, []byte(big.String()), 0o600); err != nil {
		return rep, err
	}

	// Full.
	filler := filepath.Join(vol, "filler")
	if err := fill(filler); err != nil {
		return rep, err
	}
	var problems []string
	st, body, err := c.upload(ctx, tok.entry, unit, pdfOf(1<<20))
	if err != nil {
		return rep, fmt.Errorf("upload on a full disk: %w%s", err, logs())
	}
	rep.uploadRefused = st == http.StatusInsufficientStorage
	var answer struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(body, &answer)
	rep.message = answer.Error.Message
	if !rep.uploadRefused || !strings.Contains(rep.message, "hết dung lượng") {
		problems = append(problems, fmt.Sprintf("upload on a full disk answered %d %s, want 507 saying the disk is full", st, body))
	}
	if n, err := evidenceCount(); err != nil || n != before {
		problems = append(problems, fmt.Sprintf("after the refused upload the unit lists %d evidence files (%v), want %d", n, err, before))
	}
	if _, left, err := checkFiles(in.filesDir()); err != nil || left > 0 {
		problems = append(problems, fmt.Sprintf("the refused upload left %d temporary files (%v)", left, err))
	}
	rep.factWhileFull, body, err = put(11)
	if err != nil || (rep.factWhileFull != http.StatusOK && rep.factWhileFull != http.StatusInsufficientStorage) {
		problems = append(problems, fmt.Sprintf("a fact write on a full disk answered %d %s (%v), want 200 or 507", rep.factWhileFull, body, err))
	}
	if st, _, err := c.do(ctx, tok.entry, "GET", apiPlan+"/indicators?unit="+fixtureCommune, "", nil); err != nil || st != http.StatusOK {
		problems = append(problems, fmt.Sprintf("a read on a full disk answered %d (%v)", st, err))
	}
	if cfg.engine == "sqlite" {
		out, err := in.run(ctx, "", "units", "import", "--valid-from", "2022-01-01", bigFile)
		rep.importRefused = err != nil && strings.Contains(err.Error(), "hết dung lượng")
		if !rep.importRefused {
			problems = append(problems, fmt.Sprintf("units import on a full disk: %v %s, want a failure saying the disk is full", err, out))
		}
	}

	// Space again: the same writes succeed, without a restart.
	if err := os.Remove(filler); err != nil {
		return rep, err
	}
	time.Sleep(100 * time.Millisecond)
	rep.uploadAfter, body, err = c.upload(ctx, tok.entry, unit, pdfOf(1<<20))
	if err != nil || rep.uploadAfter != http.StatusCreated && rep.uploadAfter != http.StatusOK {
		problems = append(problems, fmt.Sprintf("upload after space returned: %d %s %v", rep.uploadAfter, body, err))
	}
	rep.factAfter, body, err = put(12)
	if err != nil || rep.factAfter != http.StatusOK {
		problems = append(problems, fmt.Sprintf("fact write after space returned: %d %s %v", rep.factAfter, body, err))
	}
	var facts struct {
		Propaganda *struct {
			Reached int `json:"reached"`
		} `json:"propaganda"`
	}
	if err := c.getJSON(ctx, tok.entry, apiPlan+"/units/"+unit, &facts); err != nil || facts.Propaganda == nil || facts.Propaganda.Reached != 12 {
		problems = append(problems, fmt.Sprintf("propaganda after space returned: %+v (%v), want 12", facts.Propaganda, err))
	}
	if cfg.engine == "sqlite" {
		in.stop() // the import and the server would share the one writer
		_, err := in.run(ctx, "", "units", "import", "--valid-from", "2022-01-01", bigFile)
		rep.importedAfter = err == nil
		if err != nil {
			problems = append(problems, fmt.Sprintf("units import after space returned: %v", err))
		}
	}
	in.stop()
	o, err := checkOffline(ctx, in, 0)
	rep.auditRecords, rep.files, rep.leftover = o.auditRecords, o.files, o.leftovers
	if err != nil {
		problems = append(problems, "offline checks: "+err.Error())
	}
	if len(problems) > 0 {
		return rep, fmt.Errorf("%s: %s%s", cfg.engine, strings.Join(problems, "; "), logs())
	}
	return rep, nil
}
