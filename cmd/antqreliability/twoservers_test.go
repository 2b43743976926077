package main

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// nginxBinary is nginx from ANTQ_TEST_NGINX or the PATH; the test is
// mandatory with ANTQ_TEST_REQUIRE_NGINX (as .ci/run sets it).
func nginxBinary(t *testing.T) string {
	t.Helper()
	name := os.Getenv("ANTQ_TEST_NGINX")
	if name == "" {
		name = "nginx"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("ANTQ_TEST_REQUIRE_NGINX") != "" {
			t.Fatalf("ANTQ_TEST_REQUIRE_NGINX is set but nginx is not found: %v", err)
		}
		t.Skipf("nginx not found (%v): apt-get install nginx-light, or set ANTQ_TEST_NGINX", err)
	}
	return path
}

// Two servers on one PostgreSQL behind nginx: sessions and the throttle
// across both, no acknowledged write lost when one is killed mid-load, the
// offline checks clean afterwards.
func TestTwoServersShort(t *testing.T) {
	bin := buildAntq(t)
	_, pg := engines(t)
	if pg.admin == "" {
		t.Skip("two servers share a PostgreSQL database: set ANTQ_TEST_POSTGRES")
	}
	nginx := nginxBinary(t)
	rep, err := runTwoServers(t.Context(), twoConfig{antq: bin, work: t.TempDir(), nginx: nginx, pg: pg,
		writers: 4, areas: 16, load: 2 * time.Second, seed: uint64(time.Now().UnixNano())})
	t.Logf("%s", rep)
	if err != nil {
		t.Fatal(err)
	}
}
