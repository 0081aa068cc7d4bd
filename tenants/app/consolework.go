package app

import (
	"context"
	"time"

	"github.com/trangtin/trangtin/tenants/crosspost"
)

// wireConsoleWork gives the console what /don-vi and the dashboard need
// from other features: the provisioner (the same calls as the command line
// and the API) and each tenant's last send.
func wireConsoleWork(_ context.Context, a *App, w *wiring) error {
	w.Console.Provisioner = NewProvisioner(a.Config, a.DB)
	w.Console.LastSent = func(ctx context.Context, ids []string) (map[string]time.Time, error) {
		return crosspost.LastSent(ctx, a.DB, ids)
	}
	return nil
}
