package quota

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
)

// Job kinds of the quota's background work.
const (
	// JobSchedule runs at a reminder slot: it enqueues one JobReminder per
	// contributor behind, then the next slot.
	JobSchedule = "quota.schedule"
	// JobReminder reminds one contributor for one week and slot.
	JobReminder = "quota.reminder"
	// JobDigest tells office staff who missed a week, then enqueues the next.
	JobDigest = "quota.digest"
	// JobClose snapshots a month's reports when it closes, then the next.
	JobClose = "quota.close"
	// JobMail sends one e-mail.
	JobMail = "quota.mail"
)

// digestHour is when the weekly digest goes out, Monday Vietnam time.
const digestHour = 8

// Reminders does the quota's background work through the job system.
type Reminders struct {
	DB *bun.DB
	// Mailer sends e-mail; nil sends none (notifications still go).
	Mailer *Mailer
	// Schedule is TRANGTIN_REMINDER_SCHEDULE.
	Schedule []config.WeeklySlot
	// ConsoleURL prefixes links in e-mails ("https://admin.example.vn").
	ConsoleURL string
	Log        *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (r *Reminders) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Reminders) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

// Register attaches the handlers to a worker.
func (r *Reminders) Register(w *jobs.Worker) {
	w.Handle(JobSchedule, r.runSchedule)
	w.Handle(JobReminder, r.runReminder)
	w.Handle(JobDigest, r.runDigest)
	w.Handle(JobClose, r.runClose)
	w.Handle(JobMail, r.runMail)
}

// Start enqueues the next occurrence of each recurring job: the next
// reminder slot, this week's digest, this month's close. It is idempotent
// (unique keys), so every process calls it at start.
func (r *Reminders) Start(ctx context.Context) error {
	now := r.now()
	return db.InTx(ctx, r.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := r.enqueueSlot(ctx, tx, now); err != nil {
			return err
		}
		if err := enqueueDigest(ctx, tx, WeekOf(now)); err != nil {
			return err
		}
		return enqueueClose(ctx, tx, MonthOf(now))
	})
}

// NextSlot is the first reminder slot strictly after t.
func NextSlot(slots []config.WeeklySlot, t time.Time) (time.Time, config.WeeklySlot, bool) {
	var best time.Time
	var slot config.WeeklySlot
	start := WeekOf(t).Start()
	for _, s := range slots {
		at := start.AddDate(0, 0, (int(s.Day)+6)%7).Add(time.Duration(s.Hour)*time.Hour + time.Duration(s.Minute)*time.Minute)
		if !at.After(t) {
			at = at.AddDate(0, 0, 7)
		}
		if best.IsZero() || at.Before(best) {
			best, slot = at, s
		}
	}
	return best, slot, !best.IsZero()
}

type slotPayload struct {
	At   time.Time `json:"at"`
	Slot string    `json:"slot"`
}

func (r *Reminders) enqueueSlot(ctx context.Context, idb bun.IDB, after time.Time) error {
	at, slot, ok := NextSlot(r.Schedule, after)
	if !ok {
		return nil
	}
	_, _, err := jobs.Enqueue(ctx, idb, jobs.Job{Kind: JobSchedule, RunAt: at, Payload: slotPayload{At: at.UTC(), Slot: slot.Key()},
		UniqueKey: "quota-schedule:" + WeekOf(at).String() + ":" + slot.Key()})
	return err
}

type reminderPayload struct {
	Parent string `json:"parent"`
	Tenant string `json:"tenant"`
	Week   string `json:"week"`
	Slot   string `json:"slot"`
}

// ReminderKey is the unique key of the reminder of a contributor, week and slot.
func ReminderKey(tenantID, week, slot string) string {
	return "reminder:" + tenantID + ":" + week + ":" + slot
}

// runSchedule: at a slot, every contributor whose current week is open
// (below quota, not exempt) gets a reminder job; then the next slot.
func (r *Reminders) runSchedule(ctx context.Context, j *jobs.Job) error {
	var pl slotPayload
	if err := j.Decode(&pl); err != nil {
		return jobs.Permanent(err)
	}
	now := r.now()
	w := WeekOf(pl.At)
	parents, err := Parents(ctx, r.DB)
	if err != nil {
		return err
	}
	var due []reminderPayload
	for _, p := range parents {
		rows, err := Grid(ctx, r.DB, p, []Week{w}, now)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if row.Weeks[0].State == StateOpen {
				due = append(due, reminderPayload{Parent: p, Tenant: row.ID, Week: w.String(), Slot: pl.Slot})
			}
		}
	}
	return db.InTx(ctx, r.DB, func(ctx context.Context, tx bun.Tx) error {
		for _, d := range due {
			if _, _, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: JobReminder, TenantID: d.Tenant, RunAt: now, Payload: d,
				UniqueKey: ReminderKey(d.Tenant, d.Week, d.Slot)}); err != nil {
				return err
			}
		}
		after := now
		if pl.At.After(after) {
			after = pl.At
		}
		if err := r.enqueueSlot(ctx, tx, after); err != nil {
			return err
		}
		return j.CompleteTx(ctx, tx)
	})
}

// runReminder checks the contributor is still behind, then in one
// transaction: a notification to its board and one e-mail job per
// editor-in-chief and site-admin, and the job's completion.
func (r *Reminders) runReminder(ctx context.Context, j *jobs.Job) error {
	var pl reminderPayload
	if err := j.Decode(&pl); err != nil {
		return jobs.Permanent(err)
	}
	w, err := ParseWeek(pl.Week)
	if err != nil {
		return jobs.Permanent(err)
	}
	now := r.now()
	st, err := Standing(ctx, r.DB, pl.Parent, pl.Tenant, w, w, now)
	if err != nil {
		return err
	}
	if len(st) == 0 || st[0].State != StateOpen {
		return nil // met, exempt, over, or no longer a contributor
	}
	var names struct {
		Slug   string `bun:"slug"`
		Name   string `bun:"name"`
		Parent string `bun:"parent_name"`
	}
	if err := r.DB.NewRaw(`SELECT t.slug, t.name, p.name AS parent_name FROM tenants AS t JOIN tenants AS p ON p.id = t.parent_id
		WHERE t.id = ? AND t.parent_id = ?`, pl.Tenant, pl.Parent).Scan(ctx, &names); err != nil {
		return fmt.Errorf("load contributor: %w", err)
	}
	cur := Current{TenantSlug: names.Slug, TenantName: names.Name, ParentName: names.Parent, Week: w, WeekStanding: st[0], Left: w.End().Sub(now)}
	link := "/t/" + names.Slug + "/chi-tieu"
	text := fmt.Sprintf("Nhắc gửi tin, bài: %s, %s đã gửi %d/%d tin, bài cho %s — còn %s.",
		w.Label(), names.Name, cur.Counted, cur.Quota, names.Parent, leftText(cur.Left))
	recipients, err := boardRecipients(ctx, r.DB, pl.Tenant)
	if err != nil {
		return err
	}
	return db.InTx(ctx, r.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := post.Notify(ctx, tx, pl.Tenant, "", "quota.reminder", text, link); err != nil {
			return err
		}
		if r.Mailer == nil {
			r.log().Info("quota reminder without e-mail: TRANGTIN_SMTP_HOST is not set", "tenant", names.Slug, "week", pl.Week)
		}
		for _, to := range recipients {
			if r.Mailer == nil {
				break
			}
			key := "reminder-mail:" + pl.Tenant + ":" + pl.Week + ":" + pl.Slot + ":" + to.ID
			msg := Message{To: to.Email, ToName: to.Name, MessageID: messageID(key, r.Mailer),
				Subject: fmt.Sprintf("[Trangtin] Nhắc gửi tin, bài %s — %s", w.Label(), names.Name),
				Body:    reminderBody(to.Name, cur, r.ConsoleURL+link)}
			if _, _, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: JobMail, TenantID: pl.Tenant, RunAt: now, Payload: msg, UniqueKey: key}); err != nil {
				return err
			}
		}
		return j.CompleteTx(ctx, tx)
	})
}

// leftText is "2 ngày", or "chưa đầy 1 ngày" on the last day.
func leftText(d time.Duration) string {
	if n := int(d / (24 * time.Hour)); n > 0 {
		return fmt.Sprintf("%d ngày", n)
	}
	return "chưa đầy 1 ngày"
}

func reminderBody(name string, c Current, link string) string {
	return fmt.Sprintf(`Kính gửi %s,

Theo quy định, mỗi phòng nghiệp vụ, đơn vị trực thuộc gửi ít nhất %d tin, bài mỗi tuần về Ban Biên tập Trang thông tin điện tử %s.

%s (%s – %s): %s đã gửi %d/%d tin, bài. Tuần này còn %s (đến 24 giờ Chủ nhật).

Đề nghị đồng chí chỉ đạo gửi tin, bài kịp thời.
Xem tình hình của đơn vị: %s

Văn phòng Sở (thư tự động từ Trangtin)
`, name, c.Quota, c.ParentName, c.Week.Label(), vntext.Date(c.Week.Start()), vntext.Date(c.Week.End().Add(-time.Second)),
		c.TenantName, c.Counted, c.Quota, leftText(c.Left), link)
}

// messageID is a Message-ID that names the job's key, so a mail system
// can also drop a duplicate.
func messageID(key string, m *Mailer) string {
	domain := "trangtin.local"
	if m != nil {
		if a, err := parseAddress(m.From); err == nil {
			domain = a
		}
	}
	return hashKey(key) + "@" + domain
}

// recipient is an account that gets an e-mail.
type recipient struct {
	ID    string `bun:"id"`
	Email string `bun:"email"`
	Name  string `bun:"name"`
}

// boardRecipients are the active editors-in-chief and site-admins of a tenant.
func boardRecipients(ctx context.Context, idb bun.IDB, tenantID string) ([]recipient, error) {
	return holders(ctx, idb, tenantID, authz.RoleEditorInChief, authz.RoleSiteAdmin)
}

// holders lists the active accounts holding one of roles in domain.
func holders(ctx context.Context, idb bun.IDB, domain string, roles ...string) ([]recipient, error) {
	var out []recipient
	err := idb.NewRaw(`SELECT DISTINCT a.id, a.email, a.name FROM authz_assignments AS aa
		JOIN accounts AS a ON a.id = aa.account_id
		WHERE aa.domain = ? AND aa.role IN (?) AND a.status = 'active' ORDER BY a.email`, domain, bun.List(roles)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("list recipients: %w", err)
	}
	return out, nil
}

// Parents lists the tenants that have or had children: the departments,
// any unit with units under it, and a parent whose children all moved
// away (its months before the move still close).
func Parents(ctx context.Context, idb bun.IDB) ([]string, error) {
	var out []string
	if err := idb.NewRaw(`SELECT parent_id FROM tenants WHERE parent_id IS NOT NULL
		UNION SELECT parent_id FROM tenant_history WHERE parent_id IS NOT NULL ORDER BY 1`).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list parents: %w", err)
	}
	return out, nil
}
