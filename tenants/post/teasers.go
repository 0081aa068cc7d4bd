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
// each block (by section id), teaser columns only. One window over the
// tenant's public items per kind of block: its cost follows the tenant's
// item count once, not once per section (a correlated LIMIT subquery per
// section looked cheaper and ran per joined row on PostgreSQL).
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
	cols := "p.tenant_id, p.id, p.slug, p.title, p.summary, p.type, p.status, p.section_id, p.published_at, p.updated_at"
	q := `SELECT * FROM (
		SELECT p.section_id AS block, ` + cols + `,
			ROW_NUMBER() OVER (PARTITION BY p.section_id ORDER BY p.published_at DESC, p.id DESC) AS rn
		FROM posts p WHERE p.tenant_id = ? AND p.status IN (?) AND p.section_id IN (?)
		UNION ALL
		SELECT s.id AS block, ` + cols + `,
			ROW_NUMBER() OVER (PARTITION BY s.id ORDER BY p.published_at DESC, p.id DESC) AS rn
		FROM sections s
		JOIN post_fields pf ON pf.tenant_id = s.tenant_id AND pf.field_code = s.field_code
		JOIN posts p ON p.tenant_id = pf.tenant_id AND p.id = pf.post_id
		WHERE s.tenant_id = ? AND s.id IN (?) AND p.status IN (?)) x
		WHERE x.rn <= ? ORDER BY x.block, x.rn`
	var rows []struct {
		Block string `bun:"block"`
		Rn    int    `bun:"rn"`
		Post
	}
	err := idb.NewRaw(q, tenantID, public, bun.List(orNone(bySection)), tenantID, bun.List(orNone(byField)), public, per).Scan(ctx, &rows)
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
