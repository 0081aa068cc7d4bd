package post

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// ActionCover is the audit action of choosing an item's cover picture.
const ActionCover = "post.cover"

// SetCover makes mediaID, an image of the tenant's own library, the cover
// picture of the item (posts.featured_media_id), or takes the cover away
// when mediaID is empty. Its author (post:edit-own) or an editor
// (post:edit-any) may; a media id of another tenant is refused as unknown.
func (s *Service) SetCover(ctx context.Context, t *tenancy.Tenant, actor Actor, id, mediaID string) (*Post, error) {
	if err := t.AcceptsItems(); err != nil {
		return nil, err
	}
	var p *Post
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if p, err = GetForUpdate(ctx, tx, t.ID, id); err != nil {
			return err
		}
		own := p.AuthorID == actor.ID && can(actor, "post:edit-own")
		if !own && !can(actor, "post:edit-any") {
			return errs.Forbidden("forbidden", "Bạn không có quyền sửa bài này")
		}
		var cover *string
		if mediaID != "" {
			ok, err := tx.NewSelect().Table("media").
				Where("tenant_id = ? AND id = ? AND kind = ?", t.ID, mediaID, "image").Exists(ctx)
			if err != nil {
				return fmt.Errorf("look up cover %s: %w", mediaID, err)
			}
			if !ok {
				return errs.Invalid("featured_media", "media_unknown", "Ảnh đại diện phải là một ảnh trong thư viện ảnh của đơn vị")
			}
			cover = &mediaID
		}
		now := s.now()
		p.FeaturedMediaID, p.UpdatedAt, p.UpdatedBy = cover, now, actor.ID
		if _, err := tx.NewUpdate().Model(p).Column("featured_media_id", "updated_at", "updated_by").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("set cover: %w", err)
		}
		if s.Audit == nil {
			return nil
		}
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: actor.ID, Action: ActionCover, Subject: p.ID,
			Detail: map[string]any{"media": mediaID}})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
