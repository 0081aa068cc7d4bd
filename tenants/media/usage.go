package media

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Where media are used is read from the items themselves rather than kept
// in a table of its own: an item uses a media when it is the item's
// featured image (posts.featured_media_id) or when the item's body refers
// to its address ("/media/<id>/…", the only image source the body
// sanitiser lets through), or when it is a file attached to a document
// (post_attachments, tenants/document). A usage table would have to be kept in step by
// every writer of items (editing, restoring revisions, cross-posting,
// import) and would drift; the query cannot. It scans the tenant's item
// bodies with LIKE, which is cheap at the size of a tenant's site
// (thousands of items) and is only run for the library pages and for a
// deletion.

// usageJoin joins media m to the items p that use it.
const usageJoin = `JOIN posts AS p ON p.tenant_id = m.tenant_id
	AND (p.featured_media_id = m.id OR p.body LIKE ('%/media/' || m.id || '%')
		OR EXISTS (SELECT 1 FROM post_attachments AS pa WHERE pa.tenant_id = p.tenant_id AND pa.post_id = p.id AND pa.media_id = m.id))`

// Usage counts, for each of ids, the tenant's items (in any state) that use
// it. Ids used nowhere are absent from the map.
func Usage(ctx context.Context, idb bun.IDB, tenantID string, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID string `bun:"id"`
		N  int    `bun:"n"`
	}
	err := idb.NewRaw(`SELECT m.id AS id, COUNT(DISTINCT p.id) AS n FROM media AS m `+usageJoin+`
		WHERE m.tenant_id = ? AND m.id IN (?) GROUP BY m.id`, tenantID, bun.List(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("media usage: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, nil
}

// User is an item that uses a media.
type User struct {
	ID     string `bun:"id" json:"id"`
	Title  string `bun:"title" json:"title"`
	Status string `bun:"status" json:"status"`
}

// Users lists the tenant's items that use the media, most recently
// updated first.
func Users(ctx context.Context, idb bun.IDB, tenantID, id string) ([]User, error) {
	var us []User
	err := idb.NewRaw(`SELECT p.id AS id, p.title AS title, p.status AS status FROM media AS m `+usageJoin+`
		WHERE m.tenant_id = ? AND m.id = ? ORDER BY p.updated_at DESC, p.id`, tenantID, id).Scan(ctx, &us)
	if err != nil {
		return nil, fmt.Errorf("media users: %w", err)
	}
	return us, nil
}

// blocksDeletion reports whether an item in this state keeps its media
// from being deleted: it is on the public site, or about to be.
func blocksDeletion(status string) bool {
	switch status {
	case "published", "scheduled", "withdrawn":
		return true
	}
	return false
}
