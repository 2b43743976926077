package main

import "testing"

func TestRunAuthBenchTemp(t *testing.T) {
	if err := benchAuth([]string{"--markdown", "--antq", "./bin/antq"}); err != nil {
		t.Fatal(err)
	}
}
