package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/site"
)

// wireAgency attaches the agency's own pages (issue 12): the public site
// learns the tenant tree (links to the units' sites and up to the
// Department), the console gets the editor of the profile, functions and
// duties, leaders and home blocks, and the dashboard shows each site's
// Decree 42 checklist.
func wireAgency(_ context.Context, a *App, w *wiring) error {
	w.Site.Registry = a.Registry
	pages := &site.Console{Agency: &site.Agency{DB: a.DB}, Provisioner: NewProvisioner(a.Config, a.DB), Authz: a.Authz,
		Registry: a.Registry, Renderer: a.Renderer, Shell: consoleShellAny(w.Console), BaseDomain: a.Config.BaseDomain}
	w.Console.Extra = append(w.Console.Extra, pages.Routes)
	w.Console.Menu = append(w.Console.Menu, console.MenuEntry{Label: "Trang thông tin", Path: site.PathConsole, Perm: authz.TenantSettings},
		console.MenuEntry{Label: "Chuyên mục", Path: site.PathSections, Perm: authz.BoardManage})
	w.Console.Dashboard = append(w.Console.Dashboard, site.Checklists)
	return nil
}

// consoleShellAny adapts the console's layout data to site.ShellFunc.
func consoleShellAny(h *console.Handler) site.ShellFunc {
	return func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error) { return h.Shell(c, t, active) }
}
