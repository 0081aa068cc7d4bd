package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// Flash is a one-time message shown on the next console page after a
// redirect ("ok" or "error").
type Flash struct{ Kind, Text string }

// FlashCookie carries the one-time message between a form post and the
// page it redirects to. It is declared here only: every console feature
// sets and reads it through SetFlash, TakeFlash and RedirectWithFlash.
const FlashCookie = "trangtin_flash"

// SetFlash leaves a message for the next page.
func SetFlash(c *fiber.Ctx, kind, text string) {
	c.Cookie(&fiber.Cookie{Name: FlashCookie, Value: url.QueryEscape(kind + "|" + text), Path: "/", HTTPOnly: true,
		SameSite: "Lax", Secure: Secure(c), MaxAge: 60})
}

// TakeFlash reads and clears the message left for this page; nil when
// there is none or it is not one SetFlash would write.
func TakeFlash(c *fiber.Ctx) *Flash {
	v := c.Cookies(FlashCookie)
	if v == "" {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: FlashCookie, Value: "", Path: "/", MaxAge: -1, HTTPOnly: true})
	raw, err := url.QueryUnescape(v)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(raw, "|")
	if !ok || (kind != "ok" && kind != "error") || len(text) > 500 {
		return nil
	}
	return &Flash{Kind: kind, Text: text}
}

// RedirectWithFlash sends the browser to path (303) with a message.
func RedirectWithFlash(c *fiber.Ctx, path, kind, text string) error {
	SetFlash(c, kind, text)
	return c.Redirect(path, fiber.StatusSeeOther)
}

// ShellFunc builds the console layout's data (account, tenant switcher,
// the tenant's menu with active marked, the one-time message) for a page
// of tenant t (nil outside a tenant). The console provides the one
// implementation (console.Handler.Layout); features below the console in
// the dependency order take it as a func field, so the layout lives once.
type ShellFunc func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error)
