package main_test

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The admission limits and the memory limit come from the environment (as
// the README's configuration table says); a bad value stops the server
// with the variable named, a good one is what the server runs with.
func TestServeLimitsConfiguration(t *testing.T) {
	for _, c := range []struct{ env, want string }{
		{"ANTQ_MAX_READS=nhiều", "ANTQ_MAX_READS"},
		{"ANTQ_MAX_WRITES=0", "ANTQ_MAX_WRITES"},
		{"ANTQ_QUEUE_WAIT=1 giây", "ANTQ_QUEUE_WAIT"},
		{"ANTQ_MEMORY_LIMIT=1GB", "memory-limit"},
	} {
		_, errOut, code := cli(t, []string{"ANTQ_DATA=" + t.TempDir(), "ANTQ_ADDR=127.0.0.1:0", c.env}, "", "serve")
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("serve with %s: exit %d, stderr %q; want a failure naming %s", c.env, code, errOut, c.want)
		}
	}

	cmd := exec.Command(antqBin, "serve")
	cmd.Env = append(os.Environ(), "ANTQ_DATA="+t.TempDir(), "ANTQ_ADDR=127.0.0.1:0",
		"ANTQ_MAX_READS=7", "ANTQ_MAX_WRITES=3", "ANTQ_MAX_EXPORTS=2", "ANTQ_MAX_LOGINS=5", "ANTQ_MEMORY_LIMIT=512MiB")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(time.Minute)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("serve exited before saying it serves")
			}
			if !strings.Contains(line, "msg=serving") {
				continue
			}
			for _, want := range []string{"memory_limit=536870912", "max_reads=7", "max_writes=3", "max_exports=2", "max_logins=5"} {
				if !strings.Contains(line, want) {
					t.Errorf("serving line %q lacks %s", line, want)
				}
			}
			return
		case <-timeout:
			t.Fatal("serve did not start within a minute")
		}
	}
}
