package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// quotaReport is the contract's report shape.
type quotaReport struct {
	Month        string   `json:"month"`
	Weeks        []string `json:"weeks"`
	Contributors []struct {
		Slug         string `json:"slug"`
		Kind         string `json:"kind"`
		QuotaPerWeek int    `json:"quota_per_week"`
		Weeks        []struct {
			Week    string `json:"week"`
			Counted int    `json:"counted"`
			State   string `json:"state"`
		} `json:"weeks"`
		Sent   int            `json:"sent"`
		Fields map[string]int `json:"fields"`
	} `json:"contributors"`
	Snapshot *struct {
		Reason string `json:"reason"`
	} `json:"snapshot"`
}

func TestReportQuota(t *testing.T) {
	c := newCLI(t)
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở Thử nghiệm", "--kind", "department")
	c.must(t, "tenant", "create", "--slug", "vp", "--name", "Văn phòng Sở", "--kind", "office", "--parent", "so")
	c.must(t, "tenant", "create", "--slug", "cd", "--name", "Công đoàn Sở", "--kind", "union", "--parent", "so")

	t.Run("json on standard output", func(t *testing.T) {
		var r quotaReport
		if err := json.Unmarshal([]byte(c.must(t, "report", "quota", "--month", "2026-02")), &r); err != nil {
			t.Fatal(err)
		}
		if r.Month != "2026-02" || strings.Join(r.Weeks, ",") != "2026-W06,2026-W07,2026-W08,2026-W09" || len(r.Contributors) != 2 {
			t.Fatalf("report %+v", r)
		}
		for _, con := range r.Contributors {
			// Both were onboarded now, long after February 2026: exempt.
			if len(con.Weeks) != 4 || con.Weeks[0].State != "exempt" || len(con.Fields) != 10 {
				t.Errorf("%s: %+v", con.Slug, con)
			}
		}
	})
	t.Run("files", func(t *testing.T) {
		dir := t.TempDir()
		csvPath, xlsxPath, htmlPath := filepath.Join(dir, "r.csv"), filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r.html")
		c.must(t, "report", "quota", "--month", "2026-02", "--format", "csv", "--out", csvPath)
		c.must(t, "report", "quota", "--month", "2026-02", "--format", "xlsx", "--out", xlsxPath)
		c.must(t, "report", "quota", "--month", "2026-02", "--format", "html", "--out", htmlPath, "--number", "12/BC-VP")
		b, err := os.ReadFile(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "\ufeffSTT,") {
			t.Errorf("csv: %q", lines)
		}
		x, err := excelize.OpenFile(xlsxPath)
		if err != nil {
			t.Fatalf("xlsx does not open: %v", err)
		}
		defer x.Close()
		if rows, _ := x.GetRows("Tổng hợp"); len(rows) != 5 || rows[1][1] != "Đơn vị" {
			t.Errorf("summary sheet: %q", rows)
		}
		if h, _ := os.ReadFile(htmlPath); !strings.Contains(string(h), "Số: 12/BC-VP") {
			t.Errorf("html letter lacks its number")
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		c.must(t, "report", "quota", "--month", "2026-02", "--snapshot", "Báo cáo Giám đốc")
		var r quotaReport
		if err := json.Unmarshal([]byte(c.must(t, "report", "quota", "--month", "2026-02")), &r); err != nil {
			t.Fatal(err)
		}
		if r.Snapshot == nil || r.Snapshot.Reason != "Báo cáo Giám đốc" {
			t.Errorf("not served from the snapshot: %+v", r.Snapshot)
		}
		var live quotaReport
		if err := json.Unmarshal([]byte(c.must(t, "report", "quota", "--month", "2026-02", "--live")), &live); err != nil || live.Snapshot != nil {
			t.Errorf("--live served a snapshot: %v", err)
		}
	})
	t.Run("mistakes", func(t *testing.T) {
		for _, args := range [][]string{
			{"report", "quota"},
			{"report", "quota", "--month", "2026-13"},
			{"report", "quota", "--month", "2026-02", "--format", "pdf"},
			{"report", "quota", "--month", "2026-02", "--parent", "khong-co"},
			{"report", "quota", "--month", "2099-01", "--snapshot", "Quá sớm"},
			{"report", "tonghop"},
		} {
			_, _, err := c.run(args...)
			if err == nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("%v: want one line of error, got %v", args, err)
			}
		}
	})
}
