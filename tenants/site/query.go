package site

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/post"
)

// listing narrows a public listing. Listings, feeds, the sitemap and
// search show published items only: a withdrawn item keeps its own page
// with its notice, and nothing lists it.
type listing struct {
	SectionID string
	Field     string
	Query     string
	Type      post.Type
	// From and To bound the publication time (zero = open).
	From, To time.Time
	// Copies keeps only items accepted or pulled from other tenants; Own
	// only the tenant's own items.
	Copies, Own bool
	// Covers loads what coverOf needs (home page cards).
	Covers        bool
	Limit, Offset int
}

func (l listing) apply(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("p.status = ?", post.StatusPublished)
	if l.SectionID != "" {
		q = q.Where("p.section_id = ?", l.SectionID)
	}
	if l.Field != "" {
		q = post.InField(q, l.Field)
	}
	if l.Type != "" {
		q = q.Where("p.type = ?", l.Type)
	}
	if s := strings.TrimSpace(l.Query); s != "" {
		q = post.MatchingText(q, s)
	}
	if !l.From.IsZero() {
		q = q.Where("p.published_at >= ?", l.From.UTC())
	}
	if !l.To.IsZero() {
		q = q.Where("p.published_at < ?", l.To.UTC())
	}
	if l.Copies {
		q = q.Where("p.origin_tenant_id IS NOT NULL")
	}
	if l.Own {
		q = q.Where("p.origin_tenant_id IS NULL")
	}
	return q
}

// listingColumns are what listings, the feed and the sitemap show of an
// item: no body, no provenance (a listing reads 20 to 200 rows).
var listingColumns = []string{"p.tenant_id", "p.id", "p.slug", "p.title", "p.summary", "p.type", "p.status",
	"p.section_id", "p.featured_media_id", "p.published_at", "p.updated_at", "p.origin_tenant_id"}

// coverColumns give coverOf what it needs besides the featured picture:
// the derived body picture, and the body only of rows that predate it.
const coverColumns = "p.body_picture, CASE WHEN p.body_picture IS NULL THEN p.body ELSE '' END AS body"

// published lists a tenant's published items matching l, newest first, in
// one query, with the listing columns and, when l.Covers, what their
// covers need.
func published(ctx context.Context, idb bun.IDB, tenantID string, l listing) ([]*post.Post, error) {
	var ps []*post.Post
	if err := publishedQuery(idb.NewSelect().Model(&ps), tenantID, l).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list published items: %w", err)
	}
	return ps, nil
}

// publishedQuery is published's statement on q (a select of posts).
func publishedQuery(q *bun.SelectQuery, tenantID string, l listing) *bun.SelectQuery {
	limit := l.Limit
	if limit <= 0 || limit > 200 {
		limit = PageSize
	}
	q = q.Column(listingColumns...)
	if l.Covers {
		q = q.ColumnExpr(coverColumns)
	}
	return l.apply(q.Where("p.tenant_id = ?", tenantID)).
		OrderExpr("p.published_at DESC, p.id DESC").Limit(int64(limit)).Offset(int64(max(l.Offset, 0)))
}

// ownAndCopies lists a tenant's newest own published items and its
// newest copies (accepted or pulled from its units), at most own and
// copies of each, in one fixed statement (db.Select): a Department's home
// lists both, and on SQLite most of a small query's cost was preparing it.
func ownAndCopies(ctx context.Context, idb bun.IDB, tenantID string, own, copies int) (mine, theirs []*post.Post, err error) {
	// Each branch keeps its own ORDER BY and LIMIT inside a derived table;
	// the outer order is the listings' own, so splitting by origin keeps
	// each list in order.
	branch := func(origin string) string {
		return "SELECT " + strings.Join(listingColumns, ", ") + ", " + coverColumns +
			" FROM posts p WHERE p.tenant_id = ? AND p.status = ? AND p.origin_tenant_id " + origin +
			" ORDER BY p.published_at DESC, p.id DESC LIMIT ?"
	}
	var ps []*post.Post
	err = db.Select(ctx, idb, &ps, "SELECT * FROM ("+branch("IS NULL")+") AS o UNION ALL SELECT * FROM ("+
		branch("IS NOT NULL")+") AS c ORDER BY published_at DESC, id DESC",
		tenantID, post.StatusPublished, own, tenantID, post.StatusPublished, copies)
	if err != nil {
		return nil, nil, fmt.Errorf("list own and copied items: %w", err)
	}
	for _, p := range ps {
		if p.OriginTenantID != nil {
			theirs = append(theirs, p)
		} else {
			mine = append(mine, p)
		}
	}
	return mine, theirs, nil
}

// countPublished counts what published lists without its paging.
func countPublished(ctx context.Context, idb bun.IDB, tenantID string, l listing) (int, error) {
	n, err := l.apply(idb.NewSelect().Model((*post.Post)(nil)).Where("p.tenant_id = ?", tenantID)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count published items: %w", err)
	}
	return int(n), nil
}

// blockRow is an item in a home page block: the block's section id and
// the item.
type blockRow struct {
	Key             string     `bun:"k"`
	ID              string     `bun:"id"`
	Slug            string     `bun:"slug"`
	Title           string     `bun:"title"`
	Summary         string     `bun:"summary"`
	Body            string     `bun:"body"`
	BodyPicture     *string    `bun:"body_picture"`
	Type            post.Type  `bun:"type"`
	SectionID       *string    `bun:"section_id"`
	FeaturedMediaID *string    `bun:"featured_media_id"`
	PublishedAt     *time.Time `bun:"published_at"`
}

func (r *blockRow) post() *post.Post {
	return &post.Post{ID: r.ID, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Body: r.Body, BodyPicture: r.BodyPicture, Type: r.Type,
		Status: post.StatusPublished, SectionID: r.SectionID, FeaturedMediaID: r.FeaturedMediaID, PublishedAt: r.PublishedAt}
}

// blockCols are the columns of a block's item (p is the posts row).
const blockCols = "p.id, p.slug, p.title, p.summary, p.type, p.section_id, p.featured_media_id, p.published_at, " + coverColumns

// blockItemsSQL finds, per section of a tenant, its newest published
// items: a section's own items, or every item of the field a field's
// section stands for. Each section reads only its newest rows off an
// index (LIMIT per section) instead of ranking every published item of
// the tenant in a window, and the wide columns are read for the kept rows
// only. PostgreSQL runs the LIMIT per section with LATERAL; SQLite, which
// has no LATERAL, with a correlated IN list on the primary key (it
// evaluates it once per section; PostgreSQL would run it per joined row).
func blockItemsSQL(pg bool) string {
	own := "FROM posts p WHERE p.tenant_id = s.tenant_id AND p.section_id = s.id AND p.status = ?"
	field := "FROM post_fields pf JOIN posts p ON p.tenant_id = pf.tenant_id AND p.id = pf.post_id" +
		" WHERE pf.tenant_id = s.tenant_id AND pf.field_code = s.field_code AND p.status = ?"
	newest := " ORDER BY p.published_at DESC, p.id DESC LIMIT ?"
	branch := func(from, where string) string {
		if pg {
			return "SELECT s.id AS k, x.* FROM sections s CROSS JOIN LATERAL (SELECT " + blockCols + " " + from + newest +
				") x WHERE s.tenant_id = ? AND " + where
		}
		return "SELECT s.id AS k, " + strings.ReplaceAll(blockCols, "p.", "b.") +
			" FROM sections s JOIN posts b ON b.tenant_id = s.tenant_id AND b.id IN (SELECT p.id " + from + newest +
			") WHERE s.tenant_id = ? AND " + where
	}
	return branch(own, "s.field_code IS NULL") + "\nUNION ALL\n" + branch(field, "s.field_code IS NOT NULL") +
		"\nORDER BY 1, 9 DESC, 2 DESC" // k, published_at, id (by position: a compound query's names are ambiguous)
}

// blockItems returns the newest per published items of every section of
// a tenant in one query, keyed by section id (see blockItemsSQL).
func blockItems(ctx context.Context, idb bun.IDB, tenantID string, per int) (map[string][]*post.Post, error) {
	var rows []blockRow
	q := blockItemsSQL(idb.Dialect().Name() == dialect.PG)
	err := db.Select(ctx, idb, &rows, q, post.StatusPublished, per, tenantID, post.StatusPublished, per, tenantID)
	if err != nil {
		return nil, fmt.Errorf("home blocks: %w", err)
	}
	out := map[string][]*post.Post{}
	for i := range rows {
		out[rows[i].Key] = append(out[rows[i].Key], rows[i].post())
	}
	return out, nil
}

// coverOf is the picture that stands for an item in listings: its
// featured picture, else the first picture of its body; "" when it has
// none.
func coverOf(p *post.Post) string {
	switch {
	case p.FeaturedMediaID != nil && *p.FeaturedMediaID != "":
		return *p.FeaturedMediaID
	case p.BodyPicture != nil:
		return *p.BodyPicture
	default:
		return post.FirstPicture(p.Body)
	}
}
