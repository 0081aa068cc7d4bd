package media

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Get loads one media of a tenant with its renditions; errs NotFound
// (media_not_found) when it does not exist in that tenant.
func Get(ctx context.Context, idb bun.IDB, tenantID, id string) (*Media, error) {
	m := new(Media)
	err := idb.NewSelect().Model(m).Where("m.tenant_id = ? AND m.id = ?", tenantID, id).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load media", "media_not_found", "Không tìm thấy tệp")
	}
	if err := fillRenditions(ctx, idb, tenantID, []*Media{m}); err != nil {
		return nil, err
	}
	return m, nil
}

// Filter narrows a listing of the library.
type Filter struct {
	// Query matches the name, alt text or caption (case-insensitive).
	Query string
	// Kind keeps one kind ("" = all).
	Kind Kind
	// From and To bound the upload time (zero = open).
	From, To time.Time
	// Limit (default 48, at most 200) and Offset page the result.
	Limit, Offset int
}

// List returns a tenant's media matching f, newest first, with renditions.
func List(ctx context.Context, idb bun.IDB, tenantID string, f Filter) ([]*Media, error) {
	var ms []*Media
	q := idb.NewSelect().Model(&ms).Where("m.tenant_id = ?", tenantID)
	if f.Kind != "" {
		q = q.Where("m.kind = ?", f.Kind)
	}
	if !f.From.IsZero() {
		q = q.Where("m.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("m.created_at < ?", f.To.UTC())
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		like := db.Contains(strings.ToLower(vntext.NFC(s)))
		q = q.Where("(LOWER(m.name) LIKE ? ESCAPE '\\' OR LOWER(m.alt) LIKE ? ESCAPE '\\' OR LOWER(m.caption) LIKE ? ESCAPE '\\')", like, like, like)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 48
	}
	err := q.OrderExpr("m.created_at DESC, m.id DESC").Limit(int64(limit)).Offset(int64(max(f.Offset, 0))).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list media: %w", err)
	}
	if err := fillRenditions(ctx, idb, tenantID, ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// fillRenditions loads the renditions of ms, smallest first.
func fillRenditions(ctx context.Context, idb bun.IDB, tenantID string, ms []*Media) error {
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[string]*Media, len(ms))
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
		ids = append(ids, m.ID)
	}
	var rs []Rendition
	err := idb.NewSelect().Model(&rs).Where("r.tenant_id = ? AND r.media_id IN (?)", tenantID, bun.List(ids)).
		OrderExpr("r.media_id, r.width").Scan(ctx)
	if err != nil {
		return fmt.Errorf("load renditions: %w", err)
	}
	for _, r := range rs {
		if m := byID[r.MediaID]; m != nil {
			m.Renditions = append(m.Renditions, r)
		}
	}
	return nil
}

// sameContent returns a media row of the tenant with this content hash,
// nil when none: an upload of the same bytes reuses its object.
func sameContent(ctx context.Context, idb bun.IDB, tenantID, sha, key string) (*Media, error) {
	var ms []Media
	err := idb.NewSelect().Model(&ms).Where("m.tenant_id = ? AND m.sha256 = ? AND m.object_key = ?", tenantID, sha, key).
		Limit(1).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("find same content: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	return &ms[0], nil
}

// keyInUse reports whether a media or rendition row of the tenant refers
// to the object key.
func keyInUse(ctx context.Context, idb bun.IDB, tenantID, key string) (bool, error) {
	var n int
	err := idb.NewRaw(`SELECT (SELECT COUNT(*) FROM media WHERE tenant_id = ? AND object_key = ?)
		+ (SELECT COUNT(*) FROM media_renditions WHERE tenant_id = ? AND object_key = ?)`,
		tenantID, key, tenantID, key).Scan(ctx, &n)
	if err != nil {
		return false, fmt.Errorf("check object use: %w", err)
	}
	return n > 0, nil
}

// usedBytes is the storage a tenant's library takes: every distinct object
// (originals and renditions) counted once.
func usedBytes(ctx context.Context, idb bun.IDB, tenantID string) (int64, error) {
	var n int64
	err := idb.NewRaw(`SELECT COALESCE(SUM(size), 0) FROM (
		SELECT object_key, size FROM media WHERE tenant_id = ?
		UNION SELECT object_key, size FROM media_renditions WHERE tenant_id = ?) AS o`, tenantID, tenantID).Scan(ctx, &n)
	if err != nil {
		return 0, fmt.Errorf("media storage used: %w", err)
	}
	return n, nil
}

// objectKeys returns every object key the tenant's rows refer to.
func objectKeys(ctx context.Context, idb bun.IDB, tenantID string) (map[string]bool, error) {
	var keys []string
	err := idb.NewRaw(`SELECT object_key FROM media WHERE tenant_id = ?
		UNION SELECT object_key FROM media_renditions WHERE tenant_id = ?`, tenantID, tenantID).Scan(ctx, &keys)
	if err != nil {
		return nil, fmt.Errorf("list object keys: %w", err)
	}
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, nil
}

// Edit is a change to the descriptive fields of a media.
type Edit struct {
	Alt, Caption, Credit string
}

// Update changes the alt text, caption and credit of a media; an image
// keeps a non-empty alt text.
func (s *Service) Update(ctx context.Context, tenantID, id string, e Edit) (*Media, error) {
	e = Edit{Alt: cleanText(e.Alt, 500), Caption: cleanText(e.Caption, 2000), Credit: cleanText(e.Credit, 200)}
	err := db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		m, err := Get(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if m.Kind == KindImage && e.Alt == "" {
			return errAltRequired()
		}
		_, err = tx.NewUpdate().Table("media").
			Set("alt = ?, caption = ?, credit = ?, updated_at = ?", e.Alt, e.Caption, e.Credit, s.now()).
			Where("tenant_id = ? AND id = ?", tenantID, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update media: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Get(ctx, s.db, tenantID, id)
}
