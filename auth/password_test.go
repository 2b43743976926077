package auth

import (
	"context"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := NewHasher(Params{MemoryKiB: 1024, Time: 1, Threads: 1}, 2)
	ctx := context.Background()
	enc, err := h.Hash(ctx, "mật khẩu đủ dài 123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", enc)
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{{"mật khẩu đủ dài 123", true}, {"mật khẩu đủ dài 124", false}, {"", false}} {
		ok, err := h.Verify(ctx, enc, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	if ok, err := h.Verify(ctx, "", "x"); ok || err != nil {
		t.Errorf("Verify with no hash = %v, %v; want false, nil", ok, err)
	}
	if _, err := h.Verify(ctx, "$bcrypt$xx", "x"); err == nil {
		t.Error("Verify accepted a non-argon2id hash")
	}
}

func TestDefaultParamsMeetOWASPMinimum(t *testing.T) {
	// OWASP Password Storage Cheat Sheet: argon2id, m ≥ 19 MiB, t ≥ 2, p ≥ 1.
	if DefaultParams.MemoryKiB < 19*1024 || DefaultParams.Time < 2 || DefaultParams.Threads < 1 {
		t.Fatalf("DefaultParams %+v below the OWASP minimum", DefaultParams)
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken("antq_"), NewToken("antq_")
	if a == b || !strings.HasPrefix(a, "antq_") || len(a) < 40 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if HashToken(a) == HashToken(b) || len(HashToken(a)) != 64 {
		t.Fatal("token hashes")
	}
}
