package media

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/sync/semaphore"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
)

// Defaults of Options.
const (
	// DefaultMaxPixels bounds width×height of an accepted image: 40
	// megapixels, more than any camera of the editors'. Decoding one takes
	// 160 MB; a "pixel flood" claiming 50,000×50,000 would take 10 GB.
	DefaultMaxPixels = 40_000_000
	// DefaultMaxBytes is the largest upload when Options.MaxBytes is 0.
	DefaultMaxBytes = 20 << 20
)

// DefaultWidths are the widths of the renditions of an image.
func DefaultWidths() []int { return []int{320, 640, 1280} }

// Options tune a Service. Zero values take the defaults noted.
type Options struct {
	// MaxBytes is the largest accepted file (TRANGTIN_MEDIA_MAX_SIZE;
	// default DefaultMaxBytes).
	MaxBytes int64
	// Quota is the storage of one tenant's library in bytes
	// (TRANGTIN_MEDIA_QUOTA); 0 means unlimited.
	Quota int64
	// MaxPixels bounds width×height of images (default DefaultMaxPixels).
	MaxPixels int64
	// Widths are the rendition widths (default DefaultWidths).
	Widths []int
	// TempDir holds uploads while they are checked (default os.TempDir()).
	TempDir string
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
	// Notify wakes the job worker after a job was enqueued (optional).
	Notify func()
	// DecodeBudget bounds the pixels of the images being made into
	// renditions at once in this process (default MaxPixels: one image of
	// the largest size, or several smaller ones). A decoded pixel takes 4
	// bytes, and more while it is resized; images over the budget wait
	// their turn instead of multiplying the memory.
	DecodeBudget int64
}

// Service is the media library of every tenant: uploads, renditions,
// serving, deletion and the reconciler. Every method takes the tenant id
// and never touches another tenant's rows or keys.
type Service struct {
	db    *bun.DB
	store blob.Store
	log   *slog.Logger
	opts  Options
	// pixels is the budget of Options.DecodeBudget: an image holds its
	// width×height from before its decode until its renditions are stored.
	pixels *semaphore.Weighted
}

// New returns a Service over the database and the object store.
func New(bdb *bun.DB, store blob.Store, log *slog.Logger, o Options) *Service {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if len(o.Widths) == 0 {
		o.Widths = DefaultWidths()
	}
	if o.TempDir == "" {
		o.TempDir = os.TempDir()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	if o.DecodeBudget <= 0 {
		o.DecodeBudget = o.MaxPixels
	}
	return &Service{db: bdb, store: store, log: log, opts: o, pixels: semaphore.NewWeighted(o.DecodeBudget)}
}

// Store is the object store the service writes to.
func (s *Service) Store() blob.Store { return s.store }

// MaxBytes is the largest accepted upload.
func (s *Service) MaxBytes() int64 { return s.opts.MaxBytes }

// Ready reports whether the object store answers: nil, or an
// errs.KindUnavailable error (for /readyz).
func (s *Service) Ready(ctx context.Context) error { return s.store.Ready(ctx) }

// now is the service's clock in UTC, at the databases' precision.
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// lockTenant serialises, inside tx, the steps that decide whether an
// object is still referenced (commit of an upload, deletion, the
// reconciler) for one tenant. SQLite's transactions already take the one
// write lock up front; PostgreSQL takes a transaction-scoped advisory lock.
func lockTenant(ctx context.Context, tx bun.Tx, tenantID string) error {
	if !db.IsPostgres(tx) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", "media:"+tenantID); err != nil {
		return fmt.Errorf("lock media of tenant: %w", err)
	}
	return nil
}

// Job kinds of the media service.
const (
	// JobRenditions makes the renditions of one image.
	JobRenditions = "media.renditions"
	// JobReconcile compares the object store with the media rows.
	JobReconcile = "media.reconcile"
)

// Register attaches the service's job handlers to a worker.
func (s *Service) Register(w *jobs.Worker) {
	w.Handle(JobRenditions, s.RenditionsJob)
	w.Handle(JobReconcile, s.ReconcileJob)
}
