package web

import (
	"net/netip"
	"sync"

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
	keyRequest localKey = iota
	keyCSRF
)

// request is what requestContext works out once per request. One value in
// the request's locals instead of one per field: every field read is then
// a single lookup. The outer handler takes records from a pool, and
// fasthttp gives each back (Close) when it resets the request after the
// answer is written: allocating one was a fifth of a cached page's CPU
// (BenchmarkHit). So nothing may keep a record, or anything that reads it
// (a *fiber.Ctx), beyond its request: no goroutine outlives a handler.
type request struct {
	records  *sync.Pool // where Close returns it; nil outside the outer app
	idBytes  [16]byte   // the id, hex digits; zero outside the outer app
	id       string     // idBytes as a string, made when first asked for
	host     string     // normalised
	hostPort string     // as written, lower-cased
	client   netip.Addr
	clientIP string // client as text, made when first asked for
	secure   bool
	lang     i18n.Lang
	tenant   *tenancy.Tenant
	err      error // a malformed request, answered by requestContext
}

// info is the request's record; an empty one (never nil) outside the outer
// app (a test of a bare app).
func info(c *fiber.Ctx) *request {
	if r, ok := c.Locals(keyRequest).(*request); ok {
		return r
	}
	r := &request{lang: i18n.VI}
	c.Locals(keyRequest, r)
	return r
}

// HostPort is the host the request was addressed to with its port, as the
// client wrote it (lower-cased), for absolute URLs that must keep the port.
func HostPort(c *fiber.Ctx) string { return info(c).hostPort }

// RequestID is the id of the current request (also in X-Request-ID).
func RequestID(c *fiber.Ctx) string { return info(c).requestID() }

// The id and the client address are kept as they are read and made
// strings only when a handler asks: a cached page never does, and
// each string was an allocation of its nine.
func (r *request) requestID() string {
	if r.id == "" && r.idBytes[0] != 0 {
		r.id = string(r.idBytes[:])
	}
	return r.id
}

// Close returns the record to its pool, emptied. fasthttp calls it when it
// resets the request, after the answer is written.
func (r *request) Close() error {
	if p := r.records; p != nil {
		*r = request{}
		p.Put(r)
	}
	return nil
}

func (r *request) clientText() string {
	if r.clientIP == "" && r.client.IsValid() {
		r.clientIP = r.client.String()
	}
	return r.clientIP
}

// Tenant is the tenant whose host served the request, nil on the admin host.
func Tenant(c *fiber.Ctx) *tenancy.Tenant { return info(c).tenant }

// SetTenant records the request's tenant.
func SetTenant(c *fiber.Ctx, t *tenancy.Tenant) { info(c).tenant = t }

// ClientIP is the caller's address, taken from X-Forwarded-For only when the
// direct peer is a trusted proxy.
func ClientIP(c *fiber.Ctx) string { return info(c).clientText() }

// Host is the normalised host the request was addressed to (trusted
// X-Forwarded-Host considered).
func Host(c *fiber.Ctx) string { return info(c).host }

// Secure reports whether the request reached us over TLS (directly or as
// told by a trusted proxy).
func Secure(c *fiber.Ctx) bool { return info(c).secure }

// Lang is the request's interface language.
func Lang(c *fiber.Ctx) i18n.Lang { return info(c).lang }

// CSRFToken is the token to embed in forms, set by the console's CSRF middleware.
func CSRFToken(c *fiber.Ctx) string { s, _ := c.Locals(keyCSRF).(string); return s }

// SetCSRFToken records the form token for templates.
func SetCSRFToken(c *fiber.Ctx, token string) { c.Locals(keyCSRF, token) }

// SetLang sets the language a page renders in (the English page of a site
// is English whatever the visitor's choice).
func SetLang(c *fiber.Ctx, l i18n.Lang) { info(c).lang = l }

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
	// PasswordTemporary is set for a console session signed in with a
	// password an administrator handed over: the console opens only the
	// account page until its holder chooses their own.
	PasswordTemporary bool
}

const keyPrincipal localKey = 100

// Account returns the authenticated caller, nil when anonymous.
func Account(c *fiber.Ctx) *Principal { p, _ := c.Locals(keyPrincipal).(*Principal); return p }

// SetAccount records the authenticated caller.
func SetAccount(c *fiber.Ctx, p *Principal) { c.Locals(keyPrincipal, p) }

// SlugTenant resolves the :slug route parameter to its tenant for
// authorization guards (authz.TenantOf); an unknown slug is a NotFound that
// names no tenant.
func SlugTenant(reg *tenancy.Registry, c *fiber.Ctx) (*tenancy.Tenant, error) {
	t, ok := reg.BySlug(c.Params("slug"))
	if !ok {
		return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	return t, nil
}
