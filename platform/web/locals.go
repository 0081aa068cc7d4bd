package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// localKey keys the values the middleware leaves on a request. A private
// type keeps other packages from colliding with them. The values live on the
// fasthttp request, so they survive the hand-over from the host dispatcher
// to the site or admin app.
type localKey int

const (
	keyRequestID localKey = iota
	keyTenant
	keyClientIP
	keyHost
	keyLang
	keyCSRF
	keySecure
	keyHostPort
)

// HostPort is the host the request was addressed to with its port, as the
// client wrote it (lower-cased), for absolute URLs that must keep the port.
func HostPort(c *fiber.Ctx) string { s, _ := c.Locals(keyHostPort).(string); return s }

// RequestID is the id of the current request (also in X-Request-ID).
func RequestID(c *fiber.Ctx) string { s, _ := c.Locals(keyRequestID).(string); return s }

// Tenant is the tenant whose host served the request, nil on the admin host.
func Tenant(c *fiber.Ctx) *tenancy.Tenant { t, _ := c.Locals(keyTenant).(*tenancy.Tenant); return t }

// SetTenant records the request's tenant.
func SetTenant(c *fiber.Ctx, t *tenancy.Tenant) { c.Locals(keyTenant, t) }

// ClientIP is the caller's address, taken from X-Forwarded-For only when the
// direct peer is a trusted proxy.
func ClientIP(c *fiber.Ctx) string { s, _ := c.Locals(keyClientIP).(string); return s }

// Host is the normalised host the request was addressed to (trusted
// X-Forwarded-Host considered).
func Host(c *fiber.Ctx) string { s, _ := c.Locals(keyHost).(string); return s }

// Secure reports whether the request reached us over TLS (directly or as
// told by a trusted proxy).
func Secure(c *fiber.Ctx) bool { b, _ := c.Locals(keySecure).(bool); return b }

// Lang is the request's interface language.
func Lang(c *fiber.Ctx) i18n.Lang {
	if l, ok := c.Locals(keyLang).(i18n.Lang); ok {
		return l
	}
	return i18n.VI
}

// CSRFToken is the token to embed in forms, set by the console's CSRF middleware.
func CSRFToken(c *fiber.Ctx) string { s, _ := c.Locals(keyCSRF).(string); return s }

// SetCSRFToken records the form token for templates.
func SetCSRFToken(c *fiber.Ctx, token string) { c.Locals(keyCSRF, token) }

// SetLang sets the language a page renders in (the English page of a site
// is English whatever the visitor's choice).
func SetLang(c *fiber.Ctx, l i18n.Lang) { c.Locals(keyLang, l) }

// Principal is the authenticated caller of a console or API request.
type Principal struct {
	AccountID string
	Email     string
	Name      string
	// SessionID is set for console sessions (empty for API tokens); CSRF
	// checks apply only to session-authenticated requests.
	SessionID string
	// TokenID is set when the request carried an API token.
	TokenID string
}

const keyPrincipal localKey = 100

// Account returns the authenticated caller, nil when anonymous.
func Account(c *fiber.Ctx) *Principal { p, _ := c.Locals(keyPrincipal).(*Principal); return p }

// SetAccount records the authenticated caller.
func SetAccount(c *fiber.Ctx, p *Principal) { c.Locals(keyPrincipal, p) }

// SlugTenantID resolves the :slug route parameter to a tenant id for
// authorization guards; an unknown slug is a NotFound that names no tenant.
func SlugTenantID(reg *tenancy.Registry, c *fiber.Ctx) (string, error) {
	t, ok := reg.BySlug(c.Params("slug"))
	if !ok {
		return "", errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	return t.ID, nil
}
