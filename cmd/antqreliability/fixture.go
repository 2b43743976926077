package main

// The fixture every harness starts from: a small province loaded through
// the command line (units import), the embedded plan binh-phuoc-2023, and
// three accounts so that no one submits, reviews and decides the same
// dossier: a commune's data entry, a district reviewer and a district
// decider, each with an API token.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const planID = "binh-phuoc-2023"

// fixtureCommune is the commune whose residential areas the writers work on.
const fixtureCommune = "25195"

// fixtureCSV is the unit file: province, district, commune and n
// residential areas with large household counts (propaganda figures go up
// by one at every write).
func fixtureCSV(areas int) string {
	var b strings.Builder
	b.WriteString("level,code,name,type,parent_code,households\n")
	b.WriteString("province,70,Tỉnh Bình Phước,Tỉnh,,\n")
	b.WriteString("district,689,Thành phố Đồng Xoài,Thành phố,70,\n")
	fmt.Fprintf(&b, "commune,%s,Phường Tân Phú,Phường,689,%d\n", fixtureCommune, 1_000_000)
	for i := 1; i <= areas; i++ {
		fmt.Fprintf(&b, "residential_area,%s,Khu phố %d,Khu phố,%s,%d\n", areaCode(i), i, fixtureCommune, 1_000_000)
	}
	return b.String()
}

func areaCode(i int) string { return fmt.Sprintf("%s-KP%03d", fixtureCommune, i) }

// accounts of the fixture, with their roles and units.
var fixtureAccounts = []struct{ username, role, unit string }{
	{"nhaplieu", "data_entry", fixtureCommune},
	{"thamdinh", "reviewer", "689"},
	{"quyetdinh", "reviewer", "689"},
}

// tokens are the API tokens of the fixture's accounts.
type tokens struct{ entry, reviewer, decider string }

// newFixtureInstance makes a fresh instance in dir (see newInstance) and
// loads the fixture of areas residential areas into it (see loadFixture),
// writing the fixture's file in fixtureDir.
func newFixtureInstance(ctx context.Context, bin, dir, engine string, pg *pgServer, prefix, fixtureDir string, areas int) (*instance, tokens, error) {
	in, err := newInstance(ctx, bin, dir, engine, pg, prefix)
	if err != nil {
		return nil, tokens{}, err
	}
	tok, err := loadFixture(ctx, in, fixtureDir, areas)
	if err != nil {
		return nil, tokens{}, err
	}
	return in, tok, nil
}

// loadFixture imports the units and creates the accounts and their tokens
// through the command line of in.
func loadFixture(ctx context.Context, in *instance, dir string, areas int) (tokens, error) {
	file := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(file, []byte(fixtureCSV(areas)), 0o600); err != nil {
		return tokens{}, err
	}
	if _, err := in.run(ctx, "", "units", "import", "--valid-from", "2022-01-01", file); err != nil {
		return tokens{}, err
	}
	var got []string
	for _, a := range fixtureAccounts {
		if _, err := in.run(ctx, "mật khẩu thử nghiệm "+a.username+"\n", "user", "add", "--username", a.username,
			"--role", a.role, "--unit", a.unit, "--password-stdin"); err != nil {
			return tokens{}, err
		}
		out, err := in.run(ctx, "", "token", "create", "--username", a.username, "--name", "reliability")
		if err != nil {
			return tokens{}, err
		}
		tok := strings.TrimSpace(out)
		if !strings.HasPrefix(tok, "antq_") {
			return tokens{}, fmt.Errorf("token create %s printed %q", a.username, out)
		}
		got = append(got, tok)
	}
	return tokens{entry: got[0], reviewer: got[1], decider: got[2]}, nil
}
