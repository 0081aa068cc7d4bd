// Package app wires the platform together: it builds the one HTTP
// application (outer host dispatcher, public site app, admin app) and the
// background workers from an open database and the configuration. The
// binary and the HTTP tests both go through New, so tests exercise exactly
// what production serves.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/logging"
	"github.com/trangtin/trangtin/platform/metrics"
	"github.com/trangtin/trangtin/platform/pagecache"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/templates"
	"github.com/trangtin/trangtin/tenants/api"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/document"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/sanitize"
	"github.com/trangtin/trangtin/tenants/site"
)

// App is the assembled platform.
type App struct {
	Config config.Config
	DB     *bun.DB
	// Prepared is DB for the public pages' fixed reads, each prepared
	// once (db.Select).
	Prepared *db.Prepared
	Log      *slog.Logger
	Registry *tenancy.Registry
	Renderer *web.Renderer
	Authz    *authz.Enforcer
	Accounts *account.Service
	Audit    *audit.Log
	Posts    *post.Service
	Jobs     *jobs.Worker
	Metrics  *metrics.Metrics
	Media    *media.Service
	// Crosspost is set by wireCrosspost.
	Crosspost *crosspost.Service
	// Pages is the page cache (nil when TRANGTIN_PAGE_CACHE is 0);
	// Generations the content generations it checks.
	Pages       *pagecache.Cache
	Generations *pagecache.Generations
	HTTP        *fiber.App
	// Admin is the console and API app (for route-table tests).
	Admin *fiber.App
}

// Option adjusts how the platform is assembled (tests use cheap password
// hashing).
type Option func(*options)

type options struct {
	access      *logging.Access
	accountOpts []account.Option
	poolWait    time.Duration
	clientWatch time.Duration
}

// WithProbeTimings shortens how long /healthz waits for a pooled
// connection (default 5 s) and how often a running request looks whether
// its client left (default 250 ms), for tests.
func WithProbeTimings(poolWait, clientWatch time.Duration) Option {
	return func(x *options) { x.poolWait, x.clientWatch = poolWait, clientWatch }
}

// writeSlots is how many unsafe requests may run at once: under half the
// pool, so that stuck writers (each holding a connection, a few two) and
// the job worker (four at most) leave connections for readers.
func writeSlots(bdb *bun.DB) int {
	return max(bdb.DB.Stats().MaxOpenConnections/3, 2)
}

// WithAccessLog writes the access log through a (the process's buffered
// log); without it, through the logger New is given.
func WithAccessLog(a *logging.Access) Option {
	return func(x *options) { x.access = a }
}

// WithAccountOptions passes options to the account service.
func WithAccountOptions(o ...account.Option) Option {
	return func(x *options) { x.accountOpts = append(x.accountOpts, o...) }
}

// New assembles the platform on an open, migrated database.
func New(ctx context.Context, cfg config.Config, bdb *bun.DB, log *slog.Logger, opts ...Option) (*App, error) {
	o := options{poolWait: 5 * time.Second}
	for _, fn := range opts {
		fn(&o)
	}
	renderer, err := web.NewRenderer(templates.FS)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	reg := tenancy.NewRegistry(bdb, cfg.BaseDomain, log)
	if err := reg.Refresh(ctx); err != nil {
		return nil, fmt.Errorf("load tenants: %w", err)
	}
	az, err := authz.New(ctx, bdb, log)
	if err != nil {
		return nil, fmt.Errorf("load policy: %w", err)
	}
	az.SetScope(authz.Scope{Organisation: reg.Organisation, Closed: reg.Closed})
	secret := cfg.Secret
	if secret == "" {
		// Tests and library use without a data dir: sessions then last as
		// long as the process.
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		secret = hex.EncodeToString(b)
	}
	auditLog := audit.New(nil)
	accounts := account.NewService(bdb, secret, auditLog, nil, o.accountOpts...)
	a := &App{Config: cfg, DB: bdb, Prepared: db.NewPrepared(bdb), Log: log, Registry: reg, Renderer: renderer, Authz: az, Accounts: accounts, Audit: auditLog}
	a.Posts = &post.Service{DB: bdb, Sanitizer: sanitize.New([]string{"/media/"}), Audit: auditLog}
	a.Metrics = metrics.New(bdb.DB)
	a.Jobs = jobs.NewWorker(bdb, log, jobs.Options{OnResult: a.Metrics.JobResult})
	a.Metrics.QueueDepth(func(ctx context.Context) (map[string]int64, error) {
		st, err := jobs.Stats(ctx, bdb)
		out := make(map[string]int64, len(st))
		for k, v := range st {
			out[string(k)] = int64(v)
		}
		return out, err
	})
	a.Jobs.Handle(post.JobPublish, a.Posts.PublishJob)

	// The console's errors are pages in its layout, with its menu once
	// the console is built (layout) and a link back; an upload refused
	// for its length names the file limit (see consoleErrors).
	var layout web.ShellFunc
	errOpts := consoleErrors(a, cfg.AdminHost, &layout)
	errh := web.ErrorHandler(renderer, log, errOpts...)
	siteApp := web.NewApp(errh, 1<<20)
	siteApp.Use(a.Metrics.Middleware("site"))
	siteHandler := &site.Handler{DB: a.Prepared, Renderer: renderer}

	adminApp := web.NewApp(errh, int(cfg.MediaMaxBytes)+(1<<20))
	adminApp.Use(a.Metrics.Middleware("admin"), accounts.Authenticate(), accounts.RequireCSRF())
	description, err := api.LoadDescription()
	if err != nil {
		return nil, err
	}
	apiHandler := &api.Handler{DB: bdb, Authz: az, Registry: reg, Provisioner: NewProvisioner(cfg, bdb),
		Description: description, Renderer: renderer}
	apiHandler.DocsRoutes(adminApp)
	apiGroup := adminApp.Group("/api/v1")
	apiHandler.Routes(apiGroup)
	(&post.API{Service: a.Posts, Authz: az, Registry: reg, BaseDomain: cfg.BaseDomain, Extension: document.API{}}).Routes(apiGroup)
	boards := &board.Service{DB: bdb, Audit: auditLog, Authz: az, AccountParams: accounts.Params()}
	(&board.API{Service: boards, Authz: az, Registry: reg}).Routes(apiGroup)
	consoleHandler := &console.Handler{DB: bdb, Renderer: renderer, Accounts: accounts, Authz: az, Audit: auditLog, Registry: reg,
		Posts: a.Posts, Board: boards, MFARequired: cfg.MFARequired}
	layout = consoleHandler.Layout

	// Each feature wires itself in its own file (media.go, crosspost.go,
	// quota.go): services, job handlers, API and console routes, public
	// routes and menu entries.
	postPages := &post.Console{DB: bdb, Service: a.Posts, Authz: az, Registry: reg, Renderer: renderer,
		Shell: consoleHandler.Layout}
	consoleHandler.Extra = append(consoleHandler.Extra, postPages.Routes)
	w := &wiring{Site: siteHandler, API: apiGroup, Console: consoleHandler, Posts: postPages}
	for _, wire := range []func(context.Context, *App, *wiring) error{wireMedia, wireCrosspost, wireQuota, wireDocument, wireQuestion, wireConsoleWork, wireAgency} {
		if err := wire(ctx, a, w); err != nil {
			return nil, err
		}
	}
	siteHandler.Routes(siteApp)
	consoleHandler.Routes(adminApp)
	a.Admin = adminApp

	pageFront, pageCache := a.wirePageCache(ctx, cfg, bdb, log)
	siteHandler.Generation = a.Generations.Of
	a.HTTP = web.New(web.Options{
		Log: log, Access: o.access, Registry: reg, Renderer: renderer,
		AdminHost: cfg.AdminHost, TrustedProxies: cfg.TrustedProxies, AdminAllow: cfg.AdminAllow,
		Checks: []web.Check{
			{Name: "database", Fn: func(ctx context.Context) error { return db.Ready(ctx, bdb) }},
			{Name: "media", Fn: func(ctx context.Context) error {
				if a.Media == nil {
					return nil
				}
				return a.Media.Ready(ctx)
			}},
		},
		Live: []web.Check{{Name: "database_pool", Fn: func(ctx context.Context) error {
			return db.PoolAlive(ctx, bdb, o.poolWait)
		}}},
		Site: siteApp, Admin: adminApp,
		Static:    web.StaticHandler(templates.FS, renderer),
		BodyLimit: web.DefaultBodyLimit, UploadLimit: cfg.MediaMaxBytes + 1<<20, Uploads: media.UploadRoutes,
		RequestTimeout: cfg.RequestTimeout, ClientWatch: o.clientWatch, WriteSlots: writeSlots(bdb),
		Front: pageFront, PageCache: pageCache, Errors: errOpts,
	})
	return a, nil
}

// consoleErrors are the error handlers' options: console pages in the
// console's layout (its menu from *layout, for the tenant the address
// names when the person may view it), and an upload body refused before
// the media handler ran (its length over the upload routes' limit, which
// leaves room for the form's other fields) answered with the media
// library's own file limit.
func consoleErrors(a *App, adminHost string, layout *web.ShellFunc) []web.ErrorOption {
	shell := func(c *fiber.Ctx) (any, error) {
		if *layout == nil {
			return nil, nil
		}
		var current *tenancy.Tenant
		if rest, ok := strings.CutPrefix(c.Path(), "/t/"); ok {
			slug, _, _ := strings.Cut(rest, "/")
			if t, ok := a.Registry.BySlug(slug); ok && a.Authz.Allowed(web.Account(c).AccountID, t.ID, authz.TenantView) {
				current = t
			}
		}
		return (*layout)(c, current, "")
	}
	refused := func(c *fiber.Ctx, err error) error {
		if a.Media == nil || web.Host(c) != adminHost {
			return err
		}
		return a.Media.RefusedUpload(c, err)
	}
	return []web.ErrorOption{web.ConsoleErrors(adminHost, shell), web.MapErrors(refused)}
}

// RunWorkers runs the background loops until ctx ends.
func (a *App) RunWorkers(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(4)
	go func() { defer wg.Done(); a.Generations.Run(ctx, 500*time.Millisecond) }()
	go func() { defer wg.Done(); a.Jobs.Run(ctx) }()
	go func() { defer wg.Done(); a.Registry.Run(ctx, 500*time.Millisecond) }()
	go func() { defer wg.Done(); a.Authz.Run(ctx, 500*time.Millisecond) }()
	wg.Wait()
}
