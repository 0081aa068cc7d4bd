package app

import (
	"context"
	"github.com/trangtin/trangtin/platform/tenancy"
	"html/template"
	"net"
	"strings"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/quota"
)

// wireQuota attaches the quota feature: the report API, the Office's
// console pages, a contributor's own standing in the tenant menu, and the
// background jobs (reminders at TRANGTIN_REMINDER_SCHEDULE, the Monday
// digest, the snapshot of each month when it closes) on a.Jobs.
func wireQuota(ctx context.Context, a *App, w *wiring) error {
	h := &quota.Handler{DB: a.DB, Authz: a.Authz, Registry: a.Registry, Renderer: a.Renderer, Shell: w.Console.Shell}
	// The dashboard shows each contributor tenant's standing this week.
	w.Console.Dashboard = append(w.Console.Dashboard, func(ctx context.Context, ts []*tenancy.Tenant) ([]template.HTML, error) {
		cur, err := quota.DashboardStandings(ctx, a.DB, ts, time.Now())
		if err != nil {
			return nil, err
		}
		var out []template.HTML
		for _, c := range cur {
			h, err := quota.StandingHTML(c)
			if err != nil {
				return nil, err
			}
			out = append(out, h)
		}
		return out, nil
	})
	h.APIRoutes(w.API)
	w.Console.Extra = append(w.Console.Extra, h.ConsoleRoutes)
	w.Console.Menu = append(w.Console.Menu, console.MenuEntry{Label: "Chỉ tiêu tuần", Path: "/chi-tieu", Perm: authz.QuotaViewOwn})

	r := &quota.Reminders{DB: a.DB, Mailer: quota.NewMailer(a.Config), Schedule: a.Config.ReminderSchedule,
		ConsoleURL: consoleURL(a.Config.AdminHost, a.Config.Addr), Log: a.Log}
	r.Register(a.Jobs)
	// The recurring jobs are enqueued idempotently by every process; a
	// database that cannot take them yet (serve --no-migrate on an old
	// schema) must not stop the platform.
	if err := r.Start(ctx); err != nil {
		a.Log.Warn("quota jobs not scheduled", "err", err)
	}
	return nil
}

// consoleURL is the console's address for links in e-mails.
func consoleURL(adminHost, addr string) string {
	if adminHost == "localhost" || strings.HasSuffix(adminHost, ".localhost") {
		if _, port, err := net.SplitHostPort(addr); err == nil && port != "80" && port != "" {
			return "http://" + adminHost + ":" + port
		}
		return "http://" + adminHost
	}
	return "https://" + adminHost
}
