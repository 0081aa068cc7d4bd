package app

import (
	"context"
	"fmt"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// wireMedia attaches the media library: the service over the configured
// store, its jobs (renditions, the hourly reconciler), the API, the
// console library and menu entry, the cover pictures of the item pages
// (post.Console.Picture), and /media/ on the public sites.
func wireMedia(ctx context.Context, a *App, w *wiring) error {
	svc, err := NewMediaService(ctx, a)
	if err != nil {
		return err
	}
	a.Media = svc
	svc.Register(a.Jobs)
	if err := svc.ScheduleReconcile(ctx, time.Now()); err != nil {
		return err
	}
	(&media.API{Service: svc, Authz: a.Authz, Registry: a.Registry, BaseDomain: a.Config.BaseDomain}).Routes(w.API)
	con := &media.Console{Service: svc, Authz: a.Authz, Registry: a.Registry, Renderer: a.Renderer, BaseDomain: a.Config.BaseDomain}
	con.Shell = w.Console.Layout
	w.Console.Extra = append(w.Console.Extra, con.Routes)
	w.Console.Menu = append(w.Console.Menu, console.MenuEntry{Label: "Thư viện ảnh", Path: media.LibraryPath, Perm: authz.TenantView})
	w.Posts.Picture = func(ctx context.Context, t *tenancy.Tenant, mediaID string) (*post.PostCover, error) {
		m, err := media.Get(ctx, a.DB, t.ID, mediaID)
		if errs.Is(err, errs.KindNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &post.PostCover{ID: m.ID, Thumb: media.Thumb(t, m), Alt: m.Alt}, nil
	}
	w.Site.Extra = append(w.Site.Extra, svc.Routes)
	return nil
}

// NewMediaService builds a media service from the app's configuration,
// database and logger. Services built for the same app share the store
// (the same directory or bucket) and the database, so tests and commands
// may build their own.
func NewMediaService(ctx context.Context, a *App) (*media.Service, error) {
	store, err := media.OpenStore(ctx, a.Config)
	if err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return media.New(a.DB, store, a.Log, media.Options{
		MaxBytes: a.Config.MediaMaxBytes, Quota: a.Config.MediaQuota, Notify: a.Jobs.Notify,
	}), nil
}
