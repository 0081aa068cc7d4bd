package media

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/config"
)

// OpenStore returns the media store the configuration selects: MinIO (or
// any S3) when TRANGTIN_S3_ENDPOINT is set, else the local-disk store under
// $TRANGTIN_DATA_DIR/media. An S3 server that does not answer at start-up
// does not stop the platform: the store connects on first use and keeps
// answering errs.KindUnavailable (503, and /readyz "media": "down") until
// the server is there.
func OpenStore(ctx context.Context, cfg config.Config) (blob.Store, error) {
	if !cfg.UsesS3() {
		d, err := blob.NewDisk(cfg.MediaDir())
		if err != nil {
			return nil, fmt.Errorf("media store: %w", err)
		}
		return d, nil
	}
	l := &lazyS3{opts: blob.S3Options{
		Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		Bucket: cfg.S3Bucket, Secure: cfg.S3Secure,
	}}
	if _, err := l.store(ctx); err != nil && !blob.IsUnavailable(err) {
		return nil, fmt.Errorf("media store: %w", err) // bad settings: stop start-up
	}
	return l, nil
}

// lazyS3 is an S3 store connected (bucket checked or created) on first
// successful use.
type lazyS3 struct {
	opts blob.S3Options
	mu   sync.Mutex
	s    *blob.S3
}

func (l *lazyS3) store(ctx context.Context) (*blob.S3, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.s != nil {
		return l.s, nil
	}
	s, err := blob.NewS3(ctx, l.opts)
	if err != nil {
		return nil, err
	}
	l.s = s
	return s, nil
}

func (l *lazyS3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (blob.Info, error) {
	s, err := l.store(ctx)
	if err != nil {
		return blob.Info{}, err
	}
	return s.Put(ctx, key, r, size, contentType)
}

func (l *lazyS3) Open(ctx context.Context, key string) (blob.Object, error) {
	s, err := l.store(ctx)
	if err != nil {
		return nil, err
	}
	return s.Open(ctx, key)
}

func (l *lazyS3) Stat(ctx context.Context, key string) (blob.Info, error) {
	s, err := l.store(ctx)
	if err != nil {
		return blob.Info{}, err
	}
	return s.Stat(ctx, key)
}

func (l *lazyS3) Delete(ctx context.Context, key string) error {
	s, err := l.store(ctx)
	if err != nil {
		return err
	}
	return s.Delete(ctx, key)
}

func (l *lazyS3) List(ctx context.Context, prefix string, fn func(blob.Info) error) error {
	s, err := l.store(ctx)
	if err != nil {
		return err
	}
	return s.List(ctx, prefix, fn)
}

func (l *lazyS3) Ready(ctx context.Context) error {
	s, err := l.store(ctx)
	if err != nil {
		return err
	}
	return s.Ready(ctx)
}
