package app

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/question"
	"github.com/trangtin/trangtin/tenants/quota"
)

// wireQuestion attaches citizens' questions: /hoi-dap on the public sites,
// the board's queue in the console and the API, and the answer e-mailed
// through the SMTP settings when they are set.
func wireQuestion(_ context.Context, a *App, w *wiring) error {
	svc := &question.Service{DB: a.DB, Audit: a.Audit, Key: []byte(a.Config.Secret)}
	if m := quota.NewMailer(a.Config); m != nil {
		svc.Send = func(ctx context.Context, msg question.Message) error {
			return m.Send(ctx, quota.Message{To: msg.To, ToName: msg.ToName, Subject: msg.Subject, Body: msg.Body})
		}
	}
	w.Site.Extra = append(w.Site.Extra, (&question.Public{Service: svc, Renderer: a.Renderer,
		Frame: func(c *fiber.Ctx, t *tenancy.Tenant) (question.Frame, error) {
			p, err := w.Site.Frame(c, t)
			if err != nil {
				return question.Frame{}, err
			}
			return question.Frame{Tenant: p.Tenant, Nav: p.Nav}, nil
		}}).Routes)
	b := &question.Board{Service: svc, Authz: a.Authz, Registry: a.Registry, Renderer: a.Renderer,
		Shell: func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error) {
			return w.Console.Shell(c, t, active)
		}}
	b.APIRoutes(w.API)
	w.Console.Extra = append(w.Console.Extra, b.ConsoleRoutes)
	w.Console.Menu = append(w.Console.Menu, console.MenuEntry{Label: "Hỏi đáp", Path: question.ConsolePath, Perm: authz.PostReview})
	return nil
}
