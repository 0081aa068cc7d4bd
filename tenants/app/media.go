package app

import "context"

// wireMedia attaches the media feature (filled in by its issue).
func wireMedia(ctx context.Context, a *App, w *wiring) error { return nil }
