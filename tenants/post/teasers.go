package post

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// teaserColumns are what listings of public pages show of an item: no
// body, no provenance, no fields (which cost a query per listing).
var teaserColumns = []string{"p.tenant_id", "p.id", "p.slug", "p.title", "p.summary", "p.type", "p.status",
	"p.section_id", "p.published_at", "p.updated_at"}

// Teasers is List for public listings: the teaser columns only, fields
// and section slugs not loaded, so a listing is one query.
func Teasers(ctx context.Context, idb bun.IDB, tenantID string, f Filter) ([]*Post, error) {
	f.teaser = true
	return List(ctx, idb, tenantID, f)
}

// BlockKey names one block of a home page: a section's own items, or when
// Field is set every item of that field.
type BlockKey struct {
	SectionID string
	Field     string
}

// LatestPerBlock returns, in one query, the newest per public items of
// each block (by section id), teaser columns only. Each block is a
// correlated subquery with its own LIMIT, so the cost follows the number
// of items shown, not the size of the tenant's archive.
func LatestPerBlock(ctx context.Context, idb bun.IDB, tenantID string, blocks []BlockKey, per int) (map[string][]*Post, error) {
	out := map[string][]*Post{}
	var bySection, byField []string
	for _, b := range blocks {
		if b.Field != "" {
			byField = append(byField, b.SectionID)
		} else {
			bySection = append(bySection, b.SectionID)
		}
	}
	if len(blocks) == 0 {
		return out, nil
	}
	public := bun.List([]Status{StatusPublished, StatusWithdrawn})
	cols := "s.id AS block, p.tenant_id, p.id, p.slug, p.title, p.summary, p.type, p.status, p.section_id, p.published_at, p.updated_at"
	q := `SELECT * FROM (SELECT ` + cols + ` FROM sections s JOIN posts p ON p.tenant_id = s.tenant_id
		WHERE s.tenant_id = ? AND s.id IN (?) AND p.id IN (SELECT p2.id FROM posts p2
			WHERE p2.tenant_id = s.tenant_id AND p2.section_id = s.id AND p2.status IN (?)
			ORDER BY p2.published_at DESC, p2.id DESC LIMIT ?)
		UNION ALL SELECT ` + cols + ` FROM sections s JOIN posts p ON p.tenant_id = s.tenant_id
		WHERE s.tenant_id = ? AND s.id IN (?) AND p.id IN (SELECT p2.id FROM posts p2
			JOIN post_fields pf ON pf.tenant_id = p2.tenant_id AND pf.post_id = p2.id
			WHERE p2.tenant_id = s.tenant_id AND pf.field_code = s.field_code AND p2.status IN (?)
			ORDER BY p2.published_at DESC, p2.id DESC LIMIT ?)) x
		ORDER BY x.block, x.published_at DESC, x.id DESC`
	var rows []struct {
		Block string `bun:"block"`
		Post
	}
	err := idb.NewRaw(q, tenantID, bun.List(orNone(bySection)), public, per, tenantID, bun.List(orNone(byField)), public, per).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list home blocks: %w", err)
	}
	for i := range rows {
		p := rows[i].Post
		out[rows[i].Block] = append(out[rows[i].Block], &p)
	}
	return out, nil
}

// orNone keeps an IN list valid when empty.
func orNone(ids []string) []string {
	if len(ids) == 0 {
		return []string{""}
	}
	return ids
}
