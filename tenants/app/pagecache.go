package app

import (
	"context"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/pagecache"
	"github.com/trangtin/trangtin/platform/web"
)

// wirePageCache sets up the content generations (hooked on the database,
// so this process's own writes are seen by the next request) and the page
// cache; it returns the cache's front and middleware, nil when the cache is
// off.
func (a *App) wirePageCache(ctx context.Context, cfg config.Config, bdb *bun.DB, log *slog.Logger) (web.Front, fiber.Handler) {
	a.Generations = pagecache.NewGenerations(bdb, log)
	//lint:ignore SA1019 every user of this *bun.DB must see the hook; WithQueryHook would return a copy only new code uses
	bdb.AddQueryHook(a.Generations)
	if err := a.Generations.Refresh(ctx); err != nil {
		log.Warn("load content generations", "err", err)
	}
	a.Pages = pagecache.New(pagecache.Options{Budget: cfg.PageCache, Registry: a.Registry, Generations: a.Generations,
		AdminHost: cfg.AdminHost, SessionCookie: account.CookieName, Log: log})
	if a.Pages == nil {
		return nil, nil
	}
	a.Metrics.PageCache(a.Pages.Stats)
	return a.Pages.Front(), a.Pages.Handler()
}
