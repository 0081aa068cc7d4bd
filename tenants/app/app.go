// Package app wires the platform together: it builds the one HTTP
// application (outer host dispatcher, public site app, admin app) and the
// background workers from an open database and the configuration. The
// binary and the HTTP tests both go through New, so tests exercise exactly
// what production serves.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/site"
)

// App is the assembled platform.
type App struct {
	Config   config.Config
	DB       *bun.DB
	Log      *slog.Logger
	Registry *tenancy.Registry
	Renderer *web.Renderer
	HTTP     *fiber.App
}

// New assembles the platform on an open, migrated database.
func New(ctx context.Context, cfg config.Config, bdb *bun.DB, log *slog.Logger) (*App, error) {
	renderer, err := web.NewRenderer(templates.FS)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	reg := tenancy.NewRegistry(bdb, cfg.BaseDomain, log)
	if err := reg.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("load tenants: %w", err)
	}
	a := &App{Config: cfg, DB: bdb, Log: log, Registry: reg, Renderer: renderer}

	errh := web.ErrorHandler(renderer, log)
	siteApp := web.NewApp(errh, 1<<20)
	(&site.Handler{DB: bdb, Renderer: renderer}).Routes(siteApp)

	adminApp := web.NewApp(errh, int(cfg.MediaMaxBytes)+(1<<20))
	adminApp.Get("/", func(c *fiber.Ctx) error {
		return renderer.Render(c, fiber.StatusOK, "console/index", struct {
			Shell         any
			Memberships   []struct{}
			PlatformRoles []string
		}{})
	})

	a.HTTP = web.New(web.Options{
		Log: log, Registry: reg, Renderer: renderer,
		AdminHost: cfg.AdminHost, TrustedProxies: cfg.TrustedProxies, AdminAllow: cfg.AdminAllow,
		Checks: []web.Check{
			{Name: "database", Fn: func(ctx context.Context) error { return db.Ready(ctx, bdb) }},
			{Name: "media", Fn: mediaCheck(cfg)},
		},
		Site: siteApp, Admin: adminApp,
		Static: web.StaticHandler(templates.FS, renderer),
	})
	return a, nil
}

// mediaCheck reports whether the media store can be reached. Until object
// storage is wired, the embedded default's media folder must exist or be
// creatable.
func mediaCheck(cfg config.Config) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if cfg.UsesS3() {
			return nil
		}
		return os.MkdirAll(cfg.MediaDir(), 0o750)
	}
}

// RunWorkers runs the background loops until ctx ends.
func (a *App) RunWorkers(ctx context.Context) {
	a.Registry.Run(ctx, 500*time.Millisecond)
}
