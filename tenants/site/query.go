package site

import (
	"context"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

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
	// Covers loads what coverOf needs (home page cards).
	Covers        bool
	Limit, Offset int
}

// from is the listing's FROM: posts aliased p, or for a field's listing
// the field's rows of post_fields (pf) joined to their items. post_fields
// carries its item's publication time while the item is published
// (migration 20261206100000), so a field's newest items come off the
// field's own index in order, as a section's do off posts. Probing every
// published item of the tenant for the field instead read, for a field
// with few items, most of the tenant's items per page, and all of them
// for the count.
func (l listing) from() string {
	if l.Field != "" {
		return "post_fields pf JOIN posts p ON p.tenant_id = pf.tenant_id AND p.id = pf.post_id"
	}
	return "posts p"
}

// order is the listing's ORDER BY: newest first, by the columns of the
// index the listing reads (a field's published_at is its item's).
func (l listing) order() string {
	if l.Field != "" {
		return " ORDER BY pf.published_at DESC, pf.post_id DESC"
	}
	return " ORDER BY p.published_at DESC, p.id DESC"
}

// where is the listing's condition on from, written with ? placeholders,
// and its values: one text per shape of listing, so the database prepares
// it once (db.Select).
func (l listing) where(tenantID string) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 8)
	if l.Field != "" {
		// published_at IS NOT NULL is written out: it is the condition of
		// the field's partial index, which a planner must see to use it.
		b.WriteString("pf.tenant_id = ? AND pf.field_code = ? AND pf.published_at IS NOT NULL AND ")
		args = append(args, tenantID, l.Field)
	}
	b.WriteString("p.tenant_id = ? AND p.status = ?")
	args = append(args, tenantID, post.StatusPublished)
	if l.SectionID != "" {
		b.WriteString(" AND p.section_id = ?")
		args = append(args, l.SectionID)
	}
	if l.Type != "" {
		b.WriteString(" AND p.type = ?")
		args = append(args, l.Type)
	}
	if s := strings.TrimSpace(l.Query); s != "" {
		clause, words := post.MatchingTextClause(s)
		b.WriteString(" AND " + clause)
		args = append(args, words...)
	}
	if !l.From.IsZero() {
		b.WriteString(" AND p.published_at >= ?")
		args = append(args, l.From.UTC())
	}
	if !l.To.IsZero() {
		b.WriteString(" AND p.published_at < ?")
		args = append(args, l.To.UTC())
	}
	return b.String(), args
}

// reader is idb for the listing's statement: a time bound goes through
// bun, which writes it as the stored times are written (see db.Select).
func (l listing) reader(idb bun.IDB) bun.IDB {
	if l.From.IsZero() && l.To.IsZero() {
		return idb
	}
	return db.Unprepared(idb)
}

// listingSelect is what listings, the feed and the sitemap show of an
// item: no body, no provenance (a listing reads 20 to 200 rows).
const listingSelect = "p.tenant_id, p.id, p.slug, p.title, p.summary, p.type, p.status, " +
	"p.section_id, p.featured_media_id, p.published_at, p.updated_at, p.origin_tenant_id, " + expiryColumn

// expiryColumn is a document's expiry day, read with the item so that a
// listing marks an expired document "Hết hiệu lực" (markExpired) without
// a statement of its own: that statement was a tenth of an uncached home
// page on PostgreSQL. Other items' rows are not looked up (NULL).
const expiryColumn = "CASE WHEN p.type = '" + string(post.TypeDocument) + "' THEN (SELECT d.expires_on FROM post_documents d" +
	" WHERE d.tenant_id = p.tenant_id AND d.post_id = p.id) END AS expires_on"

// coverColumns give coverOf what it needs besides the featured picture:
// the derived body picture, and the body only of rows that predate it.
const coverColumns = "p.body_picture, CASE WHEN p.body_picture IS NULL THEN p.body ELSE '' END AS body"

// published lists a tenant's published items matching l, newest first, in
// one query, with the listing columns and, when l.Covers, what their
// covers need.
func published(ctx context.Context, idb bun.IDB, tenantID string, l listing) ([]*post.Post, error) {
	var ps []*post.Post
	if err := db.QueryAll(ctx, l.reader(idb), l.read(tenantID, &ps)); err != nil {
		return nil, err
	}
	return ps, nil
}

// read is published's statement, which appends the items to ps.
func (l listing) read(tenantID string, ps *[]*post.Post) db.Read {
	limit := l.Limit
	if limit <= 0 || limit > 200 {
		limit = PageSize
	}
	cols := listingSelect
	if l.Covers {
		cols += ", " + coverColumns
	}
	where, args := l.where(tenantID)
	*ps = slices.Grow(*ps, limit)
	row := newListingScan(l.Covers)
	return db.Read{
		Query: "SELECT " + cols + " FROM " + l.from() + " WHERE " + where + l.order() + " LIMIT ? OFFSET ?",
		Args:  append(args, limit, max(l.Offset, 0)),
		Scan: func(rows db.Row) error {
			p, err := row.scan(rows)
			if err != nil {
				return fmt.Errorf("list published items: %w", err)
			}
			*ps = append(*ps, p)
			return nil
		},
	}
}

// ownAndCopies reads a tenant's newest own published items and its
// newest copies (accepted or pulled from its units), at most own and
// copies of each, in one fixed statement: a Department's home lists both,
// and on SQLite most of a small query's cost was preparing it. The items
// are appended to mine and theirs as they come; sortOwnAndCopies puts
// them in order.
func ownAndCopies(tenantID string, own, copies int, mine, theirs *[]*post.Post) db.Read {
	row := newListingScan(true)
	return db.Read{
		Query: ownAndCopiesSQL,
		Args:  []any{tenantID, post.StatusPublished, own, tenantID, post.StatusPublished, copies},
		Scan: func(rows db.Row) error {
			p, err := row.scan(rows)
			if err != nil {
				return fmt.Errorf("list own and copied items: %w", err)
			}
			if p.OriginTenantID != nil {
				*theirs = append(*theirs, p)
			} else {
				*mine = append(*mine, p)
			}
			return nil
		},
	}
}

// sortOwnAndCopies puts each list of ownAndCopies in order, in Go: an
// ORDER BY over the union made SQLite sort the wide rows.
func sortOwnAndCopies(mine, theirs []*post.Post) {
	slices.SortFunc(mine, newestFirst)
	slices.SortFunc(theirs, newestFirst)
}

// ownAndCopiesSQL is ownAndCopies' statement: each branch keeps its own
// ORDER BY and LIMIT inside a derived table, and reads its rows off the
// partial index its origin condition names (migration 20261208100000,
// TestOwnAndCopiesReadTheirIndexes).
var ownAndCopiesSQL = func() string {
	branch := func(origin string) string {
		return "SELECT " + listingSelect + ", " + coverColumns +
			" FROM posts p WHERE p.tenant_id = ? AND p.status = ? AND p.origin_tenant_id " + origin +
			" ORDER BY p.published_at DESC, p.id DESC LIMIT ?"
	}
	return "SELECT * FROM (" + branch("IS NULL") + ") AS o UNION ALL SELECT * FROM (" + branch("IS NOT NULL") + ") AS c"
}()

// countPublished counts what published lists without its paging.
func countPublished(ctx context.Context, idb bun.IDB, tenantID string, l listing) (int, error) {
	where, args := l.where(tenantID)
	var n int
	if err := db.Select(ctx, l.reader(idb), &n, "SELECT count(*) FROM "+l.from()+" WHERE "+where, args...); err != nil {
		return 0, fmt.Errorf("count published items: %w", err)
	}
	return n, nil
}

// listingScan reads rows of listingSelect, followed by coverColumns when
// covers, into new items. Its destinations are kept from row to row:
// handed to Scan as interface values, they were allocated anew for every
// row, about a tenth of what an uncached home page allocated with the
// blocks' (blockScan).
type listingScan struct {
	tenantID, id, slug, title, summary, typ, status, body string
	section, featured, origin, picture                    db.NullString
	published, updated, expires                           db.NullTime
	dest                                                  []any
}

func newListingScan(covers bool) *listingScan {
	s := &listingScan{}
	s.dest = []any{&s.tenantID, &s.id, &s.slug, &s.title, &s.summary, &s.typ, &s.status, &s.section, &s.featured,
		&s.published, &s.updated, &s.origin, &s.expires, &s.picture, &s.body}
	if !covers {
		s.dest = s.dest[:len(s.dest)-2]
	}
	return s
}

// scan reads the current row into a new item.
func (s *listingScan) scan(rows db.Row) (*post.Post, error) {
	if err := rows.Scan(s.dest...); err != nil {
		return nil, fmt.Errorf("read a listed item: %w", err)
	}
	return &post.Post{TenantID: s.tenantID, ID: s.id, Slug: s.slug, Title: s.title, Summary: s.summary, Body: s.body,
		Type: post.Type(s.typ), Status: post.Status(s.status), UpdatedAt: s.updated.Time,
		SectionID: nullable(s.section), FeaturedMediaID: nullable(s.featured), OriginTenantID: nullable(s.origin),
		PublishedAt: s.published.Ptr(), BodyPicture: nullable(s.picture), DocumentExpiresOn: s.expires.Ptr()}, nil
}

// blockScan reads rows of a home's blocks (blockItemsSQL): the block's
// section id, then blockCols. A row becomes its card at once: an item in
// between (post.Post, 576 bytes and a pointer per nullable column) was
// about a tenth of what an uncached home allocated, all of it for the
// collector to scan. Its destinations are kept from row to row (see
// listingScan).
type blockScan struct {
	key, id, slug, title, summary, typ, body string
	section, featured, picture               db.NullString
	published, expires                       db.NullTime
	dest                                     []any
}

func newBlockScan() *blockScan {
	s := &blockScan{}
	s.dest = []any{&s.key, &s.id, &s.slug, &s.title, &s.summary, &s.typ, &s.section, &s.featured, &s.published,
		&s.expires, &s.picture, &s.body}
	return s
}

// scan reads the current row into its block's key and card; names maps
// the tenant's section ids to their names.
func (s *blockScan) scan(rows db.Row, names map[string]string) (string, Teaser, error) {
	if err := rows.Scan(s.dest...); err != nil {
		return "", Teaser{}, fmt.Errorf("read a block's item: %w", err)
	}
	typ := post.Type(s.typ)
	t := Teaser{Title: s.title, Summary: s.summary, URL: template.URL(itemURL(typ, s.slug)), Type: typ.Label(),
		id: s.id, cover: cover(s.featured, s.picture, s.body), expiresOn: s.expires.Ptr()}
	if s.section.Valid {
		t.Section = names[s.section.String]
	}
	if !s.published.IsZero() {
		t.dated(s.published.Time)
	}
	return s.key, t, nil
}

func nullable(s db.NullString) *string {
	if !s.Valid {
		return nil
	}
	v := s.String
	return &v
}

// blockCols are the columns of a block's item (p is the posts row).
const blockCols = "p.id, p.slug, p.title, p.summary, p.type, p.section_id, p.featured_media_id, p.published_at, " +
	expiryColumn + ", " + coverColumns

// blockItemsSQL finds, per section of a tenant, its newest published
// items: a section's own items, or every item of the field a field's
// section stands for. Each section reads only its newest rows off an
// index (LIMIT per section) instead of ranking every published item of
// the tenant in a window, and the wide columns are read for the kept rows
// only.
//
// PostgreSQL runs the LIMIT per section with LATERAL: one pass over the
// tenant's sections, each running the branch its field_code selects (the
// other is skipped by a one-time filter). The section's id is selected
// inside the LATERAL: named outside it, the planner put a Memoize node,
// keyed on the field, over the field branch, which never hits (each field
// has one section) and cost a tenth of the statement (pgbench; so did a
// second pass over the sections for a UNION of two LATERALs).
//
// SQLite, which has no LATERAL, uses a correlated IN list (it evaluates
// it once per section; PostgreSQL would run it per joined row).
func blockItemsSQL(pg bool) string {
	own := "FROM posts p WHERE p.tenant_id = s.tenant_id AND p.section_id = s.id AND p.status = ?" +
		" ORDER BY p.published_at DESC, p.id DESC LIMIT ?"
	// post_fields carries its item's publication time while the item is
	// published (migration 20261206100000), so a field's newest items are
	// read off its own index instead of probing every published item.
	field := "FROM post_fields pf JOIN posts p ON p.tenant_id = pf.tenant_id AND p.id = pf.post_id" +
		" WHERE pf.tenant_id = s.tenant_id AND pf.field_code = s.field_code AND pf.published_at IS NOT NULL" +
		" ORDER BY pf.published_at DESC, pf.post_id DESC LIMIT ?"
	fieldIDs := "FROM post_fields pf WHERE pf.tenant_id = s.tenant_id AND pf.field_code = s.field_code" +
		" AND pf.published_at IS NOT NULL ORDER BY pf.published_at DESC, pf.post_id DESC LIMIT ?"
	if pg {
		gated := func(from, when string) string {
			return "(SELECT s.id AS k, " + blockCols + " " + strings.Replace(from, " WHERE ", " WHERE "+when+" AND ", 1) + ")"
		}
		return "SELECT x.* FROM sections s CROSS JOIN LATERAL (" + gated(own, "s.field_code IS NULL") +
			" UNION ALL " + gated(field, "s.field_code IS NOT NULL") + ") x WHERE s.tenant_id = ?"
	}
	branch := func(ids, where string) string {
		return "SELECT s.id AS k, " + strings.ReplaceAll(blockCols, "p.", "b.") +
			" FROM sections s JOIN posts b ON " + ids + " WHERE s.tenant_id = ? AND " + where
	}
	// On SQLite a section's own items are found by rowid, which their
	// index holds: one B-tree descent per item instead of two (the
	// primary key's index, then the row). The tenant is still compared,
	// written +b.tenant_id so that SQLite does not read the tenant's
	// items off an index instead. A field's items come from post_fields,
	// which names them by id.
	ownIDs := "+b.tenant_id = s.tenant_id AND b.rowid IN (SELECT p.rowid " + own + ")"
	fieldIDList := "b.tenant_id = s.tenant_id AND b.id IN (SELECT pf.post_id " + fieldIDs + ")"
	// No ORDER BY: the rows are put in order per section in Go
	// (blockItems), which costs less than SQLite's sorter over them.
	return branch(ownIDs, "s.field_code IS NULL") + "\nUNION ALL\n" +
		branch(fieldIDList, "s.field_code IS NOT NULL")
}

// The statement's two texts, built once: it runs on every uncached home.
var blockItemsSQLite, blockItemsPG = blockItemsSQL(false), blockItemsSQL(true)

// blockItems reads the newest per published items of every section of a
// tenant in one statement (blockItemsSQL) into blocks of cards, keyed by
// section id (names maps section ids to names); sortBlocks puts each
// block in order.
func blockItems(pg bool, tenantID string, per int, names map[string]string, blocks map[string]Teasers) db.Read {
	q := blockItemsSQLite
	if pg {
		q = blockItemsPG
	}
	args := []any{post.StatusPublished, per, tenantID, per, tenantID}
	if pg {
		args = []any{post.StatusPublished, per, per, tenantID}
	}
	row := newBlockScan()
	return db.Read{
		Query: q,
		Args:  args,
		Scan: func(rows db.Row) error {
			k, t, err := row.scan(rows, names)
			if err != nil {
				return fmt.Errorf("home blocks: %w", err)
			}
			b, ok := blocks[k]
			if !ok {
				b = make(Teasers, 0, per)
			}
			blocks[k] = append(b, t)
			return nil
		},
	}
}

// sortBlocks puts each block's cards newest first.
func sortBlocks(blocks map[string]Teasers) {
	for _, ts := range blocks {
		slices.SortFunc(ts, func(a, b Teaser) int { return newest(a.PublishedAt, a.id, b.PublishedAt, b.id) })
	}
}

// newestFirst orders items as listings do: by publication time, then id,
// both descending.
func newestFirst(a, b *post.Post) int {
	var at, bt time.Time
	if a.PublishedAt != nil {
		at = *a.PublishedAt
	}
	if b.PublishedAt != nil {
		bt = *b.PublishedAt
	}
	return newest(at, a.ID, bt, b.ID)
}

// newest compares two items by publication time, then id, both
// descending (an item never published has the zero time).
func newest(at time.Time, aID string, bt time.Time, bID string) int {
	if c := bt.Compare(at); c != 0 {
		return c
	}
	return strings.Compare(bID, aID)
}

// coverOf is the picture that stands for an item in listings (cover).
func coverOf(p *post.Post) string {
	var featured, picture db.NullString
	if p.FeaturedMediaID != nil {
		featured = db.NullString{String: *p.FeaturedMediaID, Valid: true}
	}
	if p.BodyPicture != nil {
		picture = db.NullString{String: *p.BodyPicture, Valid: true}
	}
	return cover(featured, picture, p.Body)
}

// cover is the picture that stands for an item in listings: its featured
// picture, else the first picture of its body (bodyPicture, derived when
// the item is saved, or read off the body of an item saved before);
// "" when it has none.
func cover(featured, bodyPicture db.NullString, body string) string {
	switch {
	case featured.Valid && featured.String != "":
		return featured.String
	case bodyPicture.Valid:
		return bodyPicture.String
	default:
		return post.FirstPicture(body)
	}
}
