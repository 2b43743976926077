package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"antq"
	"antq/xlsx"
)

// runExportBench measures the shared streaming XLSX writer (xlsx.Stream,
// behind every table export) on a table of --rows rows of ten columns
// (text, codes, dates, counts, shares), written to a file: wall time and
// the memory it needs beyond what the process held before (peak resident
// set and peak Go heap). Target (issue 19): 100,000 rows in ≤ 5 s with
// ≤ 150 MiB extra memory. Baseline in the same run: the same rows as CSV
// through encoding/csv.
func runExportBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("antqbench export", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	rows := fs.Int("rows", 100_000, "rows of the table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "antqbench-export")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	table := benchTable(*rows)
	var results [][]string
	for _, run := range []struct {
		name  string
		write func(w io.Writer) error
	}{
		{"CSV baseline (encoding/csv)", func(w io.Writer) error { return writeBenchCSV(w, table) }},
		{"XLSX streamed (xlsx.Stream)", func(w io.Writer) error { return xlsx.Stream(w, table) }},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		path := filepath.Join(dir, "table")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		before := rssKiB()
		var peak memPeak
		peak.start()
		heapBefore := peak.heap.Load()
		cpu0 := cpuTime()
		start := time.Now()
		bw := bufio.NewWriterSize(f, 256<<10)
		err = run.write(bw)
		if err == nil {
			err = bw.Flush()
		}
		wall := time.Since(start)
		cpu := cpuTime() - cpu0
		p := peak.stop("export")
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", run.name, err)
		}
		st, _ := os.Stat(path)
		extra := p.RSSMiB - float64(before)/1024
		heapExtra := p.HeapMiB - float64(heapBefore)/(1<<20)
		result := "—"
		if run.name[0] == 'X' {
			result = "met"
			if wall > 5*time.Second || extra > 150 {
				result = "NOT MET"
			}
		}
		results = append(results, []string{run.name, strconv.Itoa(*rows), fmt.Sprintf("%.2f", wall.Seconds()), fmt.Sprintf("%.2f", cpu.Seconds()),
			fmt.Sprintf("%.0f", float64(*rows)/wall.Seconds()), fmt.Sprintf("%.1f", float64(st.Size())/(1<<20)),
			fmt.Sprintf("%.0f", extra), fmt.Sprintf("%.0f", heapExtra), "≤ 5 s, ≤ 150 MiB", result})
	}
	header := []string{"writer", "rows", "seconds", "CPU seconds", "rows/s", "file MiB", "extra RSS MiB", "extra heap MiB", "target", "result"}
	tableOut(e.stdout, header, results)
	return nil
}

func tableOut(w io.Writer, header []string, rows [][]string) {
	table(w, header, rows)
	fmt.Fprintln(w)
	markdownTable(w, header, rows)
}

// benchTable is a failing-list-like table of n synthetic units.
func benchTable(n int) xlsx.Table {
	day := antq.MustDate("2023-03-15")
	return xlsx.Table{Sheet: "Đơn vị chưa đạt", Title: "Đơn vị chưa đạt chỉ tiêu — bảng thử nghiệm", Subtitle: "antqbench export",
		Columns: []xlsx.Column{{Title: "STT", Kind: xlsx.ColNumber}, {Title: "Mã"}, {Title: "Đơn vị"}, {Title: "Loại hình"}, {Title: "Trực thuộc"},
			{Title: "Ngày đăng ký", Kind: xlsx.ColDate}, {Title: "Đã tuyên truyền", Kind: xlsx.ColNumber}, {Title: "Tổng số", Kind: xlsx.ColNumber},
			{Title: "Tỷ lệ", Kind: xlsx.ColPercent}, {Title: "Lý do"}},
		Rows: func(emit func(...any) error) error {
			for i := 0; i < n; i++ {
				reached, total := int64(300+i%200), int64(500)
				if err := emit(i+1, fmt.Sprintf("%05d-KDC%02d", 25000+i/20, i%20+1), fmt.Sprintf("Khu dân cư số %d", i%20+1), "Khu phố",
					fmt.Sprintf("Phường %d", i/20), day.AddDays(i%60), reached, total, float64(reached)/float64(total),
					"Tuyên truyền dưới 85% số hộ"); err != nil {
					return err
				}
			}
			return nil
		}}
}

func writeBenchCSV(w io.Writer, t xlsx.Table) error {
	cw := csv.NewWriter(w)
	rec := make([]string, len(t.Columns))
	err := t.Rows(func(values ...any) error {
		for i, v := range values {
			switch x := v.(type) {
			case antq.Date:
				rec[i] = x.String()
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// cpuTime is the user and system CPU time of the process so far: on a
// shared, loaded machine it says what the work costs when wall time
// says how busy the machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssKiB reads VmRSS from /proc/self/status (0 when unknown).
func rssKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	return statusField(b, "VmRSS:")
}

func statusField(status []byte, field string) int64 {
	for _, line := range bytes.Split(status, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte(field)); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(string(v)), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
