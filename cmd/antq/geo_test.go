package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// antq geo import: a broken file loads nothing and names the feature and
// the reason; the date is required; the districts of Bình Phước load,
// simplified, and the codes without a unit are listed.
func TestCLIGeoImport(t *testing.T) {
	data := t.TempDir()
	env := []string{"ANTQ_DATA=" + data}
	bad := filepath.Join(data, "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"689"},"geometry":{"type":"Polygon","coordinates":[[[106,11],[107,11],[107,12],[106,11]]]}},
{"type":"Feature","properties":{"code":"693"},"geometry":{"type":"Polygon","coordinates":[[[106,11],[107,11],[107,12],[106,12]]]}}]}`), 0o644)
	if _, errOut, code := cli(t, env, "", "geo", "import", "--valid-from", "2019-10-01", bad); code != 2 ||
		!strings.Contains(errOut, "bad.geojson") || !strings.Contains(errOut, "đối tượng thứ 2 (mã 693)") || !strings.Contains(errOut, "không khép kín") {
		t.Fatalf("broken file: exit %d, stderr %q", code, errOut)
	}
	good := filepath.Join("..", "..", "demo", "data", "geo", "binh-phuoc-districts-2024.geojson")
	if _, errOut, code := cli(t, env, "", "geo", "import", good); code != 2 || !strings.Contains(errOut, "valid-from") {
		t.Fatalf("without --valid-from: exit %d, stderr %q", code, errOut)
	}
	out, errOut, code := cli(t, env, "", "geo", "import", "--valid-from", "2019-10-01", "--valid-to", "2025-06-30", good)
	if code != 0 || !strings.Contains(out, "Đã nạp 11 ranh giới") || !strings.Contains(out, "từ 4525") || !strings.Contains(out, "Chưa có đơn vị trong thời gian hiệu lực cho 11 mã: 688, 689") {
		t.Fatalf("districts: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
