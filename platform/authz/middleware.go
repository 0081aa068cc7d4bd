package authz

import (
	"fmt"
	"reflect"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// TenantOf names the tenant a request acts in, typically by resolving the
// :slug route parameter (web.SlugTenant). An error it returns is answered
// as it is (an unknown slug should be errs.NotFound); a nil tenant is a
// NotFound.
type TenantOf func(c *fiber.Ctx) (*tenancy.Tenant, error)

// localKey keys what the guard leaves on a request.
type localKey int

const keyTenant localKey = iota

// guard is the handler Require returns. CheckRoutes recognises a route's
// declaration by the code of guard.handle (see the package documentation),
// so Require must always return the method value g.handle.
type guard struct {
	e        *Enforcer
	perm     Permission
	tenantOf TenantOf
}

// Require returns the handler that declares and enforces p on a route. Put
// it in the route's own handler list, before the route's handler:
//
//	api.Post("/tenants/:slug/posts", az.Require(authz.PostCreate, bySlug), createPost)
//
// The answer: no principal (web.Account) → errs.Unauthenticated (401); with
// tenantOf, an account that is not a Member of the tenant → errs.NotFound
// (404, the tenant's existence is not revealed), a member not Allowed p →
// errs.Forbidden (403). With tenantOf nil the check is platform-wide: not
// Allowed p on PlatformDomain → 403. On success the tenant is left for the
// handler (Tenant, and its id TenantID). Require(Public, nil) is RequirePublic and
// Require(Authenticated, nil) is RequireAuthenticated. Require panics on a
// permission not declared in permissions.go: that is a wiring mistake,
// caught when routes are registered.
func (e *Enforcer) Require(p Permission, tenantOf TenantOf) fiber.Handler {
	switch {
	case p == Public:
		return RequirePublic()
	case p == Authenticated:
		return RequireAuthenticated()
	case !p.Valid():
		panic(fmt.Sprintf("authz: Require(%q): not a declared permission", string(p)))
	}
	g := &guard{e: e, perm: p, tenantOf: tenantOf}
	return g.handle
}

func (g *guard) handle(c *fiber.Ctx) error {
	who := web.Account(c)
	if who == nil || who.AccountID == "" {
		return errUnauthenticated()
	}
	tenantID := PlatformDomain
	var t *tenancy.Tenant
	if g.tenantOf != nil {
		var err error
		if t, err = g.tenantOf(c); err != nil {
			return err
		}
		if t == nil || t.ID == "" {
			return errNotFound()
		}
		tenantID = t.ID
	}
	if err := g.e.Check(who.AccountID, tenantID, g.perm); err != nil {
		return err
	}
	if g.tenantOf != nil && !safeMethod(c.Method()) {
		if err := g.e.closed(who.AccountID, tenantID); err != nil {
			return err
		}
	}
	c.Locals(keyTenant, checked{id: tenantID, tenant: t})
	return c.Next()
}

// safeMethod reports whether a request only reads.
func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// closed refuses a change to a tenant that takes none (suspended, archived,
// merged: Scope.Closed) unless the account manages tenants.
func (e *Enforcer) closed(accountID, tenantID string) error {
	sc := e.scope.Load()
	if sc == nil || sc.Closed == nil {
		return nil
	}
	err := sc.Closed(tenantID)
	if err == nil || e.Allowed(accountID, PlatformDomain, TenantManage) {
		return nil
	}
	return err
}

// Check answers like Require, for handlers whose permission depends on the
// request (a workflow transition, editing one's own item or any item): nil
// when allowed, else errs.Unauthenticated (no account), errs.NotFound (not
// a member of the tenant) or errs.Forbidden. tenantID PlatformDomain checks
// a platform-wide permission (never NotFound).
func (e *Enforcer) Check(accountID, tenantID string, p Permission) error {
	switch {
	case accountID == "":
		return errUnauthenticated()
	case tenantID == PlatformDomain:
		if !e.Allowed(accountID, PlatformDomain, p) {
			return errForbidden()
		}
		return nil
	case !e.Member(accountID, tenantID):
		return errNotFound()
	case !e.Allowed(accountID, tenantID, p):
		return errForbidden()
	}
	return nil
}

// checked is what the guard leaves on a request it let through.
type checked struct {
	id     string          // the tenant's id, or PlatformDomain
	tenant *tenancy.Tenant // nil for a platform-wide guard
}

// TenantID is the tenant id the route's guard checked ("platform" for a
// platform-wide guard, empty when the route had none).
func TenantID(c *fiber.Ctx) string { ch, _ := c.Locals(keyTenant).(checked); return ch.id }

// Tenant is the tenant the route's guard checked: the one its handler acts
// in, resolved once (nil for a platform-wide guard or a route without one).
func Tenant(c *fiber.Ctx) *tenancy.Tenant { ch, _ := c.Locals(keyTenant).(checked); return ch.tenant }

// RequirePublic declares a route anyone may call (login, static files). It
// checks nothing.
func RequirePublic() fiber.Handler { return public }

// RequireAuthenticated declares a route any signed-in account may call; it
// answers 401 when there is no principal.
func RequireAuthenticated() fiber.Handler { return authenticated }

// RequireSession declares a route only a signed-in console session may call
// (its CSRF token checked by the console): managing the account itself,
// its API tokens among them. A request made with an API token is refused
// 403, so a token never mints, revokes or outlives another credential.
func RequireSession() fiber.Handler { return session }

func session(c *fiber.Ctx) error {
	who := web.Account(c)
	switch {
	case who == nil || who.AccountID == "":
		return errUnauthenticated()
	case who.SessionID == "":
		return errs.Forbidden("session_required", "Thao tác này chỉ thực hiện được khi đăng nhập trên trang quản trị, không bằng mã truy cập API")
	}
	return c.Next()
}

func public(c *fiber.Ctx) error { return c.Next() }

func authenticated(c *fiber.Ctx) error {
	if who := web.Account(c); who == nil || who.AccountID == "" {
		return errUnauthenticated()
	}
	return c.Next()
}

func errUnauthenticated() error {
	return errs.Unauthenticated("unauthenticated", "Vui lòng đăng nhập để tiếp tục")
}

func errNotFound() error { return errs.NotFound("not_found", "Không tìm thấy") }

func errForbidden() error {
	return errs.Forbidden("forbidden", "Bạn không có quyền thực hiện thao tác này")
}

// CheckRoutes returns, sorted, "METHOD /path" for every route that does not
// declare a permission: its own handler list holds no Require,
// RequirePublic, RequireAuthenticated or RequireSession handler before its
// last handler.
// Pass app.GetRoutes(true) (middleware excluded) for each app serving
// console or API routes; a guard installed with Use does not count, each
// route declares its own.
func CheckRoutes(routes []fiber.Route) []string {
	guardCode := handlerCode((&guard{}).handle)
	marks := map[uintptr]bool{
		guardCode:                  true,
		handlerCode(public):        true,
		handlerCode(authenticated): true,
		handlerCode(session):       true,
	}
	var missing []string
	for _, r := range routes {
		declared := false
		for i, h := range r.Handlers {
			if i < len(r.Handlers)-1 && marks[handlerCode(h)] {
				declared = true
				break
			}
		}
		if !declared {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	return missing
}

// handlerCode identifies a handler's code (every closure of one function
// literal, or every method value of one method, shares it).
func handlerCode(h fiber.Handler) uintptr {
	if h == nil {
		return 0
	}
	return reflect.ValueOf(h).Pointer()
}
