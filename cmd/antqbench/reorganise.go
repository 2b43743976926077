package main

// antqbench reorganise: the whole official 2025 conversion table applied
// through the reorganise path (file read + store.Reorganise) on a database
// holding the 10,794 units of units-2024.csv, per engine.

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"antq"
	"antq/demo"
	"antq/store"
	"antq/unitfile"
)

func runReorganiseBench(ctx context.Context, e *env, args []string) error {
	f := newBenchFlags(e, "reorganise", "a database antq_bench_<random> is created and dropped")
	if err := f.Parse(args); err != nil {
		return err
	}
	old, err := demo.Units2024(antq.NewDate(2024, 1, 1))
	if err != nil {
		return err
	}
	rows, err := demo.Reform2025(demo.Reform2025Options{})
	if err != nil {
		return err
	}
	var file bytes.Buffer
	if err := demo.WriteReorgCSV(&file, rows); err != nil {
		return err
	}
	dir, done, err := workDir(e, "reorganise", false)
	if err != nil {
		return err
	}
	defer done()
	fmt.Fprintln(e.stdout, "machine:", machine())
	fmt.Fprintf(e.stdout, "official 2025 table: %d rows, %d bytes; base: %d units (units-2024.csv)\n", len(rows), file.Len(), len(old))
	header := []string{"engine", "read file", "apply", "total", "rows/s", "ended", "created", "events"}
	var out [][]string
	for _, engine := range strings.Split(*f.engines, ",") {
		dsn, drop, err := engineDatabase(ctx, engine, *f.postgres, filepath.Join(dir, engine+".db"))
		if err != nil {
			return err
		}
		row, err := func() ([]string, error) {
			defer drop()
			db, err := openStore(ctx, dsn, store.Options{NoEvidence: true}, true)
			if err != nil {
				return nil, err
			}
			defer db.Close()
			sys := antq.SystemContext(ctx)
			if _, err := db.ImportUnits(sys, "units-2024.csv", old); err != nil {
				return nil, err
			}
			start := time.Now()
			read, err := unitfile.ReadReorganisation("reform-2025.csv", bytes.NewReader(file.Bytes()))
			if err != nil {
				return nil, err
			}
			readTime := time.Since(start)
			res, err := db.Reorganise(sys, "reform-2025.csv", read)
			if err != nil {
				return nil, err
			}
			total := time.Since(start)
			return []string{engine, fmt.Sprintf("%.2f s", readTime.Seconds()), fmt.Sprintf("%.2f s", res.Duration.Seconds()),
				fmt.Sprintf("%.2f s", total.Seconds()), fmt.Sprintf("%.0f", float64(res.Rows)/total.Seconds()),
				fmt.Sprint(res.Ended), fmt.Sprint(res.Created), fmt.Sprint(res.Events)}, nil
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		out = append(out, row)
	}
	table(e.stdout, header, out)
	f.printMarkdown(e.stdout, header, out)
	return nil
}
