package store

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// BackupFilesDir is where a backup written to path keeps the evidence files
// its database refers to: path + ".files", laid out like the files
// directory (ab/abcdef…).
func BackupFilesDir(path string) string { return path + ".files" }

// backupFiles copies every evidence file the database knows into the
// backup's files directory, checking each hash on the way. It runs after
// the database copy: files are never removed and a file is in place before
// the row naming it commits, so every file the copy names is there (the
// live list may name a few more, which is harmless).
func (db *DB) backupFiles(ctx context.Context, path string) error {
	sums, err := evidenceHashes(ctx, db.read)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if len(sums) > 0 && db.filesDir == "" {
		return errors.New("backup: the database has evidence files but was opened without a files directory")
	}
	dir := BackupFilesDir(path)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, sum := range sums {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := copyEvidenceFile(db.filePath(sum), dir, sum); err != nil {
			return fmt.Errorf("backup: evidence file %s: %w", sum, err)
		}
	}
	// The national ID key goes with the files: without it the hashes the
	// copy holds could not be matched after a restore.
	if db.filesDir != "" {
		if err := copyKey(filepath.Join(db.filesDir, idKeyFile), filepath.Join(dir, idKeyFile)); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	return nil
}

// copyKey copies the national ID key, if there is one, with mode 0600.
func copyKey(src, dst string) error {
	key, err := os.ReadFile(src)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if len(key) != 32 {
		return fmt.Errorf("national ID key %s: %d bytes, want 32", src, len(key))
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// copyEvidenceFile copies src into dir/ab/sum through a temporary name,
// refusing content whose hash is not sum.
func copyEvidenceFile(src, dir, sum string) error {
	if !shaPattern.MatchString(sum) {
		return fmt.Errorf("bad hash %q", sum)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	sub := filepath.Join(dir, sum[:2])
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(sub, "copy-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), in); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("content hashes to %s", got)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(sub, sum))
}

// hashFile returns the SHA-256 of the file at p.
func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sqliteBackupHashes lists the evidence files a SQLite copy refers to.
func sqliteBackupHashes(ctx context.Context, path string) ([]string, error) {
	db, err := Open(ctx, path, Options{NoEvidence: true})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sums, err := evidenceHashes(ctx, db.read)
	if err != nil {
		return nil, fmt.Errorf("verify backup: %w", err)
	}
	return sums, nil
}

// evidenceHashes lists the hashes of the evidence files the database names.
func evidenceHashes(ctx context.Context, q querier) ([]string, error) {
	sums, err := queryColumn[string](ctx, q, `SELECT sha256 FROM files ORDER BY sha256`)
	if err != nil {
		return nil, fmt.Errorf("evidence files: %w", err)
	}
	return sums, nil
}

// archiveHashes reads the files table's rows out of a pg_dump archive
// (pg_restore prints them as COPY text: tab-separated, sha256 first).
func archiveHashes(ctx context.Context, path string) ([]string, error) {
	out, err := exec.CommandContext(ctx, "pg_restore", "--data-only", "--table=files", "--file=-", path).Output()
	if err != nil {
		return nil, fmt.Errorf("verify backup: pg_restore --table=files: %w", err)
	}
	var sums []string
	inCopy := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "COPY ") && strings.Contains(line, "files (sha256,"):
			inCopy = true
		case inCopy && line == `\.`:
			inCopy = false
		case inCopy:
			sums = append(sums, strings.SplitN(line, "\t", 2)[0])
		}
	}
	return sums, sc.Err()
}

// verifyBackupFiles checks that every file in sums is in the backup's files
// directory with the right content, or — when restoring over a files
// directory that survived — already in fallback.
func verifyBackupFiles(sums []string, dir, fallback string) error {
	for _, sum := range sums {
		if !shaPattern.MatchString(sum) {
			return fmt.Errorf("verify backup: bad evidence hash %q", sum)
		}
		got, err := hashFile(filepath.Join(dir, sum[:2], sum))
		if errors.Is(err, os.ErrNotExist) && fallback != "" {
			got, err = hashFile(filepath.Join(fallback, sum[:2], sum))
		}
		if err != nil {
			return fmt.Errorf("verify backup: evidence file %s: %w", sum, err)
		}
		if got != sum {
			return fmt.Errorf("verify backup: evidence file %s is damaged (content hashes to %s)", sum, got)
		}
	}
	return nil
}

// restoreFiles copies the backup's evidence files into filesDir, skipping
// those already there with the same size (the name is the content's hash).
func restoreFiles(sums []string, dir, filesDir string) error {
	for _, sum := range sums {
		src := filepath.Join(dir, sum[:2], sum)
		s, err := os.Stat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // verified present in filesDir already
		} else if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if d, err := os.Stat(filepath.Join(filesDir, sum[:2], sum)); err == nil && d.Size() == s.Size() {
			continue
		}
		if err := copyEvidenceFile(src, filesDir, sum); err != nil {
			return fmt.Errorf("restore: evidence file %s: %w", sum, err)
		}
	}
	// The restored database's national ID hashes are under the backup's key.
	if err := copyKey(filepath.Join(dir, idKeyFile), filepath.Join(filesDir, idKeyFile)); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
