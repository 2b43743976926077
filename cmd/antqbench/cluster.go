package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"antq"
	"antq/cluster"
	"antq/demo"
	"antq/rules"
	"antq/store"
)

// runClusterBench measures a cluster's ranking at nation scale (issue 14):
// a cụm of 30 provinces of the nation demo, scored on a sheet whose computed
// criteria read the official figures of each member's whole subtree (the
// 2025 plan), ranked by store.ClusterRanking. The baseline, measured
// interleaved in the same run on the same database, is one indicators read
// of the nation (store.Indicators: the nation and its 34 children). The
// issue's bar: the same order of time.
func runClusterBench(ctx context.Context, e *env, args []string) error {
	fs := newBenchFlags(e, "cluster", "a database antq_bench_<random> is created and dropped")
	antqBin := fs.antqFlag(e, "antq binary (built when missing); it builds the nation with 'antq demo --scale nation'")
	requests := fs.Int("requests", 200, "reads per series")
	members := fs.Int("members", 30, "members of the cluster (provinces of the nation)")
	existing := fs.String("db", "", "use this database holding the nation demo instead of building one (one engine)")
	keep := fs.Bool("keep", false, "keep the temporary directory (SQLite database)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, done, err := startBench(e, "cluster", *keep)
	if err != nil {
		return err
	}
	defer done()
	header := []string{"engine", "measure", "p50", "p99", "one indicators read of the nation (baseline) p50, p99", "ranking ÷ baseline (p50, p99)"}
	var rows [][]string
	for _, engine := range strings.Split(*fs.engines, ",") {
		engine = strings.TrimSpace(engine)
		dsn := *existing
		if dsn == "" {
			var drop func()
			if dsn, _, drop, err = demoDatabase(ctx, e, *antqBin, *fs.postgres, engine, dir, "nation"); err != nil {
				return err
			}
			defer drop()
		}
		db, err := openStore(ctx, dsn, store.Options{NoEvidence: true}, false)
		if err != nil {
			return err
		}
		ranking, base, err := clusterSeries(ctx, db, *members, *requests)
		db.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		rows = append(rows, []string{engine, fmt.Sprintf("ranking of a cụm of %d provinces (store.ClusterRanking)", *members),
			ms(ranking, 50), ms(ranking, 99), ms(base, 50) + ", " + ms(base, 99),
			ratio(ranking, base, 50) + ", " + ratio(ranking, base, 99)})
	}
	table(e.stdout, header, rows)
	fs.printMarkdown(e.stdout, header, rows)
	return nil
}

// clusterSeries creates the cluster (a sheet for the 2025 plan, loaded
// from the embedded cụm sheet) and reads its ranking and the nation's
// indicators interleaved, n times each.
func clusterSeries(ctx context.Context, db *store.DB, members, n int) (ranking, base []time.Duration, err error) {
	sys := antq.SystemContext(ctx)
	_, body, err := rules.EmbeddedSheet("binh-phuoc-cum-2023")
	if err != nil {
		return nil, nil, err
	}
	body = bytes.Replace(body, []byte(`"id": "binh-phuoc-cum-2023"`), []byte(`"id": "bench-cum-2025"`), 1)
	body = bytes.Replace(body, []byte(`"plan": "binh-phuoc-2023"`), []byte(`"plan": "`+demo.NationPlanID+`"`), 1)
	if _, err := db.LoadSheet(sys, "bench-cum-2025.json", body); err != nil {
		return nil, nil, err
	}
	kind := antq.KindProvince
	_, provinces, _, err := db.Children(sys, demo.NationCode, antq.NewDate(2025, 12, 31), &kind, 0, 100)
	if err != nil {
		return nil, nil, err
	}
	if len(provinces) < members {
		return nil, nil, fmt.Errorf("the nation has %d provinces, fewer than %d members", len(provinces), members)
	}
	code, name, year, ck, org, sheet := fmt.Sprintf("bench-%d", time.Now().UnixNano()), "Cụm thử tải", 2025, cluster.KindCum, demo.NationCode, "bench-cum-2025"
	in := cluster.Input{Code: &code, Name: &name, Year: &year, Kind: &ck, Organiser: &org, Sheet: &sheet, Head: &provinces[0].Code}
	for _, p := range provinces[:members] {
		in.Members = append(in.Members, cluster.MemberInput{Code: p.Code, JoinedOn: demo.ReformDate})
	}
	c, err := db.CreateCluster(sys, in)
	if err != nil {
		return nil, nil, err
	}
	// Warm both paths once.
	if _, err := db.ClusterRanking(sys, c.ID); err != nil {
		return nil, nil, err
	}
	if _, err := db.Indicators(sys, demo.NationPlanID, demo.NationCode); err != nil {
		return nil, nil, err
	}
	for range n {
		t0 := time.Now()
		r, err := db.ClusterRanking(sys, c.ID)
		if err != nil {
			return nil, nil, err
		}
		ranking = append(ranking, time.Since(t0))
		if len(r.Rows) != members {
			return nil, nil, fmt.Errorf("ranking has %d rows, want %d", len(r.Rows), members)
		}
		t0 = time.Now()
		if _, err := db.Indicators(sys, demo.NationPlanID, demo.NationCode); err != nil {
			return nil, nil, err
		}
		base = append(base, time.Since(t0))
	}
	return ranking, base, nil
}
