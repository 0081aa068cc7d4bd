package post

// Editions: the text of a published item never changes in place.
//
// GOV.UK Whitehall's rule: editing a published item makes a new draft
// edition, and the published text stays live until that edition has been
// approved and published by someone allowed to. Here the posts row keeps
// the live text (every public page, feed, search and copy reads it as
// before) and the pending edition lives beside it in post_editions, one per
// item at most. The edition has its own workflow state (draft, submitted,
// returned, approved); while it exists, the steps of the item's workflow
// apply to it, except withdrawing and unpublishing, which concern the live
// item and discard the edition (its text stays in the revisions).
// Publishing the edition copies its text into the posts row in one
// transaction, with a "publish" revision, and deletes it.
//
// The rules that hold for every text, live or pending:
//   - editing an approved (or scheduled) text sends it back to review;
//   - nobody approves a text they changed since it was submitted
//     (revisions record who saved what after review_from);
//   - an editor never approves a text they wrote, and the editor-in-chief
//     only when the tenant does not ask for a second reviewer always;
//   - whoever force-published an unreviewed text is not the one who later
//     marks it reviewed.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Edition is the pending new text of a published item.
type Edition struct {
	bun.BaseModel `bun:"table:post_editions,alias:e"`

	TenantID  string     `bun:"tenant_id,pk"`
	PostID    string     `bun:"post_id,pk"`
	Status    Status     `bun:"status"` // draft, submitted, returned or approved
	Title     string     `bun:"title"`
	Summary   string     `bun:"summary"`
	Body      string     `bun:"body"`
	Type      Type       `bun:"type"`
	SectionID *string    `bun:"section_id"`
	Fields    string     `bun:"fields"` // comma-separated codes
	EventDate *time.Time `bun:"event_date"`
	Byline    string     `bun:"byline"`
	// BasedOn is the item's version when the edition began.
	BasedOn int `bun:"based_on"`
	// ReviewFrom is the last revision number before the edition's current
	// review round: revisions above it were saved since.
	ReviewFrom   int       `bun:"review_from"`
	LintErrors   int       `bun:"lint_errors"`
	LintWarnings int       `bun:"lint_warnings"`
	CreatedBy    string    `bun:"created_by"`
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedBy    string    `bun:"updated_by"`
	UpdatedAt    time.Time `bun:"updated_at"`

	// SectionSlug is filled by LoadEdition.
	SectionSlug string `bun:"-"`
}

// FieldList is the edition's sector fields.
func (e *Edition) FieldList() []string {
	if e.Fields == "" {
		return []string{}
	}
	return strings.Split(e.Fields, ",")
}

// Text is the item as it would read once the edition is published: the
// live item with the edition's text and state.
func (e *Edition) Text(live *Post) *Post {
	p := *live
	p.Title, p.Summary, p.Body, p.Type, p.Byline = e.Title, e.Summary, e.Body, e.Type, e.Byline
	p.SectionID, p.SectionSlug, p.Fields, p.EventDate = e.SectionID, e.SectionSlug, e.FieldList(), e.EventDate
	p.Status, p.LintErrors, p.LintWarnings, p.Edition = e.Status, e.LintErrors, e.LintWarnings, nil
	return &p
}

// Input is the edition's text as an edit form's input.
func (e *Edition) Input() Input {
	return Input{Title: e.Title, Summary: e.Summary, Body: e.Body, Type: e.Type, Section: e.SectionSlug,
		Fields: e.FieldList(), EventDate: e.EventDate, Byline: e.Byline}
}

// LoadEdition sets p.Edition to the item's pending edition (nil when there
// is none).
func LoadEdition(ctx context.Context, idb bun.IDB, p *Post) error {
	e := new(Edition)
	err := idb.NewSelect().Model(e).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		p.Edition = nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("load edition: %w", err)
	}
	if e.SectionID != nil {
		var slug string
		if err := idb.NewSelect().Table("sections").Column("slug").Where("tenant_id = ? AND id = ?", p.TenantID, *e.SectionID).
			Scan(ctx, &slug); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("load edition section: %w", err)
		}
		e.SectionSlug = slug
	}
	p.Edition = e
	return nil
}

// WithEditions lists a tenant's published items whose pending edition is
// in state st, oldest change first.
func WithEditions(ctx context.Context, idb bun.IDB, tenantID string, st Status) ([]*Post, error) {
	var ids []string
	err := idb.NewSelect().Model((*Edition)(nil)).Column("post_id").Where("tenant_id = ? AND status = ?", tenantID, st).
		Order("updated_at").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("list editions: %w", err)
	}
	out := make([]*Post, 0, len(ids))
	for _, id := range ids {
		p, err := Get(ctx, idb, tenantID, id)
		if err != nil {
			return nil, err
		}
		if err := LoadEdition(ctx, idb, p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// saveEdition writes the edit of a published item into its pending
// edition (made now if there is none), never into the live text. An
// approved edition goes back to review. The item's version still counts
// the edit (optimistic locking covers both texts).
func (s *Service) saveEdition(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, clean Input, sectionID *string, now time.Time) error {
	e := p.Edition
	if e == nil {
		last, err := lastRevision(ctx, tx, t.ID, p.ID)
		if err != nil {
			return err
		}
		e = &Edition{TenantID: t.ID, PostID: p.ID, Status: StatusDraft, BasedOn: p.Version, ReviewFrom: last,
			CreatedBy: actor.ID, CreatedAt: now}
	}
	from := e.Status
	e.Title, e.Summary, e.Body, e.Type, e.Byline = clean.Title, clean.Summary, clean.Body, clean.Type, clean.Byline
	e.SectionID, e.SectionSlug, e.Fields, e.EventDate = sectionID, clean.Section, strings.Join(clean.Fields, ","), dateOnly(clean.EventDate)
	e.UpdatedBy, e.UpdatedAt = actor.ID, now
	text := e.Text(p)
	s.countLint(text)
	e.LintErrors, e.LintWarnings = text.LintErrors, text.LintWarnings
	if e.Status == StatusApproved {
		e.Status = StatusSubmitted
	}
	_, err := tx.NewInsert().Model(e).On("CONFLICT (tenant_id, post_id) DO UPDATE").
		Set("status = EXCLUDED.status, title = EXCLUDED.title, summary = EXCLUDED.summary, body = EXCLUDED.body").
		Set("type = EXCLUDED.type, section_id = EXCLUDED.section_id, fields = EXCLUDED.fields, event_date = EXCLUDED.event_date").
		Set("byline = EXCLUDED.byline, lint_errors = EXCLUDED.lint_errors, lint_warnings = EXCLUDED.lint_warnings").
		Set("updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("save edition: %w", err)
	}
	p.Edition = e
	p.Version++
	p.UpdatedAt, p.UpdatedBy = now, actor.ID
	if _, err := tx.NewUpdate().Model(p).Column("version", "updated_at", "updated_by").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("count edition version: %w", err)
	}
	if err := writeRevision(ctx, tx, text, "edition", p.Version-1, "", actor.ID, now); err != nil {
		return err
	}
	if from == StatusApproved {
		if err := s.recordStep(ctx, tx, t, actor.ID, p, from, StatusSubmitted, true, noteReReview, now); err != nil {
			return err
		}
	}
	return s.afterWrite(ctx, tx, p, "edition")
}

// noteReReview is the note of the step an edit of an approved text takes
// by itself.
const noteReReview = "Nội dung được sửa sau khi duyệt: bài quay lại chờ duyệt"

// stepEdition applies a workflow step to the pending edition of a
// published item and reports the state it left.
func (s *Service) stepEdition(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, in TransitionInput, now time.Time) (Status, error) {
	e := p.Edition
	from := e.Status
	own := e.CreatedBy == actor.ID || p.AuthorID == actor.ID
	switch in.To {
	case StatusSubmitted:
		if e.Status != StatusDraft && e.Status != StatusReturned {
			return from, badStep(e.Status, in.To)
		}
		if !can(actor, "post:submit") || !(own || can(actor, "post:edit-any")) {
			return from, refuse("Bạn không có quyền gửi duyệt bản sửa này")
		}
		text := e.Text(p)
		if len(text.Fields) == 0 {
			return from, errs.Invalid("fields", "fields_required", "Cần chọn ít nhất một lĩnh vực trước khi gửi duyệt")
		}
		if blocking := errorsOnly(s.lint(text)); len(blocking) > 0 {
			return from, &LintError{Findings: blocking}
		}
		last, err := lastRevision(ctx, tx, t.ID, p.ID)
		if err != nil {
			return from, err
		}
		e.Status, e.ReviewFrom = StatusSubmitted, last
	case StatusReturned:
		if e.Status != StatusSubmitted && e.Status != StatusApproved {
			return from, badStep(e.Status, in.To)
		}
		if !can(actor, "post:review") {
			return from, refuse("Bạn không có quyền trả lại bài")
		}
		if in.Note == "" {
			return from, errs.Invalid("note", "note_required", "Cần ghi rõ lý do trả lại để tác giả sửa")
		}
		e.Status = StatusReturned
	case StatusDraft:
		if e.Status != StatusReturned && e.Status != StatusSubmitted {
			return from, badStep(e.Status, in.To)
		}
		if !(own && can(actor, "post:edit-own")) && !can(actor, "post:edit-any") {
			return from, refuse("Bạn không có quyền chuyển bản sửa về bản nháp")
		}
		e.Status = StatusDraft
	case StatusApproved:
		if e.Status != StatusSubmitted {
			return from, badStep(e.Status, in.To)
		}
		if err := s.checkReviewer(ctx, tx, t, actor, p.ID, e.CreatedBy, e.ReviewFrom); err != nil {
			return from, err
		}
		e.Status = StatusApproved
	case StatusPublished:
		return from, s.publishEdition(ctx, tx, t, actor, p, in, now)
	default:
		return from, badStep(e.Status, in.To)
	}
	e.UpdatedAt = now
	if _, err := tx.NewUpdate().Model(e).Column("status", "review_from", "updated_at").WherePK().Exec(ctx); err != nil {
		return from, fmt.Errorf("update edition: %w", err)
	}
	return from, nil
}

// publishEdition makes the approved edition (or, forced with a reason,
// one not approved) the live text of the item.
func (s *Service) publishEdition(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, in TransitionInput, now time.Time) error {
	e := p.Edition
	switch {
	case e.Status == StatusApproved:
		if !can(actor, "post:publish") {
			return refuse("Bạn không có quyền đăng bài")
		}
		p.NotReviewed, p.ForceReason, p.ForcedBy = false, "", ""
	case in.Force:
		if !can(actor, "post:force-publish") {
			return refuse("Bạn không có quyền đăng bài chưa được duyệt")
		}
		if in.Note == "" {
			return errs.Invalid("note", "note_required", "Đăng bài chưa duyệt cần ghi rõ lý do")
		}
		p.NotReviewed, p.ForceReason, p.ForcedBy = true, in.Note, actor.ID
	default:
		return errs.Conflict("not_approved", "Bản sửa chưa được duyệt; chỉ Trưởng/Phó ban được đăng ngay kèm lý do")
	}
	text := e.Text(p)
	if text.SectionID == nil && t.HasSite {
		return errs.Invalid("section", "section_required", "Cần chọn chuyên mục trước khi đăng")
	}
	if err := checkRepublish(ctx, tx, t.ID, text, now); err != nil {
		return err
	}
	p.Title, p.Summary, p.Body, p.Type, p.Byline = text.Title, text.Summary, text.Body, text.Type, text.Byline
	p.SectionID, p.SectionSlug, p.Fields, p.EventDate = text.SectionID, text.SectionSlug, text.Fields, text.EventDate
	s.countLint(p)
	if err := writeFields(ctx, tx, p); err != nil {
		return err
	}
	if err := dropEdition(ctx, tx, p); err != nil {
		return err
	}
	// The live text changed: the hooks that follow edits (copies of the
	// item) run now, not when the edition was saved.
	return s.afterWrite(ctx, tx, p, "edit")
}

// dropEdition deletes an item's pending edition (its text stays in the
// revisions).
func dropEdition(ctx context.Context, tx bun.Tx, p *Post) error {
	if _, err := tx.NewDelete().Model((*Edition)(nil)).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("drop edition: %w", err)
	}
	p.Edition = nil
	return nil
}

// DropEdition discards an item's pending edition inside the caller's
// transaction, for steps outside this package that take an item off the
// site (a copy taken down with its original).
func DropEdition(ctx context.Context, tx bun.Tx, p *Post) error { return dropEdition(ctx, tx, p) }

// DiscardEdition abandons the pending edition of a published item: the
// live text stays as it is, the edition's text stays in the revisions.
func (s *Service) DiscardEdition(ctx context.Context, t *tenancy.Tenant, actor Actor, id string) (*Post, error) {
	var p *Post
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = GetForUpdate(ctx, tx, t.ID, id); err != nil {
			return err
		}
		if err := LoadEdition(ctx, tx, p); err != nil {
			return err
		}
		if p.Edition == nil {
			return errs.Conflict("no_edition", "Bài không có bản sửa nào đang chờ")
		}
		own := p.Edition.CreatedBy == actor.ID && can(actor, "post:edit-own")
		if !own && !can(actor, "post:edit-any") {
			return refuse("Bạn không có quyền hủy bản sửa này")
		}
		now := s.now()
		from := p.Edition.Status
		if err := dropEdition(ctx, tx, p); err != nil {
			return err
		}
		p.Version++
		p.UpdatedAt, p.UpdatedBy = now, actor.ID
		if _, err := tx.NewUpdate().Model(p).Column("version", "updated_at", "updated_by").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("discard edition: %w", err)
		}
		return s.recordStep(ctx, tx, t, actor.ID, p, from, StatusPublished, true, "Hủy bản sửa; bài giữ nội dung đang đăng", now)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// checkReviewer decides whether actor may approve a text written (or its
// edition begun) by authorID and submitted at revision reviewFrom.
func (s *Service) checkReviewer(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, postID, authorID string, reviewFrom int) error {
	if !can(actor, "post:review") {
		return refuse("Bạn không có quyền duyệt bài")
	}
	changed, err := EditedSince(ctx, tx, t.ID, postID, reviewFrom, actor.ID)
	if err != nil {
		return err
	}
	if changed {
		return refuse("Bạn đã sửa nội dung bài sau khi bài được gửi duyệt; cần một người khác duyệt")
	}
	if authorID != actor.ID {
		return nil
	}
	settings, err := SettingsOf(ctx, tx, t.ID)
	if err != nil {
		return err
	}
	// Second pair of eyes: an editor never approves their own item; the
	// editor-in-chief and deputies may, unless the tenant asks for a
	// second reviewer always.
	if settings.AlwaysSecondReviewer || !can(actor, "post:publish") {
		return refuse("Cần một người khác duyệt bài do chính bạn viết")
	}
	return nil
}

// EditedSince reports whether accountID saved the item's text (live or
// pending) in a revision numbered above reviewFrom: then they changed what
// is under review and may not approve it.
func EditedSince(ctx context.Context, idb bun.IDB, tenantID, postID string, reviewFrom int, accountID string) (bool, error) {
	n, err := idb.NewSelect().Model((*Revision)(nil)).
		Where("tenant_id = ? AND post_id = ? AND number > ? AND actor_id = ?", tenantID, postID, reviewFrom, accountID).
		Where("kind IN (?)", bun.List([]string{"save", "edition"})).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("check reviewer's edits: %w", err)
	}
	return n > 0, nil
}

// ReviewFrom is the revision number the current review round of p began
// at: its pending edition's, else its own.
func ReviewFrom(p *Post) int {
	if p.Edition != nil {
		return p.Edition.ReviewFrom
	}
	return p.ReviewFrom
}

// lastRevision is the number of an item's newest revision (0 if none).
func lastRevision(ctx context.Context, idb bun.IDB, tenantID, postID string) (int, error) {
	n, err := nextRevision(ctx, idb, tenantID, postID)
	return n - 1, err
}
