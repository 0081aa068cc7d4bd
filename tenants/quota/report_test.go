package quota_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/quota"
)

func f(v float64) *float64 { return &v }

var fieldCodes = []string{"lao-dong-viec-lam", "giao-duc-nghe-nghiep", "an-toan-lao-dong", "tien-luong-bhxh", "nguoi-co-cong",
	"bao-tro-xa-hoi", "giam-ngheo", "tre-em", "binh-dang-gioi", "phong-chong-te-nan"}

// fields is every field at 0 but those given (code, n, code, n...).
func fields(kv ...any) map[string]int {
	m := map[string]int{}
	for _, c := range fieldCodes {
		m[c] = 0
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(int)
	}
	return m
}

func wk(n, counted int, s quota.State, q int, reason ...string) quota.WeekStanding {
	ws := quota.WeekStanding{Week: quota.Week{Year: 2026, Num: n}.String(), Counted: counted, State: s, Quota: q}
	if len(reason) > 0 {
		ws.Reason = reason[0]
	}
	return ws
}

func m(n int, med, worst float64) quota.Measure {
	return quota.Measure{N: n, Median: f(med), Worst: f(worst)}
}

const (
	met, missed, open, exempt = quota.StateMet, quota.StateMissed, quota.StateOpen, quota.StateExempt
	notOnboarded, inactive    = quota.ReasonNotOnboarded, quota.ReasonInactive
	noQuota                   = quota.ReasonNoQuota
	training                  = "Cán bộ đi tập huấn"
)

// expectedNovember is the report of the scripted history, computed by hand
// (see history_test.go for the script and each figure's reason).
func expectedNovember() *quota.Report {
	N := time.November
	return &quota.Report{
		Month: "2026-11",
		Weeks: []string{"2026-W45", "2026-W46", "2026-W47", "2026-W48"},
		Contributors: []quota.ContributorReport{
			{Slug: "congdoan", Name: "Công đoàn Sở", Kind: tenancy.KindUnion, QuotaPerWeek: 0,
				Weeks:  []quota.WeekStanding{wk(45, 0, exempt, 0, noQuota), wk(46, 0, exempt, 0, noQuota), wk(47, 1, exempt, 0, noQuota), wk(48, 0, exempt, 0, noQuota)},
				Counts: quota.Counts{Sent: 1, Accepted: 1, Published: 1},
				Fields: fields("binh-dang-gioi", 1),
				Tally:  quota.Tally{Exempt: 4, Counted: 1},
				// event 20/11 → sent 21/11; sent 21/11 09:00 → accepted 23/11 09:00; published 23/11.
				Timeliness: quota.Timeliness{EventToSent: m(1, 1, 1), SentToDecision: m(1, 48, 48), EventToPublished: m(1, 3, 3)}},
			{Slug: "gamma", Name: "Phòng Lao động – Việc làm", Kind: tenancy.KindOffice, QuotaPerWeek: 1,
				Weeks:  []quota.WeekStanding{wk(45, 1, met, 1), wk(46, 0, exempt, 1, training), wk(47, 0, missed, 1), wk(48, 1, met, 1)},
				Counts: quota.Counts{Sent: 2, Accepted: 1, Returned: 1},
				Fields: fields("an-toan-lao-dong", 1, "tien-luong-bhxh", 1),
				Tally:  quota.Tally{Met: 2, Missed: 1, Exempt: 1, Counted: 2, Compliance: f(0.6667)},
				// event→sent: 01/11→02/11 = 1, 24/11→24/11 = 0; decisions after 4 h and 2 h.
				Timeliness: quota.Timeliness{EventToSent: m(2, 0.5, 1), SentToDecision: m(2, 3, 4)},
				Findings:   quota.FindingTally{Items: 1, Errors: 2, Warnings: 1}},
			{Slug: "epsilon", Name: "Phòng Người có công", Kind: tenancy.KindOffice, QuotaPerWeek: 1,
				Weeks:  []quota.WeekStanding{wk(45, 1, met, 1), wk(46, 0, missed, 1), wk(47, 0, exempt, 1, inactive), wk(48, 0, exempt, 1, inactive)},
				Counts: quota.Counts{Sent: 1, Pending: 1},
				Fields: fields(),
				Tally:  quota.Tally{Met: 1, Missed: 1, Exempt: 2, Counted: 1, Compliance: f(0.5)}},
			{Slug: "alpha", Name: "Trung tâm Dịch vụ việc làm", Kind: tenancy.KindUnit, QuotaPerWeek: 1,
				Weeks: []quota.WeekStanding{wk(45, 1, met, 1), wk(46, 1, met, 1), wk(47, 2, met, 1), wk(48, 1, met, 1)},
				// a1 a2 a4 accepted (a1 a2 published), a5 refused, a6 pending; a3 republished; a0 is W44.
				Counts: quota.Counts{Sent: 5, Accepted: 3, Published: 2, Refused: 1, Pending: 1, InDepth: 1, NotCounted: 1},
				Fields: fields("lao-dong-viec-lam", 2, "giao-duc-nghe-nghiep", 1, "tre-em", 1, "nguoi-co-cong", 1, "bao-tro-xa-hoi", 1),
				Tally:  quota.Tally{Met: 4, Counted: 5, Compliance: f(1)},
				// event→sent [1 1 2 0 2]; sent→decision [6 2 24 12] h (a2 from its re-send); event→published [2 3].
				Timeliness: quota.Timeliness{EventToSent: m(5, 1, 2), SentToDecision: m(4, 9, 24), EventToPublished: m(2, 2.5, 3)},
				Findings:   quota.FindingTally{Items: 2, Errors: 1, Warnings: 2}},
			{Slug: "delta", Name: "Trung tâm Điều dưỡng người có công", Kind: tenancy.KindUnit, QuotaPerWeek: 1,
				Weeks:  []quota.WeekStanding{wk(45, 0, exempt, 1, notOnboarded), wk(46, 0, exempt, 1, notOnboarded), wk(47, 1, met, 1), wk(48, 0, open, 1)},
				Counts: quota.Counts{Sent: 1, Accepted: 1, Published: 1},
				Fields: fields("lao-dong-viec-lam", 1),
				Tally:  quota.Tally{Met: 1, Exempt: 2, Open: 1, Counted: 1, Compliance: f(1)},
				// event 13/11 → sent 16/11 → accepted after 24 h → published 17/11.
				Timeliness: quota.Timeliness{EventToSent: m(1, 3, 3), SentToDecision: m(1, 24, 24), EventToPublished: m(1, 4, 4)}},
			{Slug: "beta", Name: "Trường Trung cấp nghề", Kind: tenancy.KindUnit, QuotaPerWeek: 2,
				Weeks:  []quota.WeekStanding{wk(45, 0, missed, 1), wk(46, 1, met, 1), wk(47, 1, missed, 2), wk(48, 0, open, 2)},
				Counts: quota.Counts{Sent: 2, Accepted: 1, Published: 1, Returned: 1, Pulled: 1},
				Fields: fields("giam-ngheo", 2),
				Tally:  quota.Tally{Met: 1, Missed: 2, Open: 1, Counted: 2, Compliance: f(0.3333)},
				// b1 has no event date; b2: event 20/11 sent 20/11; decisions after 2 h and 8 h.
				Timeliness: quota.Timeliness{EventToSent: m(1, 0, 0), SentToDecision: m(2, 5, 8)}},
		},
		Parent:      quota.Ref{Slug: "so", Name: "Sở Lao động Thử nghiệm"},
		Period:      quota.PeriodInfo{From: vn(2026, N, 2, 0, 0), To: vn(2026, N, 30, 0, 0), Label: "tháng 11/2026"},
		GeneratedAt: nowNovember,
		Totals: quota.Totals{Contributors: 6,
			Counts:   quota.Counts{Sent: 12, Accepted: 7, Returned: 2, Refused: 1, Published: 5, InDepth: 1, Pending: 2, NotCounted: 1, Pulled: 1},
			Tally:    quota.Tally{Met: 9, Missed: 4, Exempt: 9, Open: 2, Counted: 12, Compliance: f(0.6923)},
			Findings: quota.FindingTally{Items: 3, Errors: 3, Warnings: 3}},
		// event→sent [0 0 0 1 1 1 1 2 2 3]; sent→decision [2 2 2 4 6 8 12 24 24 48]; event→published [2 3 3 4].
		Timeliness: quota.Timeliness{EventToSent: m(10, 1, 3), SentToDecision: m(10, 7, 48), EventToPublished: m(4, 3, 4)},
		FieldList: []quota.FieldInfo{
			{"lao-dong-viec-lam", "Lao động – Việc làm", 3}, {"giao-duc-nghe-nghiep", "Giáo dục nghề nghiệp", 1},
			{"an-toan-lao-dong", "An toàn, vệ sinh lao động", 1}, {"tien-luong-bhxh", "Tiền lương – Bảo hiểm xã hội", 1},
			{"nguoi-co-cong", "Người có công", 1}, {"bao-tro-xa-hoi", "Bảo trợ xã hội", 1}, {"giam-ngheo", "Giảm nghèo", 2},
			{"tre-em", "Trẻ em", 1}, {"binh-dang-gioi", "Bình đẳng giới", 1}, {"phong-chong-te-nan", "Phòng, chống tệ nạn xã hội", 0},
		},
		UncoveredFields: []string{"phong-chong-te-nan"},
		// a0c a1c a2c b1c d1c c1c accepted, bpc pulled, o1 o2 own, r1 republished; o3 a draft, o4 in W49.
		Department: quota.Department{Published: 10,
			ByType:   map[string]int{"news": 6, "article": 1, "photo": 1, "in-depth": 1, "republished": 1},
			ByField:  map[string]int{"lao-dong-viec-lam": 4, "giao-duc-nghe-nghiep": 1, "tre-em": 1, "giam-ngheo": 1, "binh-dang-gioi": 1, "nguoi-co-cong": 1, "phong-chong-te-nan": 1},
			BySource: map[string]int{"own": 2, "accepted": 6, "pulled": 1, "republished": 1}},
		Pulled: []quota.Listed{{Contributor: "beta", SubmissionID: "s-bp", PostID: "bp", Title: "Tin Sở lấy về", Type: "news", Origin: "pulled",
			State: "accepted", FirstSentAt: vn(2026, N, 12, 10, 0), DecidedAt: at(vn(2026, N, 12, 10, 0)), PublishedAt: at(vn(2026, N, 12, 10, 0))}},
		Findings: []quota.Listed{
			{Contributor: "gamma", SubmissionID: "s-g1", PostID: "g1", Title: "Kiểm tra an toàn lao động", Type: "news", Origin: "sent",
				State: "accepted", Counts: true, FirstSentAt: vn(2026, N, 2, 6, 0), DecidedAt: at(vn(2026, N, 2, 10, 0)), LintErrors: 2, LintWarnings: 1},
			{Contributor: "alpha", SubmissionID: "s-a4", PostID: "a4", Title: "Chính sách ưu đãi người có công", Type: "in-depth", Origin: "sent",
				State: "accepted", Counts: true, FirstSentAt: vn(2026, N, 18, 14, 0), DecidedAt: at(vn(2026, N, 19, 14, 0)), LintErrors: 1},
			{Contributor: "alpha", SubmissionID: "s-a2", PostID: "a2", Title: "Đào tạo nghề cho thanh niên", Type: "article", Origin: "sent",
				State: "accepted", Counts: true, FirstSentAt: vn(2026, N, 9, 10, 0), DecidedAt: at(vn(2026, N, 10, 11, 0)),
				PublishedAt: at(vn(2026, N, 11, 8, 0)), LintWarnings: 2},
		},
		Exemptions: []quota.ExemptionInfo{{Week: "2026-W46", Contributor: "gamma", Reason: training}},
	}
}

func TestReportMatchesHandComputedFigures(t *testing.T) {
	w := novemberWorld(t)
	p, err := quota.ParseMonth("2026-11")
	if err != nil {
		t.Fatal(err)
	}
	got, err := quota.Build(w.ctx, w.db, w.id("so"), p, nowNovember)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if diff := cmp.Diff(expectedNovember(), got); diff != "" {
		t.Errorf("%s: report (-want +got):\n%s", dbtest.Dialect(), diff)
	}

	t.Run("contract keys", func(t *testing.T) {
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"month", "weeks", "contributors"} {
			if _, ok := doc[k]; !ok {
				t.Errorf("report lacks %q", k)
			}
		}
		c := doc["contributors"].([]any)[0].(map[string]any)
		for _, k := range []string{"slug", "name", "kind", "quota_per_week", "weeks", "sent", "accepted", "returned", "refused", "published", "in_depth", "fields"} {
			if _, ok := c[k]; !ok {
				t.Errorf("contributor lacks %q: %v", k, c)
			}
		}
		week := c["weeks"].([]any)[0].(map[string]any)
		for _, k := range []string{"week", "counted", "state"} {
			if _, ok := week[k]; !ok {
				t.Errorf("week lacks %q: %v", k, week)
			}
		}
	})

	t.Run("round trip through JSON", func(t *testing.T) {
		var buf bytes.Buffer
		if err := quota.WriteJSON(&buf, got); err != nil {
			t.Fatal(err)
		}
		var back quota.Report
		if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, &back); diff != "" {
			t.Errorf("JSON loses information (-live +decoded):\n%s", diff)
		}
	})

	t.Run("after the month closed", func(t *testing.T) {
		later := vn(2026, time.December, 1, 9, 0)
		r, err := quota.Build(w.ctx, w.db, w.id("so"), p, later)
		if err != nil {
			t.Fatal(err)
		}
		byslug := map[string]quota.ContributorReport{}
		for _, c := range r.Contributors {
			byslug[c.Slug] = c
		}
		if got := byslug["delta"].Weeks[3].State; got != missed {
			t.Errorf("delta W48 after the month: %s, want missed", got)
		}
		if got := byslug["beta"].Weeks[3].State; got != missed {
			t.Errorf("beta W48 after the month: %s, want missed", got)
		}
		if !r.Closed || r.Totals.Missed != 6 || r.Totals.Open != 0 {
			t.Errorf("closed=%v missed=%d open=%d, want true 6 0", r.Closed, r.Totals.Missed, r.Totals.Open)
		}
	})
}

func TestBoundaryWeeksBelongToNeighbourMonths(t *testing.T) {
	w := novemberWorld(t)
	for _, tc := range []struct {
		month, slug string
		week        int
		counted     int
	}{
		{"2026-10", "alpha", 44, 1}, // sent Sunday 01/11 23:00: W44, October
		{"2026-12", "beta", 49, 1},  // sent Monday 30/11: W49, December
	} {
		p, err := quota.ParseMonth(tc.month)
		if err != nil {
			t.Fatal(err)
		}
		r, err := quota.Build(w.ctx, w.db, w.id("so"), p, vn(2026, time.December, 10, 9, 0))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Contributors {
			if c.Slug != tc.slug {
				continue
			}
			for _, ws := range c.Weeks {
				if ws.Week == (quota.Week{Year: 2026, Num: tc.week}).String() && ws.Counted != tc.counted {
					t.Errorf("%s %s W%d counted %d, want %d", tc.month, tc.slug, tc.week, ws.Counted, tc.counted)
				}
			}
		}
	}
}
