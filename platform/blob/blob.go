// Package blob stores media objects (uploads and their renditions) behind one
// small interface with two implementations: Disk, a directory on the local
// file system for the embedded default, and S3, an S3-compatible object store
// (MinIO in production) reached through minio-go.
//
// Both implementations behave the same way, which a shared conformance suite
// checks against each of them:
//
//   - every method validates its key first (see ValidKey) and refuses bad
//     keys with an errs.KindInvalid error before touching storage;
//   - Put streams: it never holds a whole object in memory, it stores exactly
//     size bytes or nothing (a reader that fails midway, or that yields more or
//     fewer bytes than declared, leaves no object behind), and an object is
//     visible to Stat, Open and List only once it is complete;
//   - a missing key is reported with an error for which IsNotFound is true
//     (errs.KindNotFound, code "media_not_found");
//   - an unreachable store is reported with an error for which IsUnavailable
//     is true (errs.KindUnavailable, code "media_store_unavailable"), which the
//     web layer answers with 503; the same Store works again once the storage
//     is back, without being recreated.
//
// Keys carry the tenant and the content hash (see Key), so an object never
// changes once written and may be cached for a long time.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"sync"
	"time"

	"github.com/trangtin/trangtin/platform/errs"
)

// Store keeps objects under keys. Implementations are safe for concurrent use.
type Store interface {
	// Put stores exactly size bytes read from r under key with the given
	// content type (empty means application/octet-stream), replacing any
	// object already there. It streams r without buffering it whole. If r
	// fails, or yields more or fewer than size bytes, Put returns an error and
	// no object is left under key (an object already there stays untouched on
	// Disk; on S3 it is replaced only by a complete upload). Put does not read
	// from r after it returns.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error)
	// Open returns the object for reading; it can Seek, so that HTTP range
	// requests work (http.ServeContent). The caller must Close it. For S3 the
	// object reads through ctx: use it before ctx ends.
	Open(ctx context.Context, key string) (Object, error)
	// Stat describes the object under key.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object under key; deleting a missing key is not an
	// error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every object whose key starts with prefix (an empty
	// prefix lists everything), in no promised order. Listed Infos carry Key,
	// Size, ETag and ModTime but not ContentType (use Stat for it). An error
	// from fn stops the listing and is returned as it is.
	List(ctx context.Context, prefix string, fn func(Info) error) error
	// Ready reports whether the store answers; it returns an
	// errs.KindUnavailable error when it does not. It is quick enough for a
	// readiness probe.
	Ready(ctx context.Context) error
}

// Info describes a stored object.
type Info struct {
	// Key is the object's key.
	Key string
	// Size is the object's length in bytes.
	Size int64
	// ContentType is the media type given to Put.
	ContentType string
	// ETag identifies the content: the hex MD5 of the bytes on Disk and for a
	// single-part S3 upload (every upload up to 5 GiB).
	ETag string
	// ModTime is when the object was written.
	ModTime time.Time
}

// Object is an open stored object: readable, seekable (for range requests)
// and described by Info.
type Object interface {
	io.ReadSeekCloser
	// Info describes the object as it was when opened.
	Info() Info
}

// DefaultContentType is stored when Put is given an empty content type.
const DefaultContentType = "application/octet-stream"

// maxContentTypeLen bounds a stored content type.
const maxContentTypeLen = 255

var (
	// ErrNotFound is wrapped by every error about a missing key; test with
	// IsNotFound or errors.Is.
	ErrNotFound = errs.NotFound("media_not_found", "Không tìm thấy tệp")
	// ErrInvalidKey is wrapped by every error about a refused key.
	ErrInvalidKey = errs.Invalid("key", "media_key_invalid", "Tên tệp không hợp lệ")
	// ErrSizeMismatch is wrapped when an upload yields more or fewer bytes
	// than declared, or declares a negative size.
	ErrSizeMismatch = errs.Invalid("size", "media_size_mismatch", "Kích thước tệp không khớp với khai báo")
	// ErrInvalidContentType is wrapped when Put is given a malformed content
	// type.
	ErrInvalidContentType = errs.Invalid("content_type", "media_content_type_invalid", "Kiểu tệp không hợp lệ")
)

// IsNotFound reports whether err says the key does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsUnavailable reports whether err says the storage is unreachable (retry
// later).
func IsUnavailable(err error) bool { return errs.Is(err, errs.KindUnavailable) }

// notFound reports key as missing.
func notFound(op, key string) error {
	return fmt.Errorf("blob %s %q: %w", op, key, ErrNotFound)
}

// unavailable reports an outage met during op on key, keeping cause.
func unavailable(op, key string, cause error) error {
	return fmt.Errorf("blob %s %q: %w", op, key,
		errs.Unavailable("media_store_unavailable", "Kho lưu trữ tệp không phản hồi", cause))
}

// checkContentType validates ct and returns what is to be stored.
func checkContentType(ct string) (string, error) {
	if ct == "" {
		return DefaultContentType, nil
	}
	if len(ct) > maxContentTypeLen {
		return "", fmt.Errorf("%w: longer than %d bytes", ErrInvalidContentType, maxContentTypeLen)
	}
	for i := 0; i < len(ct); i++ {
		if c := ct[i]; c < 0x20 || c > 0x7e {
			return "", fmt.Errorf("%w: %q has a control or non-ASCII byte", ErrInvalidContentType, ct)
		}
	}
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		return "", fmt.Errorf("%w: %q: %w", ErrInvalidContentType, ct, err)
	}
	return ct, nil
}

// checkPut validates the arguments every Put shares.
func checkPut(key string, size int64, contentType string) (string, error) {
	if err := ValidKey(key); err != nil {
		return "", err
	}
	if size < 0 {
		return "", fmt.Errorf("blob put %q: size %d: %w", key, size, ErrSizeMismatch)
	}
	return checkContentType(contentType)
}

// exactReader passes exactly n bytes of r through and fails, instead of
// ending, when r holds fewer or more. The failure arrives on the Read that
// would have delivered the last bytes, so a consumer that stops reading once
// it has n bytes (an HTTP body with a Content-Length) still sees it. After
// stop, Read fails without touching r, so a store can promise not to read the
// caller's reader after Put returns.
type exactReader struct {
	mu      sync.Mutex
	ctx     context.Context
	r       io.Reader
	size    int64
	left    int64
	done    bool  // r was read to its end and held exactly size bytes
	srcErr  error // r (or ctx) failed
	sizeErr error // r held more or fewer bytes than size
	stopped bool
}

func newExactReader(ctx context.Context, r io.Reader, size int64) *exactReader {
	return &exactReader{ctx: ctx, r: r, size: size, left: size}
}

// errStopped is returned by Read after stop.
var errStopped = errors.New("blob: upload reader used after Put returned")

// Read implements io.Reader.
func (e *exactReader) Read(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.stopped:
		return 0, errStopped
	case e.srcErr != nil:
		return 0, e.srcErr
	case e.sizeErr != nil:
		return 0, e.sizeErr
	case e.done:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	}
	if err := e.ctx.Err(); err != nil {
		e.srcErr = err
		return 0, err
	}
	if e.left == 0 {
		// Only reached when size is 0: confirm r is empty.
		if err := e.confirmEnd(); err != nil {
			return 0, err
		}
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case e.left == 0:
		// The declared size has arrived: r must end here.
		if err != nil && err != io.EOF {
			e.srcErr = err
			return 0, err
		}
		if err == nil {
			if err := e.confirmEnd(); err != nil {
				return 0, err
			}
		}
		e.done = true
		return n, nil
	case err == io.EOF:
		e.sizeErr = fmt.Errorf("%w: got %d bytes, declared %d", ErrSizeMismatch, e.size-e.left, e.size)
		return 0, e.sizeErr
	case err != nil:
		e.srcErr = err
		return 0, err
	}
	return n, nil
}

// confirmEnd reads one more byte from r, expecting io.EOF. Called with mu
// held.
func (e *exactReader) confirmEnd() error {
	var one [1]byte
	for range 100 {
		n, err := e.r.Read(one[:])
		if n > 0 {
			e.sizeErr = fmt.Errorf("%w: more than the declared %d bytes", ErrSizeMismatch, e.size)
			return e.sizeErr
		}
		if err == io.EOF {
			e.done = true
			return nil
		}
		if err != nil {
			e.srcErr = err
			return err
		}
	}
	e.srcErr = io.ErrNoProgress
	return e.srcErr
}

// finish makes sure r was consumed and ended exactly at size (reading the
// end itself if the consumer did not), then stops the reader. It returns the
// failure of the source, if any, wrapped for op on key.
func (e *exactReader) finish(op, key string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.stopped && e.srcErr == nil && e.sizeErr == nil && !e.done && e.left == 0 {
		_ = e.confirmEnd()
	}
	e.stopped = true
	switch {
	case e.sizeErr != nil:
		return fmt.Errorf("blob %s %q: %w", op, key, e.sizeErr)
	case e.srcErr != nil:
		return fmt.Errorf("blob %s %q: reading the upload: %w", op, key, e.srcErr)
	case !e.done:
		return fmt.Errorf("blob %s %q: %w: upload not read to its end", op, key, ErrSizeMismatch)
	}
	return nil
}

// failed reports whether the source failed or had the wrong size; it stops
// the reader.
func (e *exactReader) failed(op, key string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
	switch {
	case e.sizeErr != nil:
		return fmt.Errorf("blob %s %q: %w", op, key, e.sizeErr)
	case e.srcErr != nil:
		return fmt.Errorf("blob %s %q: reading the upload: %w", op, key, e.srcErr)
	}
	return nil
}
