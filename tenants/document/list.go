package document

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/tenants/post"
)

// Filter narrows the public list of documents.
type Filter struct {
	Query  string // words of the title, summary or number
	Kind   Kind
	Issuer string
	Field  string
	Year   int
	Limit  int
	Offset int
}

// Row is a public document as listed.
type Row struct {
	PostID      string      `bun:"post_id"`
	Slug        string      `bun:"slug"`
	Title       string      `bun:"title"`
	Summary     string      `bun:"summary"`
	Status      post.Status `bun:"status"`
	PublishedAt *time.Time  `bun:"published_at"`
	Number      string      `bun:"number"`
	Kind        Kind        `bun:"kind"`
	Issuer      string      `bun:"issuer"`
	Signer      string      `bun:"signer"`
	IssuedOn    *time.Time  `bun:"issued_on"`
	EffectiveOn *time.Time  `bun:"effective_on"`
	ExpiresOn   *time.Time  `bun:"expires_on"`
}

// Expired reports whether the document no longer has effect today.
func (r *Row) Expired() bool { return (&Meta{ExpiresOn: r.ExpiresOn}).ExpiredAt(time.Now()) }

// query is the public documents of a tenant matching f.
func query(idb bun.IDB, tenantID string, f Filter) *bun.SelectQuery {
	q := idb.NewSelect().TableExpr("posts AS p").
		Join("JOIN post_documents AS d ON d.tenant_id = p.tenant_id AND d.post_id = p.id").
		Where("p.tenant_id = ?", tenantID).Where("p.type = ?", post.TypeDocument).
		Where("p.status IN (?)", bun.List([]post.Status{post.StatusPublished, post.StatusWithdrawn}))
	if f.Kind != "" {
		q = q.Where("d.kind = ?", f.Kind)
	}
	if f.Issuer != "" {
		q = q.Where("d.issuer = ?", f.Issuer)
	}
	if f.Field != "" {
		q = q.Where("EXISTS (SELECT 1 FROM post_fields pf WHERE pf.tenant_id = p.tenant_id AND pf.post_id = p.id AND pf.field_code = ?)", f.Field)
	}
	if f.Year > 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		q = q.Where("d.issued_on >= ? AND d.issued_on < ?", from, from.AddDate(1, 0, 0))
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		// A document's search text carries its number, lower-cased and
		// folded (migration 20261210100500), so the library matches words
		// and numbers as the site search does. LOWER(d.number) did not:
		// SQLite lowers ASCII only and nothing folded Đ, so 125/QĐ-UBND
		// was found neither as printed nor as 125/QD-UBND.
		q = post.MatchingText(q, s)
	}
	return q
}

// List returns a tenant's public documents matching f, newest issued
// first, and how many match in all.
func List(ctx context.Context, idb bun.IDB, tenantID string, f Filter) ([]Row, int, error) {
	total, err := query(idb, tenantID, f).Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("count documents: %w", err)
	}
	var rows []Row
	err = query(idb, tenantID, f).
		ColumnExpr("p.id AS post_id, p.slug, p.title, p.summary, p.status, p.published_at").
		ColumnExpr("d.number, d.kind, d.issuer, d.signer, d.issued_on, d.effective_on, d.expires_on").
		OrderExpr("COALESCE(d.issued_on, p.published_at) DESC, p.id DESC").
		Limit(int64(max(f.Limit, 1))).Offset(int64(f.Offset)).Scan(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("list documents: %w", err)
	}
	return rows, int(total), nil
}

// Issuers lists the issuers of a tenant's public documents, for the filter.
func Issuers(ctx context.Context, idb bun.IDB, tenantID string) ([]string, error) {
	var out []string
	err := query(idb, tenantID, Filter{}).ColumnExpr("DISTINCT d.issuer").Where("d.issuer <> ''").
		OrderExpr("d.issuer").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("list issuers: %w", err)
	}
	return out, nil
}
