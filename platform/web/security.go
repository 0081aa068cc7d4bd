package web

import "github.com/gofiber/fiber/v2"

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
