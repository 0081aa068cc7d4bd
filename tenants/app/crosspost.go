package app

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
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
		Shell: w.Console.Layout, BaseDomain: a.Config.BaseDomain}
	w.Console.Extra = append(w.Console.Extra, pages.Routes)
	w.Posts.SendOffered = svc.Offered
	w.Console.Menu = append(w.Console.Menu,
		console.MenuEntry{Label: "Hộp thư đến", Path: crosspost.PathInbox, Perm: authz.InboxView},
		console.MenuEntry{Label: "Lấy bài đơn vị", Path: crosspost.PathPull, Perm: authz.PullCreate},
		console.MenuEntry{Label: "Đã gửi lên Sở", Path: crosspost.PathSent, Perm: authz.PostSubmitParent},
		console.MenuEntry{Label: "Thỏa thuận bản quyền", Path: crosspost.PathAgreements, Perm: authz.TenantView},
	)
	w.Site.Extra = append(w.Site.Extra, svc.PublicRoutes(a.Config.BaseDomain))
	return nil
}
