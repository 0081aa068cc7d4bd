package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
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

// header is a response header as fasthttp keeps it: the name in its
// canonical form, both as bytes.
type header struct{ name, value []byte }

// HeaderName is name as fasthttp writes it ("ETag" is "Etag"), for
// SetCanonical: a name set in another form would be a second header
// beside the one Set writes under the same name.
func HeaderName(name string) []byte {
	return fasthttp.AppendNormalizedHeaderKey(nil, name)
}

// The headers every response carries, by host. They are set with
// SetCanonical, which copies the value once and leaves the name alone:
// Set normalises the name and copies the value twice, and on a page served
// from the cache these headers were a tenth of the work.
var (
	commonHeaders = []header{
		{HeaderName("X-Content-Type-Options"), []byte("nosniff")},
		{HeaderName("Referrer-Policy"), []byte("strict-origin-when-cross-origin")},
		{HeaderName("Permissions-Policy"), []byte("camera=(), microphone=(), geolocation=(), payment=(), usb=()")},
		{HeaderName("Cross-Origin-Opener-Policy"), []byte("same-origin")},
	}
	consoleHeaders = []header{
		{headerCSP, []byte(ConsoleCSP)},
		{HeaderName("X-Frame-Options"), []byte("DENY")},
		{HeaderName("Cache-Control"), []byte("no-store")},
	}
	headerCSP   = HeaderName("Content-Security-Policy")
	siteHeaders = []header{
		{headerCSP, []byte(SiteCSP)},
		{HeaderName("X-Frame-Options"), []byte("SAMEORIGIN")},
	}
	hstsHeader = header{HeaderName("Strict-Transport-Security"), []byte("max-age=31536000; includeSubDomains")}
)

// setSecurityHeaders sets the headers every response carries; the CSP
// depends on whether the request is for the admin host. Handlers that
// serve cacheable files (static, media) set their own Cache-Control over
// the console's no-store.
func setSecurityHeaders(h *fasthttp.ResponseHeader, admin, secure bool) {
	set := func(hs []header) {
		for _, x := range hs {
			h.SetCanonical(x.name, x.value)
		}
	}
	set(commonHeaders)
	if admin {
		set(consoleHeaders)
	} else {
		set(siteHeaders)
	}
	if secure {
		h.SetCanonical(hstsHeader.name, hstsHeader.value)
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
