package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// No form asks for a date with the browser's own date control: it shows
// the browser's locale (mm/dd/yyyy on an English browser) and the pages
// promise dd/mm/yyyy whatever the locale (issue 16 item 10). Every date
// field is a text field with the dd/mm/yyyy pattern, as the facts forms.
func TestDateFieldsAreDayMonthYear(t *testing.T) {
	dateInput := regexp.MustCompile(`<input[^>]*type="date"[^>]*>`)
	n := 0
	err := fs.WalkDir(assetsFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(assetsFS, path)
		if err != nil {
			return err
		}
		for _, m := range dateInput.FindAllString(string(b), -1) {
			t.Errorf("%s: a browser date control: %s", path, m)
		}
		n += strings.Count(string(b), `placeholder="ngày/tháng/năm"`)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("only %d dd/mm/yyyy date fields in the templates", n)
	}
}
