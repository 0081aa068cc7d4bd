package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// SiteURL is the base address (scheme://host[:port], no trailing slash) of
// a tenant's public site, for links in an answer to c: the tenant's primary
// host (its first registered domain, else <slug>.<baseDomain>), the
// request's scheme (https behind a trusted TLS proxy), and the request's
// port when it is not the default one — the demo on :8080 and test servers
// serve every host on one port, production serves 80/443. It is "" for a
// tenant without a public site. Every public link the console and the API
// show is built on it.
func SiteURL(c *fiber.Ctx, t *tenancy.Tenant, baseDomain string) string {
	if t == nil || !t.HasSite {
		return ""
	}
	scheme := "http://"
	if Secure(c) {
		scheme = "https://"
	}
	return scheme + t.PrimaryHost(baseDomain) + RequestPort(c)
}

// RequestPort is ":<port>" when c came in on a port other than 80 and
// 443, else "".
func RequestPort(c *fiber.Ctx) string {
	hp := HostPort(c)
	i := strings.LastIndexByte(hp, ':')
	if i < 0 || strings.HasSuffix(hp, "]") {
		return ""
	}
	if p := hp[i+1:]; p != "" && p != "80" && p != "443" {
		return ":" + p
	}
	return ""
}
