package console

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/web"
)

// Routes registers the console pages. Every route names its permission
// (authz.Require or a marker) in its own handler list.
func (h *Handler) Routes(app fiber.Router) {
	az := h.Authz
	pub, signedIn, session := authz.RequirePublic(), authz.RequireAuthenticated(), authz.RequireSession()
	app.Use(redirectAnonymous, requireOwnPassword, h.requireMFA)
	defer func() {
		for _, fn := range h.Extra {
			fn(app)
		}
	}()

	app.Get("/login", pub, h.loginForm)
	app.Post("/login", pub, h.login)
	app.Get("/login/2fa", pub, h.mfaForm)
	app.Post("/login/2fa", pub, h.mfa)
	app.Post("/logout", signedIn, h.logout)

	app.Get("/", signedIn, h.dashboard)
	app.Get("/chuyen-don-vi", signedIn, h.switchTenant)
	// The account itself (password, second factor, API tokens, sessions)
	// is managed from a console session only, never with an API token.
	app.Get("/tai-khoan", session, h.accountPage)
	app.Post("/tai-khoan/mat-khau", session, h.changePassword)
	app.Post("/tai-khoan/2fa/bat-dau", session, h.beginMFA)
	app.Post("/tai-khoan/2fa/xac-nhan", session, h.confirmMFA)
	app.Post("/tai-khoan/2fa/tat", session, h.disableMFA)
	app.Post("/tai-khoan/token", session, h.createToken)
	app.Post("/tai-khoan/token/:id/thu-hoi", session, h.revokeToken)
	app.Post("/tai-khoan/dang-xuat-tat-ca", session, h.logoutEverywhere)
	app.Get("/he-thong/nhat-ky", az.Require(authz.AuditViewAll, nil), h.platformAudit)
	if h.Provisioner != nil {
		h.donViRoutes(app)
	}

	app.Get("/t/:slug", az.Require(authz.TenantView, h.BySlug), h.tenantHome)
	app.Post("/t/:slug/cai-dat", az.Require(authz.TenantSettings, h.BySlug), h.saveSettings)
	app.Get("/t/:slug/ban-bien-tap", az.Require(authz.BoardView, h.BySlug), h.boardPage)
	app.Post("/t/:slug/ban-bien-tap/quyet-dinh", az.Require(authz.BoardManage, h.BySlug), h.setDecision)
	app.Post("/t/:slug/ban-bien-tap/thanh-vien", az.Require(authz.BoardManage, h.BySlug), h.addMember)
	app.Post("/t/:slug/ban-bien-tap/thanh-vien/:id", az.Require(authz.BoardManage, h.BySlug), h.updateMember)
	app.Post("/t/:slug/ban-bien-tap/thanh-vien/:id/xoa", az.Require(authz.BoardManage, h.BySlug), h.removeMember)
	app.Get("/t/:slug/vai-tro", az.Require(authz.BoardManage, h.BySlug), h.rolesPage)
	app.Post("/t/:slug/vai-tro/giao", az.Require(authz.BoardManage, h.BySlug), h.changeRole(true))
	app.Post("/t/:slug/vai-tro/thu-hoi", az.Require(authz.BoardManage, h.BySlug), h.changeRole(false))
	app.Post("/t/:slug/vai-tro/mat-khau", az.Require(authz.BoardManage, h.BySlug), h.resetPassword)
	app.Get("/t/:slug/nhat-ky", az.Require(authz.AuditView, h.BySlug), h.tenantAudit)
}

// redirectAnonymous sends a browser without a session to the login form
// (the API keeps answering 401 in JSON); the route guards still decide.
func redirectAnonymous(c *fiber.Ctx) error {
	p := c.Path()
	if web.Account(c) != nil || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/login") || c.Method() != fiber.MethodGet {
		return c.Next()
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
