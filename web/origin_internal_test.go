package web

import "testing"

func TestSameOriginAs(t *testing.T) {
	for _, tt := range []struct {
		origin, scheme, host string
		want                 bool
	}{
		{"http://antq.example", "http", "antq.example", true},
		{"HTTP://ANTQ.example", "http", "antq.example", true},
		{"http://antq.example:80", "http", "antq.example", true},
		{"https://antq.example", "https", "antq.example:443", true},
		{"https://[::1]", "https", "[::1]:443", true},
		{"http://127.0.0.1:8080", "http", "127.0.0.1:8080", true},
		{"https://antq.example", "http", "antq.example", false},
		{"http://antq.example", "https", "antq.example", false},
		{"https://antq.example:8443", "https", "antq.example", false},
		{"http://127.0.0.1:8081", "http", "127.0.0.1:8080", false},
		{"http://antq.example.evil", "http", "antq.example", false},
		{"http://user@antq.example", "http", "antq.example", false},
		{"http://antq.example/", "http", "antq.example", false},
		{"null", "http", "antq.example", false},
		{"antq.example", "http", "antq.example", false},
	} {
		if got := sameOriginAs(tt.origin, tt.scheme, tt.host); got != tt.want {
			t.Errorf("sameOriginAs(%q, %q, %q) = %v, want %v", tt.origin, tt.scheme, tt.host, got, tt.want)
		}
	}
}
