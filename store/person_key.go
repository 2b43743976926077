package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// idKeyFile is the key of the national ID hashes, in the files directory
// (never in the database: with the key beside the hashes, the 10^12 possible
// numbers could be tried one by one). Back it up with the files; without
// it the numbers on file can no longer be matched.
const idKeyFile = "national-id.key"

// nationalIDHash is the keyed hash (HMAC-SHA256) of a normalised national
// ID number: equal numbers give equal hashes, so a number typed in can be
// matched, but the hashes list no number.
func (db *DB) nationalIDHash(number string) (string, error) {
	key, err := db.loadIDKey()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(number))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// loadIDKey reads the key, creating it (32 random bytes, mode 0600) the
// first time a number is hashed.
func (db *DB) loadIDKey() ([]byte, error) {
	db.idKeyMu.Lock()
	defer db.idKeyMu.Unlock()
	if db.idKey != nil {
		return db.idKey, nil
	}
	if db.filesDir == "" {
		return nil, errors.New("national ID key: opened without a files directory")
	}
	path := filepath.Join(db.filesDir, idKeyFile)
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("national ID key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) { // another process wrote it first
			return db.readIDKey(path)
		} else if err != nil {
			return nil, fmt.Errorf("national ID key: %w", err)
		}
		if _, err := f.Write(key); err != nil {
			f.Close()
			return nil, fmt.Errorf("national ID key: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("national ID key: %w", err)
		}
		db.idKey = key
		return key, nil
	} else if err != nil {
		return nil, fmt.Errorf("national ID key: %w", err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("national ID key %s: %d bytes, want 32", path, len(key))
	}
	db.idKey = key
	return key, nil
}

func (db *DB) readIDKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("national ID key %s: unreadable (%v)", path, err)
	}
	db.idKey = key
	return key, nil
}
