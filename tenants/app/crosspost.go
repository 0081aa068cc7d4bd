package app

import (
	"context"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/crosspost"
)

// wireCrosspost attaches cross-posting: the service follows every item
// write (AfterWrite) so edits and withdrawals of originals reach their
// copies in the same transaction; the API (send, inbox, decisions, pull,
// agreements, source diff and update), the console pages and menu entries,
// and the public link from a copy to its original. A copy gets its own
// copies of the pictures (media.Service.CopyInto), never hot links.
func wireCrosspost(_ context.Context, a *App, w *wiring) error {
	svc := &crosspost.Service{DB: a.DB, Posts: a.Posts, Registry: a.Registry}
	if a.Media != nil {
		svc.CopyMedia = func(ctx context.Context, tx bun.Tx, from, to, body string, featured *string) (string, *string, error) {
			return a.Media.CopyInto(ctx, tx, from, to, body, featured)
		}
	}
	a.Crosspost = svc
	a.Posts.AfterWrite = append(a.Posts.AfterWrite, svc.AfterWrite)
	(&crosspost.API{Service: svc, Authz: a.Authz, Registry: a.Registry, BaseDomain: a.Config.BaseDomain}).Routes(w.API)
	pages := &crosspost.Console{Service: svc, Authz: a.Authz, Registry: a.Registry, Renderer: a.Renderer,
		Shell: consoleShell(w.Console), BaseDomain: a.Config.BaseDomain}
	w.Console.Extra = append(w.Console.Extra, pages.Routes)
	w.Console.SendOffered = svc.Offered
	w.Console.Menu = append(w.Console.Menu,
		console.MenuEntry{Label: "Hộp thư đến", Path: crosspost.PathInbox, Perm: authz.InboxView},
		console.MenuEntry{Label: "Lấy bài đơn vị", Path: crosspost.PathPull, Perm: authz.PullCreate},
		console.MenuEntry{Label: "Đã gửi lên Sở", Path: crosspost.PathSent, Perm: authz.PostSubmitParent},
		console.MenuEntry{Label: "Thỏa thuận bản quyền", Path: crosspost.PathAgreements, Perm: authz.TenantView},
	)
	w.Site.Extra = append(w.Site.Extra, svc.PublicRoutes(a.Config.BaseDomain))
	return nil
}

// consoleShell builds the console layout's data for the crosspost pages,
// as tenants/console builds it for its own (account, tenant switcher, the
// tenant's menu, the one-time message). It repeats the console's base
// menu because the console does not export its builder; if it comes to,
// use that instead.
func consoleShell(h *console.Handler) crosspost.ShellFunc {
	base := []console.MenuEntry{
		{Label: "Tổng quan", Path: "", Perm: authz.TenantView},
		{Label: "Bài viết", Path: "/bai-viet", Perm: authz.TenantView},
		{Label: "Chờ duyệt", Path: "/cho-duyet", Perm: authz.PostReview},
		{Label: "Ban Biên tập", Path: "/ban-bien-tap", Perm: authz.BoardView},
		{Label: "Phân quyền", Path: "/vai-tro", Perm: authz.BoardManage},
		{Label: "Nhật ký", Path: "/nhat-ky", Perm: authz.AuditView},
	}
	return func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error) {
		p := web.Account(c)
		if p == nil {
			return &console.Shell{}, nil
		}
		acc, err := account.ByID(c.UserContext(), h.DB, p.AccountID)
		if err != nil {
			return nil, err
		}
		sh := &console.Shell{Account: acc, Current: t.Slug, Flash: takeFlash(c)}
		for _, x := range h.Registry.All() {
			if h.Authz.Member(p.AccountID, x.ID) {
				sh.Tenants = append(sh.Tenants, console.TenantLink{Slug: x.Slug, Name: x.Name})
			}
		}
		for _, m := range append(append([]console.MenuEntry(nil), base...), h.Menu...) {
			if h.Authz.Allowed(p.AccountID, t.ID, m.Perm) {
				sh.Menu = append(sh.Menu, console.MenuItem{Label: m.Label, URL: "/t/" + t.Slug + m.Path, Active: m.Path == active})
			}
		}
		return sh, nil
	}
}

// takeFlash reads and clears the console's one-time message.
func takeFlash(c *fiber.Ctx) *console.Flash {
	v := c.Cookies(crosspost.FlashCookie)
	if v == "" {
		return nil
	}
	c.Cookie(&fiber.Cookie{Name: crosspost.FlashCookie, Value: "", Path: "/", MaxAge: -1, HTTPOnly: true})
	raw, err := url.QueryUnescape(v)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(raw, "|")
	if !ok || (kind != "ok" && kind != "error") || len(text) > 500 {
		return nil
	}
	return &console.Flash{Kind: kind, Text: text}
}
