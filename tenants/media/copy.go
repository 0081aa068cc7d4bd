package media

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// mediaRef finds /media/<id>/ references in an item body.
var mediaRef = regexp.MustCompile(`/media/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/`)

// CopyInto gives another tenant its own copy of the media an item uses
// (pictures in its body and its featured image), so the copy never links
// to the source tenant's files: objects are copied under the target's
// prefix, rows (with renditions) are written in tx, and the body's URLs and
// the featured id are rewritten. A reference to media the source no longer
// has is left as it is. Objects are written before tx commits; if tx rolls
// back, the reconciler removes them.
func (s *Service) CopyInto(ctx context.Context, tx bun.IDB, fromTenant, toTenant, body string, featured *string) (string, *string, error) {
	ids := map[string]bool{}
	for _, m := range mediaRef.FindAllStringSubmatch(body, -1) {
		ids[m[1]] = true
	}
	if featured != nil {
		ids[*featured] = true
	}
	newIDs := map[string]string{}
	for id := range ids {
		m, err := Get(ctx, tx, fromTenant, id)
		if errs.Is(err, errs.KindNotFound) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		nid, err := s.copyOne(ctx, tx, m, toTenant)
		if err != nil {
			return "", nil, err
		}
		newIDs[id] = nid
	}
	for old, nid := range newIDs {
		body = strings.ReplaceAll(body, "/media/"+old+"/", "/media/"+nid+"/")
	}
	if featured != nil {
		if nid, ok := newIDs[*featured]; ok {
			featured = &nid
		}
	}
	return body, featured, nil
}

func (s *Service) copyOne(ctx context.Context, tx bun.IDB, m *Media, toTenant string) (string, error) {
	key, err := s.copyObject(ctx, m.ObjectKey, m.TenantID, toTenant, m.ContentType)
	if err != nil {
		return "", err
	}
	now := s.now()
	c := *m
	c.TenantID, c.ID, c.ObjectKey, c.CreatedAt, c.UpdatedAt, c.Renditions = toTenant, db.NewID(), key, now, now, nil
	if _, err := tx.NewInsert().Model(&c).Exec(ctx); err != nil {
		return "", fmt.Errorf("copy media row: %w", err)
	}
	for _, r := range m.Renditions {
		rkey, err := s.copyObject(ctx, r.ObjectKey, m.TenantID, toTenant, "image/"+strings.Replace(r.Format, "jpg", "jpeg", 1))
		if err != nil {
			return "", err
		}
		r.TenantID, r.MediaID, r.ObjectKey, r.CreatedAt = toTenant, c.ID, rkey, now
		if _, err := tx.NewInsert().Model(&r).Exec(ctx); err != nil {
			return "", fmt.Errorf("copy rendition row: %w", err)
		}
	}
	return c.ID, nil
}

// copyObject copies one object to the same path under the target tenant's
// prefix (keys are content-addressed, so an existing one is reused).
func (s *Service) copyObject(ctx context.Context, key, fromTenant, toTenant, contentType string) (string, error) {
	prefix := "t/" + fromTenant + "/"
	if !strings.HasPrefix(key, prefix) {
		return "", fmt.Errorf("copy media: key %q is not under tenant %s", key, fromTenant)
	}
	dst := "t/" + toTenant + "/" + strings.TrimPrefix(key, prefix)
	if _, err := s.store.Stat(ctx, dst); err == nil {
		return dst, nil
	}
	src, err := s.store.Open(ctx, key)
	if err != nil {
		return "", fmt.Errorf("copy media: open %s: %w", key, err)
	}
	defer src.Close()
	if _, err := s.store.Put(ctx, dst, src, src.Info().Size, contentType); err != nil {
		return "", fmt.Errorf("copy media: %w", err)
	}
	return dst, nil
}
