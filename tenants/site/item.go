package site

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// itemRow is what an item page reads, in one statement: the item, its
// sector fields, the status of its original when it is a copy (whether
// the page links to it), and its featured picture.
//
// These were four statements. On PostgreSQL each is a round trip that
// wakes a server process, and an uncached item page spent more on the
// three small ones than on the item (pprof under wrk). On SQLite a
// statement costs its reset, binds and steps whatever it reads.
type itemRow struct {
	post.Post
	// FieldList is the item's fields in the sector's order, one
	// "CODE<TAB>NAME" line each (fieldSeparator, recordSeparator).
	FieldList *string `bun:"field_list"`
	// OriginStatus is nil for an item that is not a copy, or whose
	// original is gone.
	OriginStatus *post.Status   `bun:"origin_status"`
	Featured     media.ImageRow `bun:"embed:featured_"`
}

// The field list's separators: field codes are slugs and names are one
// line of text (the sector's catalogue, migration 20261127000001).
const (
	fieldSeparator  = "\t"
	recordSeparator = "\n"
)

// itemSQL reads an itemRow by slug. string_agg with ORDER BY inside is
// PostgreSQL's, and SQLite's since 3.44.
func itemSQL(idb bun.IDB) string {
	return "SELECT " + db.ModelColumns(idb, (*post.Post)(nil), "p") +
		", (SELECT string_agg(sf.code || '" + fieldSeparator + "' || sf.name, '" + recordSeparator + "' ORDER BY sf.position)" +
		" FROM post_fields pf JOIN sector_fields sf ON sf.code = pf.field_code" +
		" WHERE pf.tenant_id = p.tenant_id AND pf.post_id = p.id) AS field_list" +
		", (SELECT o.status FROM posts o WHERE o.tenant_id = p.origin_tenant_id AND o.id = p.origin_post_id) AS origin_status" +
		", " + media.ImageColumns("m", "featured_") +
		" FROM posts p LEFT JOIN media m ON m.tenant_id = p.tenant_id AND m.id = p.featured_media_id AND m.kind = ?" +
		" WHERE p.tenant_id = ? AND p.slug = ?"
}

// loadItem reads the item of a tenant's public page by slug; errs
// NotFound when no item has it.
func loadItem(ctx context.Context, idb bun.IDB, tenantID, slug string) (*itemRow, error) {
	var rows []*itemRow
	if err := db.Select(ctx, idb, &rows, itemSQL(idb), media.KindImage, tenantID, slug); err != nil {
		return nil, fmt.Errorf("load item page: %w", err)
	}
	if len(rows) == 0 {
		return nil, errs.NotFound("post_not_found", "Không tìm thấy bài viết")
	}
	return rows[0], nil
}

// Fields is the item's sector fields, named, in the sector's order.
func (r *itemRow) Fields() []tenancy.Field {
	if r.FieldList == nil || *r.FieldList == "" {
		return nil
	}
	lines := strings.Split(*r.FieldList, recordSeparator)
	out := make([]tenancy.Field, 0, len(lines))
	for _, line := range lines {
		code, name, _ := strings.Cut(line, fieldSeparator)
		out = append(out, tenancy.Field{Code: code, Name: name})
	}
	return out
}
