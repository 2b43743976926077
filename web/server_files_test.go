package web_test

import (
	"strings"
	"testing"

	"antq/store"
	"antq/store/storetest"
	"antq/web"
)

// TestServerNeedsFilesDirectory: the server takes evidence uploads, so it
// refuses a database opened without an evidence files directory instead of
// answering 500 on the first upload (issue 10, defect 1).
func TestServerNeedsFilesDirectory(t *testing.T) {
	db := storetest.OpenWith(t, store.SQLite, store.Options{NoEvidence: true})
	if _, err := web.NewServer(web.Options{DB: db}); err == nil || !strings.Contains(err.Error(), "files directory") {
		t.Fatalf("NewServer on a DB without a files directory: %v", err)
	}
	if _, err := web.NewServer(web.Options{DB: storetest.Open(t, store.SQLite)}); err != nil {
		t.Fatal(err)
	}
}
