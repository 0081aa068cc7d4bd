package app_test

// The quota feature through the real HTTP stack: the monthly report on the
// API in every format and who may read it, the Office's console pages,
// quotas and exemptions edited from the console, snapshots, and a unit's
// own standing.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/quota"
)

// quotaMonth is a month long closed whatever the clock says.
const quotaMonth = "2026-01"

// quotaWorld is the isolation organisation with a department board, the
// units onboarded long ago, and January 2026's items: A sent one item in
// W02 (accepted) and one in W03; B sent nothing.
type quotaWorld struct {
	*isoWorld
	sessions map[string]*visitor
}

func newQuotaWorld(t *testing.T) *quotaWorld {
	t.Helper()
	w := &quotaWorld{isoWorld: newIsoWorld(t,
		isoPerson{"tbSo", "truongban@sotest.gov.vn", "Trưởng Ban Sở", isoSlugDept, authz.RoleEditorInChief},
		isoPerson{"tkSo", "thuky@sotest.gov.vn", "Thư Ký Sở", isoSlugDept, authz.RoleSecretary},
		isoPerson{"ctvSo", "ctv@sotest.gov.vn", "Cộng Tác Viên Sở", isoSlugDept, authz.RoleContributor},
	), sessions: map[string]*visitor{}}
	ctx := context.Background()
	dept := w.tenants[isoSlugDept].ID
	if _, err := w.bdb.NewUpdate().Table("tenants").Set("onboarded_at = ?", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)).
		Where("id IS NOT NULL").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	loc := vntext.Location()
	a := w.tenants[isoSlugA].ID
	for _, it := range []struct {
		id, state string
		sent      time.Time
		copyAt    *time.Time
	}{
		{"q-a1", "accepted", time.Date(2026, 1, 6, 9, 0, 0, 0, loc), ptr(time.Date(2026, 1, 7, 9, 0, 0, 0, loc))},
		{"q-a2", "sent", time.Date(2026, 1, 14, 9, 0, 0, 0, loc), nil},
	} {
		mustExec(t, w, `INSERT INTO posts (tenant_id, id, slug, title, type, status, author_id, created_at, updated_at, updated_by, lint_errors)
			VALUES (?, ?, ?, ?, 'news', 'submitted', 'x', ?, ?, 'x', 1)`, a, it.id, it.id, "Tin "+it.id, it.sent.UTC(), it.sent.UTC())
		var copyID any
		if it.copyAt != nil {
			copyID = it.id + "-c"
			mustExec(t, w, `INSERT INTO posts (tenant_id, id, slug, title, type, status, author_id, created_at, updated_at, updated_by, published_at, first_published_at)
				VALUES (?, ?, ?, ?, 'news', 'published', 'x', ?, ?, 'x', ?, ?)`, dept, copyID, copyID, "Tin "+it.id, it.sent.UTC(), it.sent.UTC(), it.copyAt.UTC(), it.copyAt.UTC())
		}
		mustExec(t, w, `INSERT INTO submissions (parent_tenant_id, id, child_tenant_id, post_id, origin, state, post_type, counts,
			first_sent_at, sent_at, sent_by, accepted_post_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'sent', ?, 'news', TRUE, ?, ?, 'x', ?, ?, ?)`, dept, "s-"+it.id, a, it.id, it.state, it.sent.UTC(), it.sent.UTC(), copyID, it.sent.UTC(), it.sent.UTC())
	}
	return w
}

func ptr[T any](v T) *T { return &v }

func mustExec(t *testing.T, w *quotaWorld, q string, args ...any) {
	t.Helper()
	if _, err := w.bdb.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (w *quotaWorld) browser(key string) *visitor {
	if v, ok := w.sessions[key]; ok {
		return v
	}
	v := w.session(key)
	w.sessions[key] = v
	return v
}

func decodeReport(t *testing.T, r isoReply) quota.Report {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("report: %s", r)
	}
	var rep quota.Report
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatalf("decode report: %v\n%s", err, r)
	}
	return rep
}

func TestQuotaReportAPI(t *testing.T) {
	w := newQuotaWorld(t)
	path := "/api/v1/reports/quota?month=" + quotaMonth

	t.Run("json", func(t *testing.T) {
		rep := decodeReport(t, w.api("vp").do(http.MethodGet, path, nil))
		if rep.Month != quotaMonth || strings.Join(rep.Weeks, ",") != "2026-W01,2026-W02,2026-W03,2026-W04,2026-W05" {
			t.Fatalf("month %s weeks %v", rep.Month, rep.Weeks)
		}
		if len(rep.Contributors) != 2 {
			t.Fatalf("contributors %+v", rep.Contributors)
		}
		a := rep.Contributors[0] // Trung tâm Anh Đào sorts before Trường Bạch Dương
		states := []quota.State{}
		for _, ws := range a.Weeks {
			states = append(states, ws.State)
		}
		want := []quota.State{quota.StateMissed, quota.StateMet, quota.StateMet, quota.StateMissed, quota.StateMissed}
		if a.Slug != isoSlugA || a.Sent != 2 || a.Accepted != 1 || a.Published != 1 || a.Findings.Errors != 2 || !equalStates(states, want) {
			t.Errorf("A's line: %+v", a)
		}
		if rep.Contributors[1].Missed != 5 || rep.Totals.Met != 2 || rep.Totals.Missed != 8 {
			t.Errorf("totals %+v, B %+v", rep.Totals, rep.Contributors[1])
		}
	})
	t.Run("csv", func(t *testing.T) {
		r := w.api("vp").do(http.MethodGet, path+"&format=csv", nil)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.header.Get("Content-Disposition"), "bao-cao-chi-tieu-"+isoSlugDept+"-"+quotaMonth+".csv") {
			t.Fatalf("csv: %s", r)
		}
		if lines := strings.Split(strings.TrimSpace(r.body), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "\ufeffSTT") {
			t.Errorf("csv lines: %q", lines)
		}
	})
	t.Run("xlsx", func(t *testing.T) {
		r := w.api("tbSo").do(http.MethodGet, path+"&format=xlsx", nil)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
		if r.status != http.StatusOK || err != nil {
			t.Fatalf("xlsx: %v %s", err, r.header)
		}
		defer x.Close()
		if got := x.GetSheetList(); len(got) != 7 || got[0] != "Tổng hợp" {
			t.Errorf("sheets %v", got)
		}
	})
	t.Run("html", func(t *testing.T) {
		r := w.browser("vp").do(http.MethodGet, "/bao-cao/thang/in?thang="+quotaMonth, nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Số: …/BC-VP") || !strings.Contains(r.body, "tháng 01/2026") {
			t.Errorf("printable page: %s", r)
		}
	})
	t.Run("bad month", func(t *testing.T) {
		r := w.api("vp").do(http.MethodGet, "/api/v1/reports/quota", nil)
		if e := decodeError(t, r, http.StatusBadRequest); e.Error.Field != "month" {
			t.Errorf("error %+v", e)
		}
	})
	t.Run("who may read it", func(t *testing.T) {
		for key, status := range map[string]int{
			"vp": 200, "admin": 200, "tbSo": 200, "tkSo": 200, // platform roles; the department's secretary and above
			"ctvSo": 403,                          // a member of the department without ReportView
			"btvA":  404, "qtA": 404, "ctvA": 404, // units see nothing of the department
		} {
			if r := w.api(key).do(http.MethodGet, path, nil); r.status != status {
				t.Errorf("%s: %d, want %d", key, r.status, status)
			}
		}
		if r := bearerVisitor(t, w.a, "").do(http.MethodGet, path, nil); r.status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.status)
		}
	})
}

func equalStates(a, b []quota.State) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestQuotaSnapshotServesWhatWasReported(t *testing.T) {
	w := newQuotaWorld(t)
	path := "/api/v1/reports/quota?month=" + quotaMonth
	if r := w.api("tkSo").doJSON(http.MethodPost, "/api/v1/reports/quota/snapshots", map[string]string{"month": quotaMonth, "reason": "x"}); r.status != http.StatusForbidden {
		t.Errorf("secretary snapshots: %s", r)
	}
	r := w.api("vp").doJSON(http.MethodPost, "/api/v1/reports/quota/snapshots", map[string]string{"month": quotaMonth, "reason": "Báo cáo Giám đốc"})
	if r.status != http.StatusCreated {
		t.Fatalf("snapshot: %s", r)
	}
	// Later data: B's January item arrives late (back-dated by an import).
	b := w.tenants[isoSlugB].ID
	sent := time.Date(2026, 1, 20, 9, 0, 0, 0, vntext.Location()).UTC()
	mustExec(t, w, `INSERT INTO posts (tenant_id, id, slug, title, type, status, author_id, created_at, updated_at, updated_by)
		VALUES (?, 'q-b1', 'q-b1', 'Tin muộn', 'news', 'submitted', 'x', ?, ?, 'x')`, b, sent, sent)
	mustExec(t, w, `INSERT INTO submissions (parent_tenant_id, id, child_tenant_id, post_id, origin, state, post_type, counts,
		first_sent_at, sent_at, sent_by, created_at, updated_at) VALUES (?, 's-q-b1', ?, 'q-b1', 'sent', 'sent', 'news', TRUE, ?, ?, 'x', ?, ?)`,
		w.tenants[isoSlugDept].ID, b, sent, sent, sent, sent)

	snap := decodeReport(t, w.api("vp").do(http.MethodGet, path, nil))
	live := decodeReport(t, w.api("vp").do(http.MethodGet, path+"&live=1", nil))
	if snap.Snapshot == nil || snap.Snapshot.Reason != "Báo cáo Giám đốc" || snap.Totals.Sent != 2 {
		t.Errorf("served report is not the snapshot: %+v %+v", snap.Snapshot, snap.Totals)
	}
	if live.Snapshot != nil || live.Totals.Sent != 3 {
		t.Errorf("live report: %+v %+v", live.Snapshot, live.Totals)
	}
	if r := w.browser("vp").post("/bao-cao/thang/chot?thang="+quotaMonth, url.Values{"ly-do": {"Bổ sung tin của B"}}); r.status != http.StatusSeeOther {
		t.Fatalf("console snapshot: %s", r)
	}
	again := decodeReport(t, w.api("vp").do(http.MethodGet, path, nil))
	if again.Snapshot == nil || again.Snapshot.Reason != "Bổ sung tin của B" || again.Totals.Sent != 3 {
		t.Errorf("new snapshot not served: %+v %+v", again.Snapshot, again.Totals)
	}
	page := w.browser("vp").do(http.MethodGet, "/bao-cao/thang?thang="+quotaMonth, nil)
	for _, want := range []string{"Báo cáo Giám đốc", "Bổ sung tin của B", "đã chốt lúc", "Tải Excel", `<option value="2026-01" selected>Tháng 01/2026</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("report page lacks %q: %s", want, page)
		}
	}
}

func TestQuotaConsolePages(t *testing.T) {
	w := newQuotaWorld(t)
	grid := "/bao-cao/chi-tieu?thang=" + quotaMonth
	t.Run("the Office's grid", func(t *testing.T) {
		for key, status := range map[string]int{"vp": 200, "admin": 200, "tbSo": 200, "tkSo": 403, "btvA": 404} {
			r := w.browser(key).do(http.MethodGet, grid, nil)
			if r.status != status {
				t.Errorf("%s: %d, want %d", key, r.status, status)
			}
		}
		r := w.browser("vp").do(http.MethodGet, grid+"&sap-xep=ty-le", nil)
		for _, want := range []string{isoNameA, isoNameB, "✓ Đạt", "✗ Thiếu", "1/1", "T2", "Tỷ lệ đạt", "40,0%", "0,0%", `<option value="2026-01" selected>Tháng 01/2026</option>`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("grid lacks %q", want)
			}
		}
		table := r.body[strings.Index(r.body, "<table"):]
		if strings.Index(table, isoNameB) > strings.Index(table, isoNameA) {
			t.Error("sorted by compliance, B (0%) should come first")
		}
		q := w.browser("vp").do(http.MethodGet, "/bao-cao/chi-tieu?quy=2026-Q1", nil)
		if q.status != http.StatusOK || !strings.Contains(q.body, "quý I/2026") || !strings.Contains(q.body, "T13") {
			t.Errorf("quarter: %s", q)
		}
	})
	t.Run("drill-down", func(t *testing.T) {
		r := w.browser("tbSo").do(http.MethodGet, "/bao-cao/chi-tieu/"+isoSlugA+"/2026-W02", nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Tin q-a1") || strings.Contains(r.body, "Tin q-a2") {
			t.Errorf("drill-down: %s", r)
		}
		if r := w.browser("vp").do(http.MethodGet, "/bao-cao/chi-tieu/"+isoSlugDept+"/2026-W02", nil); r.status != http.StatusNotFound {
			t.Errorf("the department is not its own contributor: %d", r.status)
		}
	})
	t.Run("exemption and quota from the console", func(t *testing.T) {
		vp := w.browser("vp")
		base := "/bao-cao/chi-tieu/cai-dat?thang=" + quotaMonth
		if r := vp.do(http.MethodGet, base, nil); r.status != http.StatusOK || !strings.Contains(r.body, "Tuần miễn") {
			t.Fatalf("manage page: %s", r)
		}
		if r := w.browser("tbSo").do(http.MethodGet, base, nil); r.status != http.StatusForbidden {
			t.Errorf("editor-in-chief manages quotas: %d", r.status)
		}
		if r := vp.post("/bao-cao/chi-tieu/mien?thang="+quotaMonth, url.Values{"tuan": {"2026-W05"}, "ly-do": {"Nghỉ Tết"}}); r.status != http.StatusSeeOther {
			t.Fatalf("add exemption: %s", r)
		}
		if r := vp.post("/bao-cao/chi-tieu/mien?thang="+quotaMonth, url.Values{"tuan": {"2026-W05"}, "ly-do": {"Lần hai"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("duplicate exemption: %d", r.status)
		}
		if r := vp.post("/bao-cao/chi-tieu/mien?thang="+quotaMonth, url.Values{"tuan": {"2026-W04"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "lý do") {
			t.Errorf("exemption without reason: %s", r)
		}
		if r := vp.post("/bao-cao/chi-tieu/chi-tieu?thang="+quotaMonth, url.Values{"don-vi": {isoSlugA}, "chi-tieu": {"2"}, "tu-tuan": {"2026-W03"}, "ly-do": {"Tăng"}}); r.status != http.StatusSeeOther {
			t.Fatalf("set quota: %s", r)
		}
		rep := decodeReport(t, w.api("vp").do(http.MethodGet, "/api/v1/reports/quota?live=1&month="+quotaMonth, nil))
		a := rep.Contributors[0]
		got := []string{}
		for _, ws := range a.Weeks {
			got = append(got, string(ws.State)+"/"+string(rune('0'+ws.Quota)))
		}
		if want := "missed/1 met/1 missed/2 missed/2 exempt/2"; strings.Join(got, " ") != want {
			t.Errorf("A's weeks %v, want %s", got, want)
		}
		if r := w.api("vp").do(http.MethodGet, "/api/v1/tenants", nil); !strings.Contains(r.body, `"quota_per_week":2`) {
			t.Errorf("tenant's quota not updated: %s", r)
		}
	})
	t.Run("own standing", func(t *testing.T) {
		r := w.browser("ctvA").do(http.MethodGet, "/t/"+isoSlugA+"/chi-tieu", nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Tuần này: ") || !strings.Contains(r.body, "Chỉ tiêu tuần") {
			t.Errorf("own page: %s", r)
		}
		if r := w.browser("ctvA").do(http.MethodGet, "/t/"+isoSlugB+"/chi-tieu", nil); r.status != http.StatusNotFound {
			t.Errorf("B's standing for A: %d", r.status)
		}
		api := w.api("ctvA").do(http.MethodGet, "/api/v1/tenants/"+isoSlugA+"/quota", nil)
		var v quota.OwnView
		if err := json.Unmarshal([]byte(api.body), &v); err != nil || v.Current == nil || len(v.Weeks) != 8 || v.Parent != isoSlugDept {
			t.Errorf("own API: %v %s", err, api)
		}
		if r := w.browser("tbSo").do(http.MethodGet, "/t/"+isoSlugDept+"/chi-tieu", nil); !strings.Contains(r.body, "/bao-cao/chi-tieu?cap-tren="+isoSlugDept) {
			t.Errorf("the department's page lacks the grid link: %s", r)
		}
	})
}
