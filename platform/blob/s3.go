package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// S3Options configure an S3 store.
type S3Options struct {
	// Endpoint is host:port of the server (a leading http:// or https:// is
	// accepted; https:// implies Secure).
	Endpoint string
	// AccessKey and SecretKey are the credentials.
	AccessKey string
	SecretKey string
	// Bucket holds the objects; NewS3 creates it when missing.
	Bucket string
	// Secure selects TLS.
	Secure bool
}

// ReadyTimeout bounds Ready when its context has no earlier deadline.
const ReadyTimeout = 3 * time.Second

// maxRetries is how many times minio-go tries a request: few, so that an
// outage is reported (as 503) within about a second rather than after ten
// backed-off attempts.
const maxRetries = 3

// maxSinglePut is the largest object sent in one PUT request. Up to it Put
// streams the reader straight into the request body, holding no part of the
// object in memory; beyond it (S3 refuses bigger single PUTs) it uploads
// parts of partSize bytes, holding one part at a time.
const (
	maxSinglePut = 5 << 30
	partSize     = 16 << 20
)

// S3 is a Store in a bucket of an S3-compatible server (MinIO), reached with
// path-style addressing. It holds a connection pool, not a connection: when
// the server goes away its methods fail with an errs.KindUnavailable error,
// and once it is back they work again.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 connects to the server and creates the bucket if it is missing
// (tolerating another replica creating it at the same time). An unreachable
// server gives an errs.KindUnavailable error.
func NewS3(ctx context.Context, opts S3Options) (*S3, error) {
	s, err := newS3(opts)
	if err != nil {
		return nil, err
	}
	// A MinIO that has just started answers its health probe before its
	// object layer is ready ("Server not initialized yet"): keep trying
	// while it says so, for as long as StartupWait allows. A server that
	// cannot be reached is reported at once.
	deadline := time.Now().Add(StartupWait)
	for {
		err := s.ensureBucket(ctx)
		if err == nil {
			return s, nil
		}
		var resp minio.ErrorResponse
		starting := errors.As(err, &resp) && resp.Code == "XMinioServerNotInitialized"
		if !starting || time.Now().After(deadline) {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// StartupWait is how long NewS3 waits for a store that is still starting.
const StartupWait = 20 * time.Second

// newS3 builds the client without contacting the server.
func newS3(opts S3Options) (*S3, error) {
	endpoint, secure := opts.Endpoint, opts.Secure
	switch {
	case strings.HasPrefix(endpoint, "https://"):
		endpoint, secure = strings.TrimPrefix(endpoint, "https://"), true
	case strings.HasPrefix(endpoint, "http://"):
		endpoint = strings.TrimPrefix(endpoint, "http://")
	}
	endpoint = strings.TrimSuffix(endpoint, "/")
	if endpoint == "" {
		return nil, errors.New("blob: empty S3 endpoint")
	}
	if err := s3utils.CheckValidBucketNameStrict(opts.Bucket); err != nil {
		return nil, fmt.Errorf("blob: S3 bucket %q: %w", opts.Bucket, err)
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:        credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, ""),
		Secure:       secure,
		BucketLookup: minio.BucketLookupPath,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("blob: S3 endpoint %q: %w", opts.Endpoint, err)
	}
	return &S3{client: client, bucket: opts.Bucket}, nil
}

// Bucket returns the name of the store's bucket.
func (s *S3) Bucket() string { return s.bucket }

// ensureBucket creates the bucket unless it exists.
func (s *S3) ensureBucket(ctx context.Context) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("create bucket", s.bucket, err)
	}
	if exists {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{})
	if err == nil {
		return nil
	}
	var resp minio.ErrorResponse
	if errors.As(err, &resp) && resp.Code == "BucketAlreadyOwnedByYou" {
		return nil // created meanwhile by another replica
	}
	// BucketAlreadyExists may mean someone else's bucket: accept it only if
	// it is reachable with these credentials.
	if exists, err2 := s.client.BucketExists(ctx, s.bucket); err2 == nil && exists {
		return nil
	}
	return s.fail("create bucket", s.bucket, err)
}

// fail classifies a minio-go error met during op on key: a missing object is
// ErrNotFound; a server that cannot be reached, is starting, is overloaded or
// refuses the store's credentials or bucket is an outage
// (errs.KindUnavailable); anything else is returned wrapped.
func (s *S3) fail(op, key string, err error) error {
	var resp minio.ErrorResponse
	if errors.As(err, &resp) {
		switch resp.Code {
		case "NoSuchKey", "NoSuchObject":
			return notFound(op, key)
		case "NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
			"XMinioServerNotInitialized", "XMinioStorageFull", "ServiceUnavailable",
			"SlowDown", "RequestTimeout", "InternalError":
			return unavailable(op, key, err)
		}
		if resp.StatusCode >= 500 {
			return unavailable(op, key, err)
		}
		if resp.StatusCode == 404 && resp.Code == "" && key != "" {
			return notFound(op, key) // a HEAD answer carries no body, hence no code
		}
		return fmt.Errorf("blob %s %q: %w", op, key, err)
	}
	if errors.Is(err, context.Canceled) {
		// The caller went away; nothing to report as an outage.
		return fmt.Errorf("blob %s %q: %w", op, key, err)
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) {
		return unavailable(op, key, err)
	}
	return fmt.Errorf("blob %s %q: %w", op, key, err)
}

// Put implements Store. Objects up to 5 GiB go in one streamed PUT request,
// so a failed upload leaves nothing; bigger ones go in parts, and minio-go
// aborts the upload on failure.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	ct, err := checkPut(key, size, contentType)
	if err != nil {
		return Info{}, err
	}
	src := newExactReader(ctx, r, size)
	if size == 0 {
		// Nothing would read r: make sure it is empty before storing.
		if _, err := src.Read(make([]byte, 1)); err != io.EOF {
			return Info{}, src.finish("put", key)
		}
	}
	up, err := s.client.PutObject(ctx, s.bucket, key, src, size, minio.PutObjectOptions{
		ContentType:      ct,
		DisableMultipart: size <= maxSinglePut,
		PartSize:         partSize,
	})
	if err != nil {
		if ferr := src.failed("put", key); ferr != nil {
			return Info{}, ferr
		}
		return Info{}, s.fail("put", key, err)
	}
	if ferr := src.finish("put", key); ferr != nil {
		// Cannot happen with an HTTP body of known length (the last bytes
		// arrive with the size check), but never keep a wrong object.
		_ = s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, key, minio.RemoveObjectOptions{})
		return Info{}, ferr
	}
	mod := up.LastModified
	if mod.IsZero() {
		mod = time.Now()
	}
	return Info{Key: key, Size: up.Size, ContentType: ct, ETag: up.ETag, ModTime: mod}, nil
}

// info converts minio's description of an object.
func info(oi minio.ObjectInfo) Info {
	return Info{Key: oi.Key, Size: oi.Size, ContentType: oi.ContentType, ETag: oi.ETag, ModTime: oi.LastModified}
}

// Stat implements Store.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, s.fail("stat", key, err)
	}
	return info(oi), nil
}

// s3Object is an open S3 object; reads are range requests made by minio-go
// as the caller seeks.
type s3Object struct {
	s    *S3
	obj  *minio.Object
	info Info
}

func (o *s3Object) Read(p []byte) (int, error) {
	n, err := o.obj.Read(p)
	if err != nil && err != io.EOF {
		err = o.s.fail("read", o.info.Key, err)
	}
	return n, err
}

func (o *s3Object) ReadAt(p []byte, off int64) (int, error) {
	n, err := o.obj.ReadAt(p, off)
	if err != nil && err != io.EOF {
		err = o.s.fail("read", o.info.Key, err)
	}
	return n, err
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	return o.obj.Seek(offset, whence)
}

func (o *s3Object) Close() error { return o.obj.Close() }

func (o *s3Object) Info() Info { return o.info }

// Open implements Store. The first request (made by Stat) tells a missing key
// before Open returns.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail("open", key, err)
	}
	oi, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		return nil, s.fail("open", key, err)
	}
	in := info(oi)
	in.Key = key
	return &s3Object{s: s, obj: obj, info: in}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil {
		if err := s.fail("delete", key, err); !IsNotFound(err) {
			return err
		}
	}
	return nil
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := validPrefix(prefix); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops minio-go's listing goroutine when fn stops early
	for oi := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if oi.Err != nil {
			return s.fail("list", prefix, oi.Err)
		}
		in := info(oi)
		in.ContentType = ""
		if err := fn(in); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Ready implements Store: the bucket exists and answers within ReadyTimeout.
func (s *S3) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		if err := s.fail("ready", s.bucket, err); IsUnavailable(err) {
			return err
		}
		return unavailable("ready", s.bucket, err)
	}
	if !exists {
		return unavailable("ready", s.bucket, fmt.Errorf("bucket %s does not exist", s.bucket))
	}
	return nil
}

// Compile-time checks.
var (
	_ Store = (*Disk)(nil)
	_ Store = (*S3)(nil)
)
