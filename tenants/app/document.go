package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/document"
	"github.com/trangtin/trangtin/tenants/post"
)

// wireDocument attaches documents (văn bản): their metadata and files are
// written in the item's transaction (post.Service.AfterWrite), shown in
// the items API (post.API.Extension, set in New) and served on the public
// sites under /van-ban.
func wireDocument(_ context.Context, a *App, w *wiring) error {
	a.Posts.AfterWrite = append(a.Posts.AfterWrite, document.AfterWrite)
	w.Site.ExpiredOn = func(expiresOn time.Time) bool {
		return (&document.Meta{ExpiresOn: &expiresOn}).ExpiredAt(time.Now())
	}
	w.Site.Extra = append(w.Site.Extra, (&document.Public{DB: a.Prepared, Renderer: a.Renderer,
		Frame: func(c *fiber.Ctx, t *tenancy.Tenant) (document.Frame, error) {
			p, err := w.Site.Frame(c, t)
			if err != nil {
				return document.Frame{}, err
			}
			return document.Frame{Tenant: p.Tenant, Nav: p.Nav}, nil
		}}).Routes)
	k := &document.Console{DB: a.DB}
	w.Posts.Extension = &post.ConsoleExtension{Read: k.Read, Form: k.Form}
	return nil
}
