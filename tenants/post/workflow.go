package post

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post/lint"
)

// JobPublish is the job kind that publishes a scheduled item.
const JobPublish = "post.publish"

// TransitionInput is one requested workflow step.
type TransitionInput struct {
	To   Status
	Note string
	// At is the publication time for To == scheduled.
	At *time.Time
	// Force publishes an item that was not approved (needs a note).
	Force bool
}

// LintError refuses a submission whose text has error findings.
type LintError struct{ Findings []lint.Finding }

func (e *LintError) Error() string { return fmt.Sprintf("%d presentation errors", len(e.Findings)) }

// Unwrap classifies the refusal as invalid input.
func (e *LintError) Unwrap() error {
	return errs.Invalid("body", "lint_errors", "Bài còn lỗi trình bày cần sửa trước khi gửi duyệt")
}

func can(a Actor, p string) bool { return a.Can(authz.Permission(p)) }

func refuse(msg string) error { return errs.Forbidden("transition_forbidden", msg) }

func badStep(from, to Status) error {
	return errs.Conflict("transition_invalid", fmt.Sprintf("Không thể chuyển bài từ trạng thái %q sang %q", from.Label(), to.Label()))
}

// ParseStatus reads a requested target state; "archived" (the API's word)
// means unpublished.
func ParseStatus(s string) (Status, error) {
	if s == "archived" {
		return StatusUnpublished, nil
	}
	st := Status(s)
	if !st.Valid() {
		return "", errs.Invalid("to", "status_invalid", fmt.Sprintf("Trạng thái %q không hợp lệ", s))
	}
	return st, nil
}

// Transition moves an item through the workflow. The rules per role are
// permissions (Casbin data); this function decides which permission a step
// needs and which steps exist. The change, its transition record and any
// job it needs commit together. While a published item has a pending
// edition, the steps concern the edition (edition.go), except withdrawing
// and unpublishing, which take the live item off and discard the edition.
func (s *Service) Transition(ctx context.Context, t *tenancy.Tenant, actor Actor, id string, in TransitionInput) (*Post, error) {
	in.Note = strings.TrimSpace(in.Note)
	var p *Post
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		p, err = GetForUpdate(ctx, tx, t.ID, id)
		if err != nil {
			return err
		}
		if err := LoadEdition(ctx, tx, p); err != nil {
			return err
		}
		now := s.now()
		if p.Edition != nil && in.To != StatusWithdrawn && in.To != StatusUnpublished {
			return s.transitionEdition(ctx, tx, t, actor, p, in, now)
		}
		from := p.Status
		if err := s.apply(ctx, tx, t, actor, p, in, now); err != nil {
			return err
		}
		if p.Edition != nil {
			if err := dropEdition(ctx, tx, p); err != nil {
				return err
			}
		}
		p.UpdatedAt, p.UpdatedBy = now, actor.ID
		if _, err := tx.NewUpdate().Model(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update post status: %w", err)
		}
		if p.Status == StatusPublished {
			// The text as published is kept as its own revision.
			if err := writeRevision(ctx, tx, p, "publish", p.Version, in.Note, actor.ID, now); err != nil {
				return err
			}
		}
		if err := s.recordStep(ctx, tx, t, actor.ID, p, from, p.Status, false, in.Note, now); err != nil {
			return err
		}
		return s.afterWrite(ctx, tx, p, "status:"+string(p.Status))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// transitionEdition takes a step of a published item's pending edition.
func (s *Service) transitionEdition(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, in TransitionInput, now time.Time) error {
	from, err := s.stepEdition(ctx, tx, t, actor, p, in, now)
	if err != nil {
		return err
	}
	p.UpdatedAt, p.UpdatedBy = now, actor.ID
	if _, err := tx.NewUpdate().Model(p).WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	if in.To == StatusPublished {
		if err := writeRevision(ctx, tx, p, "publish", p.Version, in.Note, actor.ID, now); err != nil {
			return err
		}
	}
	return s.recordStep(ctx, tx, t, actor.ID, p, from, in.To, true, in.Note, now)
}

// recordStep records a workflow step (of the item, or of its edition) and
// its audit event in the caller's transaction.
func (s *Service) recordStep(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actorID string, p *Post, from, to Status, edition bool, note string, now time.Time) error {
	tr := &Transition{TenantID: t.ID, ID: db.NewID(), PostID: p.ID, From: from, To: to, ActorID: actorID, Note: note, Edition: edition, CreatedAt: now}
	if _, err := tx.NewInsert().Model(tr).Exec(ctx); err != nil {
		return fmt.Errorf("record transition: %w", err)
	}
	if s.Audit == nil {
		return nil
	}
	action := "post." + string(to)
	if edition {
		action = "post.edition." + string(to)
	}
	return s.Audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: actorID, Action: action, Subject: p.ID,
		Detail: map[string]any{"from": string(from), "title": p.Title}})
}

func (s *Service) apply(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, in TransitionInput, now time.Time) error {
	own := p.AuthorID == actor.ID
	switch in.To {
	case StatusSubmitted:
		if p.Status != StatusDraft && p.Status != StatusReturned {
			return badStep(p.Status, in.To)
		}
		if !can(actor, "post:submit") || !(own || can(actor, "post:edit-any")) {
			return refuse("Bạn không có quyền gửi duyệt bài này")
		}
		if len(p.Fields) == 0 {
			return errs.Invalid("fields", "fields_required", "Cần chọn ít nhất một lĩnh vực trước khi gửi duyệt")
		}
		if blocking := errorsOnly(s.lint(p)); len(blocking) > 0 {
			return &LintError{Findings: blocking}
		}
		last, err := lastRevision(ctx, tx, t.ID, p.ID)
		if err != nil {
			return err
		}
		p.Status, p.ReviewFrom = StatusSubmitted, last
	case StatusReturned:
		if p.Status != StatusSubmitted && p.Status != StatusApproved && p.Status != StatusScheduled {
			return badStep(p.Status, in.To)
		}
		if !can(actor, "post:review") {
			return refuse("Bạn không có quyền trả lại bài")
		}
		if in.Note == "" {
			return errs.Invalid("note", "note_required", "Cần ghi rõ lý do trả lại để tác giả sửa")
		}
		p.Status, p.ScheduledAt = StatusReturned, nil
	case StatusDraft:
		if p.Status != StatusReturned && p.Status != StatusWithdrawn && p.Status != StatusUnpublished && p.Status != StatusSubmitted {
			return badStep(p.Status, in.To)
		}
		if !(own && can(actor, "post:edit-own")) && !can(actor, "post:edit-any") {
			return refuse("Bạn không có quyền chuyển bài về bản nháp")
		}
		p.Status = StatusDraft
	case StatusApproved:
		if err := s.approve(ctx, tx, t, actor, p); err != nil {
			return err
		}
	case StatusScheduled:
		if p.Status != StatusApproved && p.Status != StatusScheduled {
			return badStep(p.Status, in.To)
		}
		if !can(actor, "post:schedule") {
			return refuse("Bạn không có quyền hẹn giờ đăng bài")
		}
		if in.At == nil || !in.At.After(now) {
			return errs.Invalid("at", "schedule_time", "Thời điểm hẹn đăng phải ở tương lai")
		}
		// Microseconds: what both dialects store, so PublishDue finds the
		// stored time equal to the one in the job.
		at := in.At.UTC().Truncate(time.Microsecond)
		if err := checkRepublish(ctx, tx, t.ID, p, at); err != nil {
			return err
		}
		p.Status, p.ScheduledAt = StatusScheduled, &at
		if err := enqueuePublish(ctx, tx, t.ID, p.ID, at); err != nil {
			return err
		}
	case StatusPublished:
		if err := s.publish(ctx, tx, t, actor, p, in, now); err != nil {
			return err
		}
	case StatusWithdrawn, StatusUnpublished:
		if p.Status != StatusPublished && !(in.To == StatusUnpublished && p.Status == StatusWithdrawn) {
			return badStep(p.Status, in.To)
		}
		if !can(actor, "post:withdraw") {
			return refuse("Bạn không có quyền gỡ bài")
		}
		if in.Note == "" {
			return errs.Invalid("note", "note_required", "Cần ghi rõ lý do gỡ bài")
		}
		p.Status, p.WithdrawReason = in.To, in.Note
		p.WithdrawnAt = &now
	default:
		return badStep(p.Status, in.To)
	}
	return nil
}

func (s *Service) approve(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post) error {
	review := p.Status == StatusSubmitted || (p.Status == StatusPublished && p.NotReviewed)
	if !review {
		return badStep(p.Status, StatusApproved)
	}
	if p.Status == StatusPublished && p.ForcedBy == actor.ID {
		return refuse("Bạn đã đăng bài này khi chưa được duyệt; cần một người khác duyệt")
	}
	if err := s.checkReviewer(ctx, tx, t, actor, p.ID, p.AuthorID, p.ReviewFrom); err != nil {
		return err
	}
	if p.Status == StatusPublished {
		p.NotReviewed, p.ForcedBy = false, ""
		return nil
	}
	p.Status = StatusApproved
	return nil
}

func (s *Service) publish(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, in TransitionInput, now time.Time) error {
	if !can(actor, "post:publish") && !can(actor, "post:force-publish") {
		return refuse("Bạn không có quyền đăng bài")
	}
	switch {
	case p.Status == StatusApproved || p.Status == StatusScheduled:
		if !can(actor, "post:publish") {
			return refuse("Bạn không có quyền đăng bài")
		}
		p.NotReviewed, p.ForceReason, p.ForcedBy = false, "", ""
	case (p.Status == StatusDraft || p.Status == StatusSubmitted || p.Status == StatusReturned) && in.Force:
		if !can(actor, "post:force-publish") {
			return refuse("Bạn không có quyền đăng bài chưa được duyệt")
		}
		if in.Note == "" {
			return errs.Invalid("note", "note_required", "Đăng bài chưa duyệt cần ghi rõ lý do")
		}
		p.NotReviewed, p.ForceReason, p.ForcedBy = true, in.Note, actor.ID
	case p.Status == StatusDraft || p.Status == StatusSubmitted || p.Status == StatusReturned:
		return errs.Conflict("not_approved", "Bài chưa được duyệt; chỉ Trưởng/Phó ban được đăng ngay kèm lý do")
	default:
		return badStep(p.Status, StatusPublished)
	}
	if !t.HasSite {
		return errs.Conflict("no_site", "Đơn vị chưa có trang thông tin; hãy gửi bài lên Ban Biên tập Sở")
	}
	if p.SectionID == nil {
		return errs.Invalid("section", "section_required", "Cần chọn chuyên mục trước khi đăng")
	}
	if err := checkRepublish(ctx, tx, t.ID, p, now); err != nil {
		return err
	}
	p.Status, p.ScheduledAt, p.WithdrawnAt, p.WithdrawReason = StatusPublished, nil, nil, ""
	p.PublishedAt = &now
	if p.FirstPublishedAt == nil {
		p.FirstPublishedAt = &now
	}
	return nil
}

func errorsOnly(fs []lint.Finding) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if f.Severity == lint.Error {
			out = append(out, f)
		}
	}
	return out
}

// publishKey is the unique key of the job publishing an item at a time.
func publishKey(postID string, at time.Time) string {
	return fmt.Sprintf("%s:%s:%d", JobPublish, postID, at.UnixNano())
}

// enqueuePublish schedules the job that publishes an item at a time.
func enqueuePublish(ctx context.Context, idb bun.IDB, tenantID, postID string, at time.Time) error {
	_, _, err := jobs.Enqueue(ctx, idb, jobs.Job{
		Kind: JobPublish, TenantID: tenantID, RunAt: at,
		Payload:   map[string]string{"tenant_id": tenantID, "post_id": postID, "at": at.Format(time.RFC3339Nano)},
		UniqueKey: publishKey(postID, at),
	})
	if err != nil {
		return fmt.Errorf("schedule publication: %w", err)
	}
	return nil
}

// PublishDue is the job handler for JobPublish: it publishes the item if it
// is still scheduled for that time. An item that was returned or changed
// meanwhile is not published, and its board is told.
func (s *Service) PublishDue(ctx context.Context, tenantID, postID string, at time.Time) error {
	return db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		p, err := GetForUpdate(ctx, tx, tenantID, postID)
		if errs.Is(err, errs.KindNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if p.Status == StatusPublished {
			return nil // done by an earlier run, or published by hand meanwhile
		}
		if p.Status == StatusScheduled && p.ScheduledAt != nil && !p.ScheduledAt.Equal(at) {
			return nil // rescheduled to another time: that time's job publishes it
		}
		if p.Status != StatusScheduled {
			return Notify(ctx, tx, tenantID, "", "schedule_missed",
				fmt.Sprintf("Bài “%s” không được đăng theo lịch vì không còn ở trạng thái hẹn giờ (hiện: %s).", p.Title, p.Status.Label()),
				consoleLink(ctx, tx, tenantID, p.ID))
		}
		now := s.now()
		if err := checkRepublish(ctx, tx, tenantID, p, now); err != nil {
			_, msg, _ := errs.Public(err)
			return Notify(ctx, tx, tenantID, "", "schedule_missed", fmt.Sprintf("Bài “%s” không được đăng theo lịch: %s", p.Title, msg), consoleLink(ctx, tx, tenantID, p.ID))
		}
		p.Status, p.ScheduledAt = StatusPublished, nil
		p.PublishedAt = &now
		if p.FirstPublishedAt == nil {
			p.FirstPublishedAt = &now
		}
		p.UpdatedAt = now
		if _, err := tx.NewUpdate().Model(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("publish scheduled post: %w", err)
		}
		tr := &Transition{TenantID: tenantID, ID: db.NewID(), PostID: p.ID, From: StatusScheduled, To: StatusPublished, ActorID: "system", Note: "Đăng theo lịch", CreatedAt: now}
		if _, err := tx.NewInsert().Model(tr).Exec(ctx); err != nil {
			return fmt.Errorf("record transition: %w", err)
		}
		return s.afterWrite(ctx, tx, p, "status:published")
	})
}

// PublishJob handles a JobPublish job.
func (s *Service) PublishJob(ctx context.Context, j *jobs.Job) error {
	var pl struct {
		TenantID string `json:"tenant_id"`
		PostID   string `json:"post_id"`
		At       string `json:"at"`
	}
	if err := j.Decode(&pl); err != nil {
		return jobs.Permanent(err)
	}
	at, err := time.Parse(time.RFC3339Nano, pl.At)
	if err != nil {
		return fmt.Errorf("decode publish job time: %w", err)
	}
	return s.PublishDue(ctx, pl.TenantID, pl.PostID, at)
}

// consoleLink is an item's page in the console (notifications link there,
// not to the public site: the item is not public).
func consoleLink(ctx context.Context, idb bun.IDB, tenantID, postID string) string {
	var slug string
	if err := idb.NewSelect().Table("tenants").Column("slug").Where("id = ?", tenantID).Scan(ctx, &slug); err != nil {
		return ""
	}
	return "/t/" + slug + "/bai-viet/" + postID
}

// Notification is a message in the console.
type Notification struct {
	bun.BaseModel `bun:"table:notifications"`

	TenantID  string     `bun:"tenant_id,pk"`
	ID        string     `bun:"id,pk"`
	AccountID *string    `bun:"account_id"`
	Kind      string     `bun:"kind"`
	Message   string     `bun:"message"`
	Link      string     `bun:"link"`
	CreatedAt time.Time  `bun:"created_at"`
	ReadAt    *time.Time `bun:"read_at"`
}

// Notify records a notification for one account, or the tenant's whole
// board when accountID is empty, in the caller's transaction.
func Notify(ctx context.Context, idb bun.IDB, tenantID, accountID, kind, message, link string) error {
	n := &Notification{TenantID: tenantID, ID: db.NewID(), Kind: kind, Message: message, Link: link, CreatedAt: time.Now().UTC()}
	if accountID != "" {
		n.AccountID = &accountID
	}
	if _, err := idb.NewInsert().Model(n).Exec(ctx); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Notifications lists a tenant's recent notifications visible to an account.
func Notifications(ctx context.Context, idb bun.IDB, tenantID, accountID string, limit int) ([]Notification, error) {
	var ns []Notification
	err := idb.NewSelect().Model(&ns).Where("tenant_id = ? AND (account_id IS NULL OR account_id = ?)", tenantID, accountID).
		Order("created_at DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	return ns, nil
}
