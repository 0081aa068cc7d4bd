package media

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// Delete removes a media of a tenant: its row, its renditions and their
// objects (objects another row of the tenant shares are kept). A media
// used by an item on the public site, or scheduled to be, is not deleted:
// the errs Conflict (409, media_in_use) names those items. Media used only
// by drafts can be deleted; the console shows the usage first.
//
// Objects are deleted under the tenant's media lock inside the
// transaction that deletes the rows, so an upload of the same content
// committing at the same time either sees the object gone and writes it
// again, or keeps it alive by its own row. If the store is down the
// deletion fails as a whole (503) and nothing changes.
func (s *Service) Delete(ctx context.Context, tenantID, id string) error {
	return db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockTenant(ctx, tx, tenantID); err != nil {
			return err
		}
		m, err := Get(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		users, err := Users(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		var blocking []string
		for _, u := range users {
			if blocksDeletion(u.Status) {
				blocking = append(blocking, u.Title)
			}
		}
		if len(blocking) > 0 {
			return errInUse(blocking)
		}
		if _, err := tx.NewDelete().Table("media_renditions").Where("tenant_id = ? AND media_id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete renditions: %w", err)
		}
		// A draft document loses the file from its list.
		if _, err := tx.NewDelete().Table("post_attachments").Where("tenant_id = ? AND media_id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete attachments: %w", err)
		}
		if _, err := tx.NewDelete().Table("media").Where("tenant_id = ? AND id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("delete media: %w", err)
		}
		keys := []string{m.ObjectKey}
		for _, r := range m.Renditions {
			keys = append(keys, r.ObjectKey)
		}
		for _, k := range keys {
			used, err := keyInUse(ctx, tx, tenantID, k)
			if err != nil {
				return err
			}
			if used {
				continue
			}
			if err := s.store.Delete(ctx, k); err != nil {
				return fmt.Errorf("delete media object: %w", err)
			}
		}
		return nil
	})
}
