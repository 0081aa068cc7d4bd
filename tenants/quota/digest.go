package quota

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

type weekPayload struct {
	Week string `json:"week"`
}

// DigestKey is the unique key of the digest of a week.
func DigestKey(week string) string { return "quota-digest:" + week }

// enqueueDigest schedules the digest of week w for Monday 08:00 after it.
func enqueueDigest(ctx context.Context, idb bun.IDB, w Week) error {
	_, _, err := jobs.Enqueue(ctx, idb, jobs.Job{Kind: JobDigest, RunAt: w.End().Add(digestHour * time.Hour),
		Payload: weekPayload{Week: w.String()}, UniqueKey: DigestKey(w.String())})
	return err
}

type monthPayload struct {
	Month string `json:"month"`
}

// enqueueClose schedules the snapshot of month p for when its last week ends.
func enqueueClose(ctx context.Context, idb bun.IDB, p Period) error {
	_, _, err := jobs.Enqueue(ctx, idb, jobs.Job{Kind: JobClose, RunAt: p.To(), Payload: monthPayload{Month: p.Key},
		UniqueKey: "quota-close:" + p.Key})
	return err
}

// runDigest tells every office-staff account, per parent, which
// contributors missed the week, then schedules next week's digest.
func (r *Reminders) runDigest(ctx context.Context, j *jobs.Job) error {
	var pl weekPayload
	if err := j.Decode(&pl); err != nil {
		return jobs.Permanent(err)
	}
	w, err := ParseWeek(pl.Week)
	if err != nil {
		return jobs.Permanent(err)
	}
	now := r.now()
	parents, err := Parents(ctx, r.DB)
	if err != nil {
		return err
	}
	type digest struct {
		parent, name, text string
		staff              []recipient
	}
	var digests []digest
	for _, p := range parents {
		rows, err := Grid(ctx, r.DB, p, []Week{w}, now)
		if err != nil || len(rows) == 0 {
			if err != nil {
				return err
			}
			continue
		}
		var name string
		if err := r.DB.NewSelect().Table("tenants").Column("name").Where("id = ?", p).Scan(ctx, &name); err != nil {
			return fmt.Errorf("load parent name: %w", err)
		}
		staff, err := officeStaffOf(ctx, r.DB, p)
		if err != nil {
			return err
		}
		digests = append(digests, digest{parent: p, name: name, text: digestText(name, w, rows), staff: staff})
	}
	return db.InTx(ctx, r.DB, func(ctx context.Context, tx bun.Tx) error {
		for _, d := range digests {
			for _, to := range d.staff {
				if err := post.Notify(ctx, tx, d.parent, to.ID, "quota.digest", "Tổng hợp chỉ tiêu "+w.Label()+" — "+d.name,
					"/bao-cao/chi-tieu?thang="+MonthOf(w.Start()).Key); err != nil {
					return err
				}
				if r.Mailer == nil {
					continue
				}
				key := "digest-mail:" + d.parent + ":" + w.String() + ":" + to.ID
				msg := Message{To: to.Email, ToName: to.Name, MessageID: messageID(key, r.Mailer),
					Subject: fmt.Sprintf("[Trangtin] Tổng hợp chỉ tiêu gửi tin, bài %s — %s", w.Label(), d.name),
					Body:    d.text + "\nXem chi tiết: " + r.ConsoleURL + "/bao-cao/chi-tieu?thang=" + MonthOf(w.Start()).Key + "\n"}
				if _, _, err := jobs.Enqueue(ctx, tx, jobs.Job{Kind: JobMail, TenantID: d.parent, RunAt: now, Payload: msg, UniqueKey: key}); err != nil {
					return err
				}
			}
		}
		if err := enqueueDigest(ctx, tx, w.Next()); err != nil {
			return err
		}
		return j.CompleteTx(ctx, tx)
	})
}

// officeStaffOf lists the office staff who follow a parent's quota: those
// of the parent's organisation and those of the whole platform.
func officeStaffOf(ctx context.Context, idb bun.IDB, parentID string) ([]recipient, error) {
	org, err := tenancy.OrganisationOf(ctx, idb, parentID)
	if err != nil {
		return nil, err
	}
	out, err := holders(ctx, idb, authz.PlatformDomain, authz.RoleOfficeStaff)
	if err != nil {
		return nil, err
	}
	mine, err := holders(ctx, idb, org, authz.RoleOfficeStaff)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, r := range out {
		seen[r.ID] = true
	}
	for _, r := range mine {
		if !seen[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// digestText lists who missed week w and who met it.
func digestText(parent string, w Week, rows []Row) string {
	var missed, met, exempt []string
	for _, r := range rows {
		ws := r.Weeks[0]
		switch ws.State {
		case StateMissed:
			missed = append(missed, fmt.Sprintf("  - %s: đã gửi %d/%d", r.Name, ws.Counted, ws.Quota))
		case StateMet:
			met = append(met, r.Name)
		case StateExempt:
			exempt = append(exempt, fmt.Sprintf("%s (%s)", r.Name, ws.Reason))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Tổng hợp chỉ tiêu gửi tin, bài về %s, %s.\n\n", parent, w.Label())
	if len(missed) == 0 {
		b.WriteString("Không có phòng, đơn vị nào thiếu chỉ tiêu.\n")
	} else {
		fmt.Fprintf(&b, "Các phòng, đơn vị chưa đạt chỉ tiêu (%d):\n%s\n", len(missed), strings.Join(missed, "\n"))
	}
	fmt.Fprintf(&b, "\nĐạt chỉ tiêu: %d phòng, đơn vị.\n", len(met))
	if len(exempt) > 0 {
		fmt.Fprintf(&b, "Được miễn: %s.\n", strings.Join(exempt, "; "))
	}
	return b.String()
}

// runClose snapshots every parent's report of a closed month, then
// schedules the next month's close.
func (r *Reminders) runClose(ctx context.Context, j *jobs.Job) error {
	var pl monthPayload
	if err := j.Decode(&pl); err != nil {
		return jobs.Permanent(err)
	}
	p, err := ParseMonth(pl.Month)
	if err != nil {
		return jobs.Permanent(err)
	}
	now := r.now()
	if !p.Closed(now) {
		return fmt.Errorf("month %s is not closed yet", p.Key)
	}
	parents, err := Parents(ctx, r.DB)
	if err != nil {
		return err
	}
	for _, parent := range parents {
		made, err := CloseMonth(ctx, r.DB, parent, p, now)
		if err != nil {
			return err
		}
		if made {
			r.log().Info("quota report snapshotted", "parent", parent, "month", p.Key)
		}
	}
	next := MonthOf(p.To())
	return enqueueClose(ctx, r.DB, next)
}

// runMail sends one e-mail. A delivery that fails is retried with backoff.
func (r *Reminders) runMail(ctx context.Context, j *jobs.Job) error {
	var msg Message
	if err := j.Decode(&msg); err != nil {
		return jobs.Permanent(err)
	}
	if r.Mailer == nil {
		return jobs.Permanent(errors.New("e-mail is not configured (TRANGTIN_SMTP_HOST)"))
	}
	if err := r.Mailer.Send(ctx, msg); err != nil {
		return err
	}
	r.log().Info("quota e-mail sent", "to", msg.To, "subject", msg.Subject)
	return nil
}

// parseAddress is the domain of an address.
func parseAddress(s string) (string, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	_, domain, ok := strings.Cut(a.Address, "@")
	if !ok {
		return "", errors.New("address without domain")
	}
	return domain, nil
}

// hashKey shortens a job key for a Message-ID.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}
