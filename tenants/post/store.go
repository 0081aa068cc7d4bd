package post

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Get loads one item of a tenant with its fields and section slug.
func Get(ctx context.Context, idb bun.IDB, tenantID, id string) (*Post, error) {
	p := new(Post)
	err := idb.NewSelect().Model(p).Where("tenant_id = ? AND id = ?", tenantID, id).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load post", "post_not_found", "Không tìm thấy bài viết")
	}
	if err := fill(ctx, idb, tenantID, []*Post{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// GetForUpdate loads an item inside a transaction, locking its row on
// PostgreSQL so concurrent edits serialise (SQLite's write lock already does).
func GetForUpdate(ctx context.Context, tx bun.Tx, tenantID, id string) (*Post, error) {
	p := new(Post)
	q := tx.NewSelect().Model(p).Where("tenant_id = ? AND id = ?", tenantID, id)
	if db.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load post", "post_not_found", "Không tìm thấy bài viết")
	}
	if err := fill(ctx, tx, tenantID, []*Post{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// BySlug loads a public item of a tenant by its slug.
func BySlug(ctx context.Context, idb bun.IDB, tenantID, slug string) (*Post, error) {
	p := new(Post)
	err := idb.NewSelect().Model(p).Where("tenant_id = ? AND slug = ?", tenantID, slug).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load post", "post_not_found", "Không tìm thấy bài viết")
	}
	if err := fill(ctx, idb, tenantID, []*Post{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// Filter narrows a listing.
type Filter struct {
	Statuses  []Status
	SectionID string
	Field     string
	AuthorID  string
	Type      Type
	Query     string
	// Before is a keyset cursor: items updated (or published, for public
	// listings) strictly before it.
	Limit  int
	Offset int
	// NotReviewed keeps the items published before anyone reviewed them
	// ("Đăng khi chưa duyệt"), until someone else approves them.
	NotReviewed bool
	// Public orders by publication time and shows only public states.
	Public bool
	// teaser loads the teaser columns only (see Teasers).
	teaser bool
}

// List returns a tenant's items matching f, newest first.
func List(ctx context.Context, idb bun.IDB, tenantID string, f Filter) ([]*Post, error) {
	var ps []*Post
	q := idb.NewSelect().Model(&ps).Where("p.tenant_id = ?", tenantID)
	if f.teaser {
		q = q.Column(teaserColumns...)
	}
	if f.Public {
		q = q.Where("p.status IN (?)", bun.List([]Status{StatusPublished, StatusWithdrawn}))
		q = q.OrderExpr("p.published_at DESC, p.id DESC")
	} else {
		if len(f.Statuses) > 0 {
			q = q.Where("p.status IN (?)", bun.List(f.Statuses))
		}
		q = q.OrderExpr("p.updated_at DESC, p.id DESC")
	}
	if f.SectionID != "" {
		q = q.Where("p.section_id = ?", f.SectionID)
	}
	if f.AuthorID != "" {
		q = q.Where("p.author_id = ?", f.AuthorID)
	}
	if f.Type != "" {
		q = q.Where("p.type = ?", f.Type)
	}
	if f.NotReviewed {
		q = q.Where("p.not_reviewed = ?", true)
	}
	if f.Field != "" {
		q = InField(q, f.Field)
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		q = MatchingText(q, s)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q = q.Limit(int64(limit)).Offset(int64(f.Offset))
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list posts: %w", err)
	}
	if f.teaser {
		return ps, nil
	}
	if err := fill(ctx, idb, tenantID, ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// CountPublic counts a tenant's public items matching f's section or field.
func CountPublic(ctx context.Context, idb bun.IDB, tenantID string, f Filter) (int, error) {
	q := idb.NewSelect().Model((*Post)(nil)).Where("p.tenant_id = ?", tenantID).
		Where("p.status IN (?)", bun.List([]Status{StatusPublished, StatusWithdrawn}))
	if f.SectionID != "" {
		q = q.Where("p.section_id = ?", f.SectionID)
	}
	if f.Field != "" {
		q = q.Where("EXISTS (SELECT 1 FROM post_fields pf WHERE pf.tenant_id = p.tenant_id AND pf.post_id = p.id AND pf.field_code = ?)", f.Field)
	}
	n, err := q.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count posts: %w", err)
	}
	return int(n), nil
}

// InField narrows a query on posts aliased p to those of a field.
func InField(q *bun.SelectQuery, code string) *bun.SelectQuery {
	return q.Where(inFieldClause, code)
}

// inFieldClause is InField's condition, its one placeholder the field's code.
const inFieldClause = "EXISTS (SELECT 1 FROM post_fields pf WHERE pf.tenant_id = p.tenant_id AND pf.post_id = p.id AND pf.field_code = ?)"

// MatchingText narrows a query on posts aliased p to those whose search
// text holds every word of s, in any order, each as typed (lower case,
// NFC) or without its marks: a reader types "tháng hành động trẻ em" for
// "Tháng hành động vì trẻ em", "QĐ 125" for "125/QĐ-UBND".
func MatchingText(q *bun.SelectQuery, s string) *bun.SelectQuery {
	clause, args := MatchingTextClause(s)
	return q.Where(clause, args...)
}

// SearchWordsMax bounds the words of a search that narrow it; words after
// it are left out, so a pasted paragraph costs no more than a sentence.
const SearchWordsMax = 8

// MatchingTextClause is MatchingText's condition and its values.
func MatchingTextClause(s string) (string, []any) {
	words := SearchWords(s)
	if len(words) == 0 {
		return "TRUE", nil
	}
	const one = "(p.search_text LIKE ? ESCAPE '\\' OR p.search_text LIKE ? ESCAPE '\\')"
	var b strings.Builder
	args := make([]any, 0, 2*len(words))
	b.WriteByte('(')
	for i, w := range words {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(one)
		args = append(args, db.Contains(w), db.Contains(vntext.Fold(w)))
	}
	b.WriteByte(')')
	return b.String(), args
}

// SearchWords are the words of a search as MatchingText matches them:
// lower case, NFC, each once, at most SearchWordsMax.
func SearchWords(s string) []string {
	var words []string
	for _, w := range strings.Fields(strings.ToLower(vntext.NFC(s))) {
		if !slices.Contains(words, w) {
			words = append(words, w)
		}
		if len(words) == SearchWordsMax {
			break
		}
	}
	return words
}

// fill loads fields and section slugs for posts of one tenant.
func fill(ctx context.Context, idb bun.IDB, tenantID string, ps []*Post) error {
	if len(ps) == 0 {
		return nil
	}
	if err := fillFields(ctx, idb, tenantID, ps); err != nil {
		return err
	}
	var secs []struct {
		ID   string `bun:"id"`
		Slug string `bun:"slug"`
	}
	if err := idb.NewSelect().Table("sections").Column("id", "slug").Where("tenant_id = ?", tenantID).
		Scan(ctx, &secs); err != nil {
		return fmt.Errorf("load section slugs: %w", err)
	}
	slugs := make(map[string]string, len(secs))
	for _, s := range secs {
		slugs[s.ID] = s.Slug
	}
	for _, p := range ps {
		if p.SectionID != nil {
			p.SectionSlug = slugs[*p.SectionID]
		}
	}
	return nil
}

// fillFields loads the fields of posts of one tenant in one query.
func fillFields(ctx context.Context, idb bun.IDB, tenantID string, ps []*Post) error {
	ids := make([]string, len(ps))
	byID := make(map[string]*Post, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
		byID[p.ID] = p
		p.Fields = []string{}
	}
	var fs []Field
	if err := idb.NewSelect().Model(&fs).Where("tenant_id = ? AND post_id IN (?)", tenantID, bun.List(ids)).
		Order("field_code").Scan(ctx); err != nil {
		return fmt.Errorf("load post fields: %w", err)
	}
	for _, f := range fs {
		byID[f.PostID].Fields = append(byID[f.PostID].Fields, f.FieldCode)
	}
	return nil
}

// Revisions lists an item's revisions, newest first.
func Revisions(ctx context.Context, idb bun.IDB, tenantID, postID string) ([]Revision, error) {
	var rs []Revision
	err := idb.NewSelect().Model(&rs).Where("tenant_id = ? AND post_id = ?", tenantID, postID).
		Order("number DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	return rs, nil
}

// GetRevision loads one revision.
func GetRevision(ctx context.Context, idb bun.IDB, tenantID, postID string, number int) (*Revision, error) {
	r := new(Revision)
	err := idb.NewSelect().Model(r).Where("tenant_id = ? AND post_id = ? AND number = ?", tenantID, postID, number).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load revision", "revision_not_found", "Không tìm thấy phiên bản "+strconv.Itoa(number))
	}
	return r, nil
}

// Transitions lists an item's workflow history, oldest first.
func Transitions(ctx context.Context, idb bun.IDB, tenantID, postID string) ([]Transition, error) {
	var ts []Transition
	err := idb.NewSelect().Model(&ts).Where("tenant_id = ? AND post_id = ?", tenantID, postID).
		Order("created_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list transitions: %w", err)
	}
	return ts, nil
}

// ReturnNote is the note of the item's latest return to its author, ""
// when it was never returned (or returned without one).
func ReturnNote(ctx context.Context, idb bun.IDB, tenantID, postID string) (string, error) {
	var notes []string
	err := idb.NewSelect().Model((*Transition)(nil)).Column("note").
		Where("tenant_id = ? AND post_id = ? AND to_status = ?", tenantID, postID, StatusReturned).
		Order("created_at DESC").Limit(1).Scan(ctx, &notes)
	if err != nil {
		return "", fmt.Errorf("return note of %s: %w", postID, err)
	}
	if len(notes) == 0 {
		return "", nil
	}
	return notes[0], nil
}

// AnyRequiresMFA reports whether any of the tenants asks its board for a
// second factor (Settings.MFARequired).
func AnyRequiresMFA(ctx context.Context, idb bun.IDB, tenantIDs []string) (bool, error) {
	if len(tenantIDs) == 0 {
		return false, nil
	}
	ok, err := idb.NewSelect().Model((*Settings)(nil)).
		Where("mfa_required = ? AND tenant_id IN (?)", true, bun.List(tenantIDs)).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("find tenants requiring a second factor: %w", err)
	}
	return ok, nil
}

// SettingsOf returns a tenant's editorial settings (defaults when unset).
func SettingsOf(ctx context.Context, idb bun.IDB, tenantID string) (*Settings, error) {
	s := &Settings{TenantID: tenantID}
	err := idb.NewSelect().Model(s).Where("tenant_id = ?", tenantID).Scan(ctx)
	if err != nil {
		if errs.Is(db.NotFound(err, "", "x", ""), errs.KindNotFound) {
			return &Settings{TenantID: tenantID}, nil
		}
		return nil, fmt.Errorf("load settings: %w", err)
	}
	return s, nil
}

// SaveSettings writes a tenant's editorial settings.
func SaveSettings(ctx context.Context, idb bun.IDB, s *Settings, now time.Time) error {
	s.UpdatedAt = now.UTC()
	_, err := idb.NewInsert().Model(s).On("CONFLICT (tenant_id) DO UPDATE").
		Set("always_second_reviewer = EXCLUDED.always_second_reviewer").
		Set("mfa_required = EXCLUDED.mfa_required").
		Set("republish_delay_min = EXCLUDED.republish_delay_min").
		Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}
