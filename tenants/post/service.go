package post

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post/lint"
	"github.com/trangtin/trangtin/tenants/post/sanitize"
)

// DefaultSection is where an item without a section goes.
const DefaultSection = "tin-tuc-su-kien"

// Actor is who acts, with the permission check of the tenant being acted in.
type Actor struct {
	ID  string
	Can func(p authz.Permission) bool
}

// Input is the editable text of an item.
type Input struct {
	Title     string
	Summary   string
	Body      string
	Type      Type
	Section   string // section slug; empty = DefaultSection
	Fields    []string
	EventDate *time.Time
	Byline    string
	// Source is the press source of a republished item (republished.go).
	Source *SourceInput
	// Extension is extra data of a typed item that a feature stores in
	// its own tables from an AfterWrite hook (a document's metadata and
	// files, tenants/document); nil leaves it unchanged.
	Extension any
}

// Service writes items: every write is one transaction with its revision.
type Service struct {
	DB        *bun.DB
	Sanitizer *sanitize.Policy
	// Lint returns the presentation findings of a text; nil uses lint.Run
	// with the default rules.
	Lint func(d lint.Doc) []lint.Finding
	// AfterWrite runs inside the transaction of every write (create, edit,
	// transition), for features that follow items (cross-posting).
	AfterWrite []func(ctx context.Context, tx bun.Tx, p *Post, change string) error
	Now        func() time.Time
	// Audit, when set, records every workflow step in the audit log, in
	// the step's transaction.
	Audit *audit.Log
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) lint(p *Post) []lint.Finding {
	d := lint.Doc{Title: p.Title, Summary: p.Summary, BodyHTML: p.Body}
	if s.Lint != nil {
		return s.Lint(d)
	}
	return lint.Run(d, lint.Config{})
}

// Findings returns the presentation findings of an item as it stands.
func (s *Service) Findings(p *Post) []lint.Finding { return s.lint(p) }

// normalise validates in and returns it cleaned: NFC everywhere, body
// sanitised, fields checked against the sector's list.
func (s *Service) normalise(ctx context.Context, idb bun.IDB, t *tenancy.Tenant, in Input) (Input, *string, error) {
	in.Title = strings.Join(strings.Fields(vntext.NFC(in.Title)), " ")
	in.Summary = strings.TrimSpace(vntext.NFC(in.Summary))
	in.Byline = strings.TrimSpace(vntext.NFC(in.Byline))
	in.Body = s.Sanitizer.Clean(in.Body)
	switch {
	case in.Title == "":
		return in, nil, errs.Invalid("title", "title_required", "Cần nhập tiêu đề")
	case utf8.RuneCountInString(in.Title) > 300:
		return in, nil, errs.Invalid("title", "title_too_long", "Tiêu đề dài quá 300 ký tự")
	case utf8.RuneCountInString(in.Summary) > 2000:
		return in, nil, errs.Invalid("summary", "summary_too_long", "Sa-pô dài quá 2000 ký tự")
	case len(in.Body) > 2<<20:
		return in, nil, errs.Invalid("body", "body_too_long", "Nội dung dài quá 2 MB")
	}
	if in.Type == "" {
		in.Type = TypeNews
	}
	if !in.Type.Valid() {
		return in, nil, errs.Invalid("type", "type_invalid", fmt.Sprintf("Loại bài %q không hợp lệ", in.Type))
	}
	fields, err := checkFields(ctx, idb, in.Fields)
	if err != nil {
		return in, nil, err
	}
	in.Fields = fields
	var sectionID *string
	if t.HasSite || in.Section != "" {
		slug := in.Section
		if slug == "" {
			slug = DefaultSection
		}
		sec, err := tenancy.SectionBySlug(ctx, idb, t.ID, slug)
		if err != nil {
			if errs.Is(err, errs.KindNotFound) {
				return in, nil, errs.Invalid("section", "section_unknown", fmt.Sprintf("Không có chuyên mục %q", slug))
			}
			return in, nil, err
		}
		in.Section = sec.Slug
		sectionID = &sec.ID
	}
	return in, sectionID, nil
}

func checkFields(ctx context.Context, idb bun.IDB, codes []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return []string{}, nil
	}
	var known []string
	if err := idb.NewSelect().Table("sector_fields").Column("code").Where("code IN (?)", bun.List(out)).Scan(ctx, &known); err != nil {
		return nil, fmt.Errorf("check fields: %w", err)
	}
	ok := map[string]bool{}
	for _, k := range known {
		ok[k] = true
	}
	for _, c := range out {
		if !ok[c] {
			return nil, errs.Invalid("fields", "field_unknown", fmt.Sprintf("Lĩnh vực %q không có trong danh mục", c))
		}
	}
	return out, nil
}

// Create writes a new draft and its first revision.
func (s *Service) Create(ctx context.Context, t *tenancy.Tenant, actor Actor, in Input) (*Post, error) {
	if !actor.Can(authz.Permission("post:create")) {
		return nil, errs.Forbidden("forbidden", "Bạn không có quyền tạo bài viết ở đơn vị này")
	}
	if err := t.AcceptsItems(); err != nil {
		return nil, err
	}
	var p *Post
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		clean, sectionID, err := s.normalise(ctx, tx, t, in)
		if err != nil {
			return err
		}
		now := s.now()
		p = &Post{
			TenantID: t.ID, ID: db.NewID(), Title: clean.Title, Summary: clean.Summary, Body: clean.Body,
			Type: clean.Type, Status: StatusDraft, Version: 1, SectionID: sectionID, EventDate: dateOnly(clean.EventDate),
			Byline: clean.Byline, AuthorID: actor.ID, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor.ID,
			Fields: clean.Fields, SectionSlug: clean.Section, Extension: in.Extension,
		}
		if err := applySource(ctx, tx, t.ID, p, in.Source, now); err != nil {
			return err
		}
		s.countLint(p)
		if err := saveWithSlug(ctx, tx, p, func() error {
			_, err := tx.NewInsert().Model(p).Exec(ctx)
			return err
		}); err != nil {
			return fmt.Errorf("insert post: %w", err)
		}
		if err := writeFields(ctx, tx, p); err != nil {
			return err
		}
		if err := writeRevision(ctx, tx, p, "create", 0, "", actor.ID, now); err != nil {
			return err
		}
		return s.afterWrite(ctx, tx, p, "create")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) afterWrite(ctx context.Context, tx bun.Tx, p *Post, change string) error {
	for _, fn := range s.AfterWrite {
		if err := fn(ctx, tx, p, change); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) countLint(p *Post) {
	p.LintErrors, p.LintWarnings = 0, 0
	for _, f := range s.lint(p) {
		if f.Severity == lint.Error {
			p.LintErrors++
		} else {
			p.LintWarnings++
		}
	}
}

func dateOnly(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	d := t.In(vntext.Location())
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return &day
}

// ConflictError is returned when an edit was based on an older version.
// The attempted text is kept as a revision of kind "conflict".
type ConflictError struct {
	Current         *Post
	BasedOn         int
	ConflictVersion int // the revision number holding the attempted text
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("edit based on version %d, item is at version %d", e.BasedOn, e.Current.Version)
}

// Unwrap classifies the conflict for the web layer (409).
func (e *ConflictError) Unwrap() error {
	return errs.Conflict("version_conflict", fmt.Sprintf(
		"Bài viết đã được người khác sửa (phiên bản %d, bạn sửa từ phiên bản %d). Nội dung của bạn đã được lưu thành phiên bản %d để đối chiếu.",
		e.Current.Version, e.BasedOn, e.ConflictVersion))
}

// editable reports whether actor may change p's text now. The text of a
// published item is changed through its pending edition, which its author
// (or the edition's) may write while it is a draft or returned.
func editable(p *Post, actor Actor) error {
	own := p.AuthorID == actor.ID
	draftish := p.Status == StatusDraft || p.Status == StatusReturned
	if p.Status == StatusPublished {
		own = own || p.Edition != nil && p.Edition.CreatedBy == actor.ID
		draftish = p.Edition == nil || p.Edition.Status == StatusDraft || p.Edition.Status == StatusReturned
	}
	switch {
	case actor.Can(authz.Permission("post:edit-any")):
	case own && actor.Can(authz.Permission("post:edit-own")) && draftish:
	case own && actor.Can(authz.Permission("post:edit-own")):
		return errs.Forbidden("not_editable", "Bài đã gửi duyệt; chỉ biên tập viên mới sửa được")
	default:
		return errs.Forbidden("forbidden", "Bạn không có quyền sửa bài viết này")
	}
	switch p.Status {
	case StatusUnpublished:
		return errs.Conflict("not_editable", "Bài đã ngừng đăng; hãy chuyển về bản nháp trước khi sửa")
	case StatusWithdrawn:
		return errs.Conflict("not_editable", "Bài đã gỡ (trang vẫn hiển thị thông báo gỡ kèm nội dung); hãy chuyển về bản nháp trước khi sửa")
	}
	return nil
}

// Update saves a new version of an item's text. baseVersion is the version
// the editor started from: if the item moved on meanwhile, the attempted
// text is kept as a conflict revision and a *ConflictError is returned;
// nothing is overwritten. The text of a published item is not touched: the
// edit goes into its pending edition (edition.go). Editing an approved or
// scheduled item sends it back to review.
func (s *Service) Update(ctx context.Context, t *tenancy.Tenant, actor Actor, id string, baseVersion int, in Input) (*Post, error) {
	var p *Post
	var conflict *ConflictError
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		p, err = GetForUpdate(ctx, tx, t.ID, id)
		if err != nil {
			return err
		}
		if err := LoadEdition(ctx, tx, p); err != nil {
			return err
		}
		if err := editable(p, actor); err != nil {
			return err
		}
		if err := s.checkLock(p, in); err != nil {
			return err
		}
		clean, sectionID, err := s.normalise(ctx, tx, t, in)
		if err != nil {
			return err
		}
		now := s.now()
		p.Extension = in.Extension
		if baseVersion != p.Version {
			conflict, err = s.keepConflict(ctx, tx, p, baseVersion, clean, sectionID, actor.ID, now)
			return err
		}
		if p.Status == StatusPublished {
			return s.saveEdition(ctx, tx, t, actor, p, clean, sectionID, now)
		}
		return s.saveText(ctx, tx, t, actor, p, baseVersion, clean, sectionID, now)
	})
	if err != nil {
		return nil, err
	}
	if conflict != nil {
		return nil, conflict
	}
	return p, nil
}

// keepConflict keeps the text of an edit based on an old version as a
// conflict revision and describes the clash.
func (s *Service) keepConflict(ctx context.Context, tx bun.Tx, p *Post, baseVersion int, clean Input, sectionID *string, actorID string, now time.Time) (*ConflictError, error) {
	attempt := *p
	attempt.Title, attempt.Summary, attempt.Body, attempt.Type = clean.Title, clean.Summary, clean.Body, clean.Type
	attempt.SectionID, attempt.Fields, attempt.EventDate, attempt.Byline = sectionID, clean.Fields, dateOnly(clean.EventDate), clean.Byline
	n, err := nextRevision(ctx, tx, p.TenantID, p.ID)
	if err != nil {
		return nil, err
	}
	if err := insertRevision(ctx, tx, &attempt, n, "conflict", baseVersion, "", actorID, now); err != nil {
		return nil, err
	}
	current := p
	if p.Edition != nil {
		current = p.Edition.Text(p)
		current.Version = p.Version
	}
	return &ConflictError{Current: current, BasedOn: baseVersion, ConflictVersion: n}, nil
}

// saveText writes the new text of an item that is not published.
func (s *Service) saveText(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, p *Post, baseVersion int, clean Input, sectionID *string, now time.Time) error {
	p.Title, p.Summary, p.Body, p.Type = clean.Title, clean.Summary, clean.Body, clean.Type
	p.SectionID, p.SectionSlug, p.Fields = sectionID, clean.Section, clean.Fields
	p.EventDate, p.Byline = dateOnly(clean.EventDate), clean.Byline
	p.Version++
	p.UpdatedAt, p.UpdatedBy = now, actor.ID
	from := p.Status
	if from == StatusApproved || from == StatusScheduled {
		// Approval was of the text as it was: the change goes back to
		// review (a scheduled publication no longer happens).
		p.Status, p.ScheduledAt = StatusSubmitted, nil
	}
	s.countLint(p)
	write := func() error {
		_, err := tx.NewUpdate().Model(p).WherePK().Exec(ctx)
		return err
	}
	var err error
	if p.FirstPublishedAt == nil {
		err = saveWithSlug(ctx, tx, p, write)
	} else {
		err = write()
	}
	if err != nil {
		return fmt.Errorf("update post: %w", err)
	}
	if err := writeFields(ctx, tx, p); err != nil {
		return err
	}
	if err := writeRevision(ctx, tx, p, "save", baseVersion, "", actor.ID, now); err != nil {
		return err
	}
	if from != p.Status {
		if err := s.recordStep(ctx, tx, t, actor.ID, p, from, p.Status, false, noteReReview, now); err != nil {
			return err
		}
	}
	return s.afterWrite(ctx, tx, p, "edit")
}

// Restore makes an old revision's text the current one (as a new revision).
func (s *Service) Restore(ctx context.Context, t *tenancy.Tenant, actor Actor, id string, number int) (*Post, error) {
	r, err := GetRevision(ctx, s.DB, t.ID, id, number)
	if err != nil {
		return nil, err
	}
	cur, err := Get(ctx, s.DB, t.ID, id)
	if err != nil {
		return nil, err
	}
	in := Input{Title: r.Title, Summary: r.Summary, Body: r.Body, Type: r.Type, EventDate: r.EventDate, Byline: r.Byline}
	if r.Fields != "" {
		in.Fields = strings.Split(r.Fields, ",")
	}
	if r.SectionID != nil {
		var slug string
		if err := s.DB.NewSelect().Table("sections").Column("slug").Where("tenant_id = ? AND id = ?", t.ID, *r.SectionID).Scan(ctx, &slug); err == nil {
			in.Section = slug
		}
	}
	return s.Update(ctx, t, actor, id, cur.Version, in)
}

func writeFields(ctx context.Context, tx bun.Tx, p *Post) error {
	if _, err := tx.NewDelete().Model((*Field)(nil)).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear post fields: %w", err)
	}
	if len(p.Fields) == 0 {
		return nil
	}
	rows := make([]Field, len(p.Fields))
	for i, f := range p.Fields {
		rows[i] = Field{TenantID: p.TenantID, PostID: p.ID, FieldCode: f}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert post fields: %w", err)
	}
	return nil
}

func nextRevision(ctx context.Context, idb bun.IDB, tenantID, postID string) (int, error) {
	var n int
	err := idb.NewSelect().Model((*Revision)(nil)).ColumnExpr("COALESCE(MAX(number), 0)").
		Where("tenant_id = ? AND post_id = ?", tenantID, postID).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("next revision: %w", err)
	}
	return n + 1, nil
}

func writeRevision(ctx context.Context, tx bun.Tx, p *Post, kind string, basedOn int, note, actorID string, now time.Time) error {
	n, err := nextRevision(ctx, tx, p.TenantID, p.ID)
	if err != nil {
		return err
	}
	return insertRevision(ctx, tx, p, n, kind, basedOn, note, actorID, now)
}

func insertRevision(ctx context.Context, tx bun.Tx, p *Post, n int, kind string, basedOn int, note, actorID string, now time.Time) error {
	r := &Revision{
		TenantID: p.TenantID, PostID: p.ID, Number: n, Kind: kind, Title: p.Title, Summary: p.Summary,
		Body: p.Body, Type: p.Type, SectionID: p.SectionID, Fields: strings.Join(p.Fields, ","),
		EventDate: p.EventDate, Byline: p.Byline, BasedOn: basedOn, Note: note, ActorID: actorID, CreatedAt: now,
	}
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	return nil
}

// uniqueSlug derives a slug from title, unique in the tenant as far as
// this transaction sees (suffix -2, -3… on collision). The item's own
// current slug does not collide. Two transactions may choose the same slug
// at once; saveWithSlug settles it.
func uniqueSlug(ctx context.Context, idb bun.IDB, tenantID, postID, title string) (string, error) {
	base := vntext.Slugify(title, 80)
	if base == "" {
		base = "bai-viet"
	}
	var taken []string
	err := idb.NewSelect().Model((*Post)(nil)).Column("slug").
		Where("tenant_id = ? AND id <> ? AND (slug = ? OR slug LIKE ?)", tenantID, postID, base, base+"-%").
		Scan(ctx, &taken)
	if err != nil {
		return "", fmt.Errorf("check slug: %w", err)
	}
	used := map[string]bool{}
	for _, s := range taken {
		used[s] = true
	}
	slug := base
	for i := 2; used[slug]; i++ {
		slug = base + "-" + strconv.Itoa(i)
	}
	return slug, nil
}

// slugAttempts bounds how often saveWithSlug picks a new slug.
const slugAttempts = 8

// saveWithSlug writes p (write is its INSERT or UPDATE) with a slug chosen
// by uniqueSlug. The unique index on (tenant_id, slug) is the judge: when
// a concurrent transaction committed the same slug first, the write fails
// on it, is rolled back to a savepoint (the rest of the caller's
// transaction stands) and tried again with the next free slug. No lock is
// taken to choose, so nothing waits on another tenant's or another
// writer's transaction beyond the index entry itself.
func saveWithSlug(ctx context.Context, tx bun.Tx, p *Post, write func() error) error {
	for attempt := 1; ; attempt++ {
		slug, err := uniqueSlug(ctx, tx, p.TenantID, p.ID, p.Title)
		if err != nil {
			return err
		}
		p.Slug = slug
		if _, err := tx.ExecContext(ctx, "SAVEPOINT post_slug"); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		werr := write()
		if werr == nil {
			if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT post_slug"); err != nil {
				return fmt.Errorf("release savepoint: %w", err)
			}
			return nil
		}
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT post_slug"); err != nil {
			return fmt.Errorf("rollback to savepoint: %w (after %w)", err, werr)
		}
		if !db.IsUniqueViolation(werr) || attempt == slugAttempts {
			return werr
		}
	}
}
