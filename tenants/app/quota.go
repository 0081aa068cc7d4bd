package app

import "context"

// wireQuota attaches the quota feature (filled in by its issue).
func wireQuota(ctx context.Context, a *App, w *wiring) error { return nil }
