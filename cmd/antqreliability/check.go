package main

// The checks after a crash. verifyWrites compares the running server with
// what the writers remember; checkOffline looks at the stopped instance:
// SQLite's integrity and foreign-key checks, the audit chain, the
// maintained figures against a rebuild, and the evidence files' hashes.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// forgetUnlisted removes from sent the records the server does not list,
// calling lost for each of them that was acknowledged (an acknowledged write
// the server lost), and returns how many acknowledged records it lists.
func forgetUnlisted[R any](sent map[string]R, listed map[string]bool, acked func(R) bool, lost func(key string, rec R)) int64 {
	kept := int64(0)
	for key, rec := range sent {
		if listed[key] {
			if acked(rec) {
				kept++
			}
			continue
		}
		if acked(rec) {
			lost(key, rec)
		}
		delete(sent, key)
	}
	return kept
}

type factsView struct {
	Registration *struct {
		RegisteredOn string `json:"registered_on"`
	} `json:"registration"`
	Propaganda *struct {
		Reached int64 `json:"reached"`
	} `json:"propaganda"`
	Models []struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Members int64  `json:"members"`
	} `json:"models"`
	Evidence []struct {
		ID     int64  `json:"id"`
		SHA256 string `json:"sha256"`
		Size   int64  `json:"size"`
	} `json:"evidence"`
}

// verifyWrites reads every unit back and compares it with what was
// acknowledged and attempted. Afterwards each unit's record is what the
// server holds, so the next cycle starts from known ground. rng picks the
// sample of older evidence files downloaded again.
func (w *workload) verifyWrites(ctx context.Context, rng *rand.Rand) error {
	var errs []error
	for _, u := range w.units() {
		if err := w.verifyUnit(ctx, rng, u); err != nil {
			errs = append(errs, fmt.Errorf("unit %s: %w", u.code, err))
		}
	}
	return errors.Join(errs...)
}

func (w *workload) verifyUnit(ctx context.Context, rng *rand.Rand, u *unitState) error {
	var f factsView
	if err := w.c.getJSON(ctx, w.tok.reviewer, apiPlan+"/units/"+u.code, &f); err != nil {
		return err
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	checked := int64(0)

	// Registration.
	switch {
	case u.regAcked && f.Registration == nil:
		bad("acknowledged registration lost")
	case f.Registration != nil && !u.regAttempted:
		bad("registration that was never sent")
	case f.Registration != nil && f.Registration.RegisteredOn != "2023-02-10":
		bad("registration date %s, sent 2023-02-10", f.Registration.RegisteredOn)
	}
	if u.regAcked {
		checked++
	}
	u.regAcked = f.Registration != nil
	u.regAttempted = u.regAcked

	// Propaganda: between the last acknowledged and the last attempted.
	got := int64(0)
	if f.Propaganda != nil {
		got = f.Propaganda.Reached
	}
	if got < u.propAcked || got > max(u.propTried, u.propAcked) {
		bad("propaganda reached %d, acknowledged %d, last sent %d", got, u.propAcked, u.propTried)
	}
	if u.propAcked > 0 {
		checked++
	}
	u.propAcked, u.propTried = got, got

	// Models: every acknowledged one with its content; none unknown.
	onServer := map[string]bool{}
	for _, m := range f.Models {
		onServer[m.Name] = true
		rec, ok := u.models[m.Name]
		switch {
		case !ok:
			bad("model %q (id %d) that was never sent", m.Name, m.ID)
			continue
		case rec.acked && (rec.id != m.ID || rec.members != m.Members):
			bad("model %q is id %d with %d members, acknowledged id %d with %d", m.Name, m.ID, m.Members, rec.id, rec.members)
		case !rec.acked && rec.members != m.Members:
			bad("model %q has %d members, sent %d", m.Name, m.Members, rec.members)
		}
		rec.id, rec.acked = m.ID, true
	}
	checked += forgetUnlisted(u.models, onServer, func(m *modelRec) bool { return m.acked }, func(name string, m *modelRec) {
		bad("acknowledged model %q (id %d) lost", name, m.id)
	})

	// Evidence: every acknowledged file listed with its hash; new ones and
	// a sample of the older ones downloaded and hashed.
	listed := map[string]bool{}
	for _, e := range f.Evidence {
		listed[e.SHA256] = true
		rec, ok := u.evidence[e.SHA256]
		if !ok {
			bad("evidence %d (%s) that was never sent", e.ID, e.SHA256)
			continue
		}
		if rec.acked && rec.id != e.ID {
			bad("evidence %s is id %d, acknowledged as id %d", e.SHA256, e.ID, rec.id)
		}
		if e.Size != int64(rec.size) {
			bad("evidence %d is %d bytes, sent %d", e.ID, e.Size, rec.size)
		}
		rec.id, rec.acked = e.ID, true
		if !rec.verified || rng.IntN(20) == 0 {
			if err := w.download(ctx, u.code, e.ID, e.SHA256); err != nil {
				bad("%v", err)
			}
			rec.verified = true
		}
	}
	checked += forgetUnlisted(u.evidence, listed, func(e *evidenceRec) bool { return e.acked }, func(sum string, e *evidenceRec) {
		bad("acknowledged evidence %d (%s) lost", e.id, sum)
	})

	// Dossier: the acknowledged step, or the one attempted after it.
	if w.noDossiers {
		w.stats.checked.Add(checked)
		return errors.Join(errs...)
	}
	var d dossierView
	if err := w.c.getJSON(ctx, w.tok.reviewer, apiPlan+"/units/"+u.code+"/dossiers/recognition", &d); err != nil {
		return err
	}
	at := -1
	for i := len(u.steps) - 1; i >= u.stepAcked; i-- {
		if u.steps[i].matches(&d) {
			at = i
			break
		}
	}
	if at < 0 {
		exp := u.steps[u.stepAcked]
		bad("dossier is %s (document %q, decision %q); acknowledged %s → %s (document %q, decision %q)",
			d.State, d.firstDoc(), decisionOf(&d), exp.action, exp.state, exp.doc, exp.decision)
	} else {
		if u.stepAcked > 0 {
			checked++
		}
		u.stepAcked = at
	}
	u.steps = u.steps[:u.stepAcked+1]
	w.stats.checked.Add(checked)
	return errors.Join(errs...)
}

func decisionOf(d *dossierView) string {
	if d.Decision == nil {
		return ""
	}
	return d.Decision.Number
}

func (s dossierStep) matches(d *dossierView) bool {
	if d.State != s.state {
		return false
	}
	if s.doc != "" && d.requiresDocuments() && d.firstDoc() != s.doc {
		return false
	}
	if s.state == "decided" && decisionOf(d) != s.decision {
		return false
	}
	return true
}

// download fetches an evidence file and compares its SHA-256.
func (w *workload) download(ctx context.Context, code string, id int64, sum string) error {
	status, body, err := w.c.do(ctx, w.tok.reviewer, "GET", fmt.Sprintf("%s/units/%s/evidence/%d", apiPlan, code, id), "", nil)
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("evidence %d: download = %d %s", id, status, body)
	}
	h := sha256.Sum256(body)
	if got := hex.EncodeToString(h[:]); got != sum {
		return fmt.Errorf("evidence %d: downloaded content hashes to %s, stored as %s", id, got, sum)
	}
	w.stats.downloads.Add(1)
	return nil
}

// offline is what checkOffline found.
type offline struct {
	auditRecords int // records the audit chain verification walked
	files        int // evidence files hashed
	leftovers    int // temporary upload files left by a killed upload
}

var auditChecked = regexp.MustCompile(`(\d+) bản ghi`)

// checkOffline checks the stopped instance. minAudit is a lower bound on
// the audit records (one per acknowledged write at least).
func checkOffline(ctx context.Context, in *instance, minAudit int64) (offline, error) {
	var o offline
	var errs []error
	if in.engine() == "sqlite" {
		if err := sqliteIntegrity(ctx, in.sqlitePath()); err != nil {
			errs = append(errs, err)
		}
	}
	out, err := in.run(ctx, "", "audit", "verify")
	if err != nil {
		errs = append(errs, fmt.Errorf("audit chain: %w", err))
	} else if m := auditChecked.FindStringSubmatch(out); m == nil {
		errs = append(errs, fmt.Errorf("audit verify: cannot read the number of records in %q", out))
	} else {
		o.auditRecords, _ = strconv.Atoi(m[1])
		if int64(o.auditRecords) < minAudit {
			errs = append(errs, fmt.Errorf("audit chain has %d records, fewer than the %d acknowledged writes", o.auditRecords, minAudit))
		}
	}
	if _, err := in.run(ctx, "", "rebuild", "--plan", planID, "--check"); err != nil {
		errs = append(errs, fmt.Errorf("figures: %w", err))
	}
	o.files, o.leftovers, err = checkFiles(in.filesDir())
	if err != nil {
		errs = append(errs, err)
	}
	return o, errors.Join(errs...)
}

// sqliteIntegrity runs SQLite's integrity and foreign-key checks on the
// file (the server is stopped: opening it also replays the WAL, as the
// next start would).
func sqliteIntegrity(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	var msgs []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		msgs = append(msgs, s)
	}
	rows.Close()
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("integrity check: %s", strings.Join(msgs, "; "))
	}
	rows, err = db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		return errors.New("foreign key check: violations")
	}
	return rows.Err()
}

// checkFiles hashes every evidence file (files/ab/abcdef…): its content
// must hash to its name. Temporary files of killed uploads are counted.
func checkFiles(dir string) (files, leftovers int, err error) {
	var bad []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, "upload-") || strings.HasPrefix(name, "probe-") {
			leftovers++
			return nil
		}
		if name == "national-id.key" { // the key of the national ID hashes, not evidence
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		files++
		if got := hex.EncodeToString(h.Sum(nil)); got != name || filepath.Base(filepath.Dir(path)) != name[:min(2, len(name))] {
			bad = append(bad, fmt.Sprintf("%s hashes to %s", path, got))
		}
		return nil
	})
	if err == nil && len(bad) > 0 {
		err = fmt.Errorf("evidence files: %s", strings.Join(bad, "; "))
	}
	return files, leftovers, err
}
