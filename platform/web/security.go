package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Content security policies. Public sites allow inline style attributes
// (a tenant's brand colour) but no inline script; the console allows
// neither, so an injected script or style has nowhere to run.
const (
	SiteCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
	ConsoleCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

// securityHeaders sets the headers every response carries; the CSP depends
// on whether the request is for the admin host.
func securityHeaders(adminHost string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if Host(c) == adminHost {
			h.Set("Content-Security-Policy", ConsoleCSP)
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cache-Control", "no-store")
		} else {
			h.Set("Content-Security-Policy", SiteCSP)
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		if Secure(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		// Handlers that serve cacheable files (static, media) set their
		// own Cache-Control over the console's no-store.
		return c.Next()
	}
}

// CrossSite reports whether the browser says the request was started by
// another site: its Sec-Fetch-Site is neither same-origin nor none, or,
// when it sends none, its Origin ("null" included) is not the host the
// request was addressed to. Without either header (scripts, old browsers)
// it is false. Forms that take no session token (the login, a public
// form) refuse such requests.
func CrossSite(c *fiber.Ctx) bool {
	if site := strings.ToLower(strings.TrimSpace(c.Get("Sec-Fetch-Site"))); site != "" {
		return site != "same-origin" && site != "none"
	}
	origin := strings.TrimSpace(c.Get(fiber.HeaderOrigin))
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || !strings.EqualFold(u.Host, HostPort(c))
}
