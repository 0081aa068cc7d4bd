package crosspost

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

// PublicRoutes registers, on the public sites, the link from a copy to its
// original (post.OriginPath): a redirect to wherever the original lives
// now, so the link survives renames and moves of the sending tenant.
func (s *Service) PublicRoutes(baseDomain string) func(r fiber.Router) {
	return func(r fiber.Router) {
		r.Get("/nguon/:slug", func(c *fiber.Ctx) error { return s.toOriginal(c, baseDomain) })
	}
}

func (s *Service) toOriginal(c *fiber.Ctx, baseDomain string) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	gone := errs.NotFound("post_not_found", "Không tìm thấy bài viết")
	cp, err := post.BySlug(ctx, s.DB, t.ID, c.Params("slug"))
	if errs.Is(err, errs.KindNotFound) || err == nil && (!cp.Status.Public() || cp.OriginTenantID == nil || cp.OriginPostID == nil) {
		return gone
	}
	if err != nil {
		return err
	}
	from, ok := s.Registry.ByID(*cp.OriginTenantID)
	if !ok || !from.Serving() {
		return gone
	}
	orig, err := post.Get(ctx, s.DB, from.ID, *cp.OriginPostID)
	if errs.Is(err, errs.KindNotFound) || err == nil && orig.Status != post.StatusPublished {
		return gone
	}
	if err != nil {
		return err
	}
	return c.Redirect(post.PublicURL(c, from, orig, baseDomain), fiber.StatusFound)
}
