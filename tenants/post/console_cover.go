package post

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// cover is the item's cover picture with its preview on the admin host.
func (h *Console) cover(ctx context.Context, t *tenancy.Tenant, p *Post) (*PostCover, error) {
	if p == nil || p.FeaturedMediaID == nil {
		return nil, nil
	}
	if h.Picture == nil {
		return nil, nil
	}
	return h.Picture(ctx, t, *p.FeaturedMediaID)
}

// postCover chooses (or, with an empty media id, takes away) the item's
// cover picture.
func (h *Console) postCover(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	id := c.Params("id")
	back := "/t/" + t.Slug + "/bai-viet/" + id + "/sua#anh-dai-dien"
	mediaID := c.FormValue("media_id")
	if c.FormValue("remove") == "1" {
		mediaID = ""
	}
	// The editor's picker asks for JSON, so the text being written stays
	// on the page.
	asJSON := c.Get(fiber.HeaderAccept) == fiber.MIMEApplicationJSON
	p, err := svc.SetCover(c.UserContext(), t, ActorFor(h.Authz, c, t), id, mediaID)
	if err != nil {
		if status := userErrorStatus(err); asJSON && status != 0 {
			return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"message": errorText(err)}})
		}
		return formError(c, back, err)
	}
	if asJSON {
		cv, err := h.cover(c.UserContext(), t, p)
		if err != nil || cv == nil {
			return c.JSON(fiber.Map{})
		}
		return c.JSON(fiber.Map{"id": cv.ID, "thumb": cv.Thumb, "alt": cv.Alt})
	}
	msg := "Đã chọn ảnh đại diện"
	if mediaID == "" {
		msg = "Đã bỏ ảnh đại diện"
	}
	return redirectWith(c, back, "ok", msg)
}
