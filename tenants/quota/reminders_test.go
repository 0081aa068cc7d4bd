package quota_test

import (
	"context"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/quota"
)

// clock is a settable time for workers and the reminder service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func quiet() *slog.Logger        { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
func recipients(ms []received) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.To...)
	}
	sort.Strings(out)
	return out
}

// reminderWorld: in W48 (23/11–29/11/2026) alpha has sent nothing, beta has
// met its quota, gamma is exempt. alpha's editor-in-chief and site-admin
// get reminders; its editor does not; nobody of beta or gamma does.
type reminderWorld struct {
	*world
	smtp  *smtpd
	clock *clock
	rem   *quota.Reminders
}

func newReminderWorld(t *testing.T) *reminderWorld {
	t.Helper()
	w := newWorld(t, []orgSpec{
		{"so", "Sở Lao động Thử nghiệm", tenancy.KindDepartment, "", vn(2026, 1, 5, 8, 0)},
		{"alpha", "Trung tâm Alpha", tenancy.KindUnit, "so", vn(2026, 1, 5, 8, 0)},
		{"beta", "Trung tâm Beta", tenancy.KindUnit, "so", vn(2026, 1, 5, 8, 0)},
		{"gamma", "Phòng Gamma", tenancy.KindOffice, "so", vn(2026, 1, 5, 8, 0)},
	})
	w.person("tb.alpha@so.gov.vn", "Trưởng Ban Alpha", "alpha", authz.RoleEditorInChief)
	w.person("qt.alpha@so.gov.vn", "Quản Trị Alpha", "alpha", authz.RoleSiteAdmin)
	w.person("btv.alpha@so.gov.vn", "Biên Tập Alpha", "alpha", authz.RoleEditor)
	w.person("tb.beta@so.gov.vn", "Trưởng Ban Beta", "beta", authz.RoleEditorInChief)
	w.person("tb.gamma@so.gov.vn", "Trưởng Ban Gamma", "gamma", authz.RoleEditorInChief)
	w.person("vanphong@so.gov.vn", "Văn Phòng Sở", "", authz.RoleOfficeStaff)
	w.post(postSpec{tenant: "beta", id: "b1", title: "Tin của Beta", typ: post.TypeNews})
	w.send("so", sendSpec{id: "s-b1", child: "beta", postID: "b1", state: "sent", typ: post.TypeNews, first: vn(2026, 11, 23, 9, 0)})
	if _, err := quota.AddExemption(w.ctx, w.db, w.id("so"), quota.ExemptionInput{TenantID: w.id("gamma"),
		Week: quota.Week{Year: 2026, Num: 48}, Reason: "Cán bộ đi công tác"}, vn(2026, 11, 20, 9, 0)); err != nil {
		t.Fatal(err)
	}
	srv := startSMTP(t)
	slots, err := config.ParseSchedule("thu 09:00, sat 09:00")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: vn(2026, 11, 25, 10, 0)}
	rem := &quota.Reminders{DB: w.db, Schedule: slots, Log: quiet(), Now: c.Now, ConsoleURL: "http://admin.localhost:8080",
		Mailer: &quota.Mailer{Host: "127.0.0.1", Port: srv.port, TLS: "none", From: "Văn phòng Sở <no-reply@so.gov.vn>", Timeout: 5 * time.Second}}
	if err := rem.Start(w.ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	return &reminderWorld{world: w, smtp: srv, clock: c, rem: rem}
}

// worker is a process's job worker on the world's database.
func (w *reminderWorld) worker(id string) *jobs.Worker {
	wk := jobs.NewWorker(w.db, quiet(), jobs.Options{ID: id, Concurrency: 1, Now: w.clock.Now, Lease: time.Minute})
	w.rem.Register(wk)
	return wk
}

func (w *reminderWorld) runAll(wk *jobs.Worker) {
	w.t.Helper()
	if _, err := wk.RunOnce(w.ctx); err != nil {
		w.t.Fatalf("run jobs: %v", err)
	}
}

func (w *reminderWorld) notifications(slug, kind string) int {
	w.t.Helper()
	n, err := w.db.NewSelect().Table("notifications").Where("tenant_id = ? AND kind = ?", w.id(slug), kind).Count(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return int(n)
}

func (w *reminderWorld) failedJobs() int {
	n, _ := w.db.NewSelect().Table("jobs").Where("state = 'failed'").Count(w.ctx)
	return int(n)
}

func TestReminderOncePerRecipientAndSlot(t *testing.T) {
	w := newReminderWorld(t)
	wk := w.worker("p1")

	w.clock.Set(vn(2026, 11, 26, 8, 59)) // before the slot: nothing due
	w.runAll(wk)
	if n := len(w.smtp.messages()); n != 0 {
		t.Fatalf("%d e-mails before Thursday 09:00", n)
	}

	w.clock.Set(vn(2026, 11, 26, 9, 0).Add(30 * time.Second))
	w.runAll(wk)
	msgs := w.smtp.messages()
	if got, want := strings.Join(recipients(msgs), " "), "qt.alpha@so.gov.vn tb.alpha@so.gov.vn"; got != want {
		t.Fatalf("recipients %q, want %q", got, want)
	}
	for _, m := range msgs {
		if !strings.Contains(m.Subject, "Nhắc gửi tin, bài Tuần 48") || !strings.Contains(m.Body, "Trung tâm Alpha đã gửi 0/1 tin, bài") ||
			!strings.Contains(m.Body, "còn 3 ngày") || !strings.Contains(m.Body, "http://admin.localhost:8080/t/alpha/chi-tieu") ||
			m.From != "no-reply@so.gov.vn" {
			t.Errorf("message: %+v", m)
		}
	}
	if n := w.notifications("alpha", "quota.reminder"); n != 1 {
		t.Errorf("%d notifications in alpha, want 1", n)
	}
	for _, slug := range []string{"beta", "gamma"} {
		if n := w.notifications(slug, "quota.reminder"); n != 0 {
			t.Errorf("%s (met or exempt) got %d notifications", slug, n)
		}
	}

	t.Run("a second run in the same slot sends none", func(t *testing.T) {
		// Another process starts and enqueues the same slot and reminders.
		if err := w.rem.Start(w.ctx); err != nil {
			t.Fatal(err)
		}
		_, created, err := jobs.Enqueue(w.ctx, w.db, jobs.Job{Kind: quota.JobReminder, RunAt: w.clock.Now(),
			UniqueKey: quota.ReminderKey(w.id("alpha"), "2026-W48", "thu-0900")})
		if err != nil || created {
			t.Fatalf("the same reminder was enqueued again: %v %v", created, err)
		}
		w.runAll(w.worker("p2"))
		w.runAll(wk)
		if n := len(w.smtp.messages()); n != 2 {
			t.Errorf("%d e-mails after a second run, want still 2", n)
		}
	})

	t.Run("saturday's slot reminds again, once", func(t *testing.T) {
		w.clock.Set(vn(2026, 11, 28, 9, 1))
		w.runAll(wk)
		w.runAll(w.worker("p3"))
		if n := len(w.smtp.messages()); n != 4 {
			t.Errorf("%d e-mails after Saturday, want 4", n)
		}
		if m := w.smtp.messages()[3]; !strings.Contains(m.Body, "còn 1 ngày") {
			t.Errorf("saturday's body: %s", m.Body)
		}
	})

	t.Run("no reminder once the week is met", func(t *testing.T) {
		w.post(postSpec{tenant: "alpha", id: "a1", title: "Tin của Alpha", typ: post.TypeNews})
		w.send("so", sendSpec{id: "s-a1", child: "alpha", postID: "a1", state: "sent", typ: post.TypeNews, first: vn(2026, 11, 28, 10, 0)})
		// A reminder job that was already queued for the week finds it met.
		if _, _, err := jobs.Enqueue(w.ctx, w.db, jobs.Job{Kind: quota.JobReminder, RunAt: w.clock.Now(),
			Payload:   map[string]string{"parent": w.id("so"), "tenant": w.id("alpha"), "week": "2026-W48", "slot": "sat-1500"},
			UniqueKey: quota.ReminderKey(w.id("alpha"), "2026-W48", "sat-1500")}); err != nil {
			t.Fatal(err)
		}
		w.clock.Set(vn(2026, 11, 28, 10, 5))
		w.runAll(wk)
		if n := len(w.smtp.messages()); n != 4 {
			t.Errorf("%d e-mails, want still 4", n)
		}
	})

	t.Run("monday: digest to office staff and the month's snapshot", func(t *testing.T) {
		w.clock.Set(vn(2026, 11, 30, 8, 0).Add(time.Minute))
		w.runAll(wk)
		msgs := w.smtp.messages()
		if len(msgs) != 5 || msgs[4].To[0] != "vanphong@so.gov.vn" {
			t.Fatalf("digest: %d messages, last %+v", len(msgs), msgs[len(msgs)-1])
		}
		d := msgs[4]
		if !strings.Contains(d.Subject, "Tổng hợp chỉ tiêu") || !strings.Contains(d.Body, "Không có phòng, đơn vị nào thiếu chỉ tiêu") ||
			!strings.Contains(d.Body, "Phòng Gamma (Cán bộ đi công tác)") {
			t.Errorf("digest body:\n%s", d.Body)
		}
		s, err := quota.LatestSnapshot(w.ctx, w.db, w.id("so"), "2026-11")
		if err != nil || s == nil || s.Reason != quota.ReasonMonthClosed {
			t.Errorf("November's snapshot: %+v %v", s, err)
		}
		if n := w.failedJobs(); n != 0 {
			t.Errorf("%d jobs failed", n)
		}
	})
}

func TestReminderSurvivesAKilledProcess(t *testing.T) {
	w := newReminderWorld(t)
	// Four recipients: alpha's two, a second editor-in-chief, and beta's
	// (beta's item is withdrawn, so beta is behind too).
	w.person("tb2.alpha@so.gov.vn", "Phó Trưởng Ban Alpha", "alpha", authz.RoleEditorInChief)
	if _, err := w.db.NewUpdate().Table("submissions").Set("state = 'withdrawn'").Where("id = 's-b1'").Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(vn(2026, 11, 26, 9, 0).Add(30 * time.Second))

	// Process 1 dies after the first e-mail went out.
	ctx, kill := context.WithCancel(w.ctx)
	w.smtp.Accepted = func(n int) {
		if n == 1 {
			kill()
		}
	}
	if _, err := w.worker("p1").RunOnce(ctx); err != nil && ctx.Err() == nil {
		t.Fatal(err)
	}
	w.smtp.Accepted = nil
	if n := len(w.smtp.messages()); n != 1 {
		t.Fatalf("process 1 sent %d e-mails before dying, want 1", n)
	}
	// It had also claimed the next e-mail when it died: the job stays
	// running under its name until the lease runs out.
	res, err := w.db.ExecContext(w.ctx, `UPDATE jobs SET state = 'running', locked_by = 'p1', attempts = 1, locked_until = ?
		WHERE id = (SELECT id FROM jobs WHERE kind = ? AND state = 'pending' ORDER BY run_at, id LIMIT 1)`,
		w.clock.Now().Add(time.Minute).UTC(), quota.JobMail)
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("claim for the dead process: %v %d", err, n)
	}

	// Process 2 starts on the same database; the lease expires.
	p2 := w.worker("p2")
	w.runAll(p2)
	w.clock.Set(w.clock.Now().Add(2 * time.Minute))
	w.runAll(p2)
	got := recipients(w.smtp.messages())
	want := []string{"qt.alpha@so.gov.vn", "tb.alpha@so.gov.vn", "tb.beta@so.gov.vn", "tb2.alpha@so.gov.vn"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("recipients %q, want each of %q once", got, want)
	}
	if n := w.failedJobs(); n != 0 {
		t.Errorf("%d jobs failed", n)
	}
}

func TestNoReminderInAnExemptWeek(t *testing.T) {
	w := newReminderWorld(t)
	if _, err := quota.AddExemption(w.ctx, w.db, w.id("so"), quota.ExemptionInput{Week: quota.Week{Year: 2026, Num: 48},
		Reason: "Nghỉ lễ"}, vn(2026, 11, 20, 9, 0)); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(vn(2026, 11, 26, 9, 1))
	w.runAll(w.worker("p1"))
	if n := len(w.smtp.messages()); n != 0 {
		t.Errorf("%d e-mails in a week exempt for everyone", n)
	}
	if n := w.notifications("alpha", "quota.reminder"); n != 0 {
		t.Errorf("%d notifications", n)
	}
}

func TestNextSlot(t *testing.T) {
	slots, _ := config.ParseSchedule("sat 09:00, thu 09:00")
	for _, tc := range []struct{ now, want time.Time }{
		{vn(2026, 11, 25, 10, 0), vn(2026, 11, 26, 9, 0)},
		{vn(2026, 11, 26, 9, 0), vn(2026, 11, 28, 9, 0)},
		{vn(2026, 11, 28, 9, 0), vn(2026, 12, 3, 9, 0)},
		{vn(2026, 11, 29, 23, 59), vn(2026, 12, 3, 9, 0)},
	} {
		got, _, ok := quota.NextSlot(slots, tc.now)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("NextSlot(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
	if _, _, ok := quota.NextSlot(nil, vn(2026, 11, 25, 10, 0)); ok {
		t.Error("an empty schedule has a slot")
	}
}
