package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/trangtin/trangtin/platform/errs"
)

// s3Env returns the test server's options, skipping the test when
// TRANGTIN_TEST_S3_ENDPOINT is unset, or failing it in CI.
func s3Env(t *testing.T) S3Options {
	t.Helper()
	endpoint := os.Getenv("TRANGTIN_TEST_S3_ENDPOINT")
	if endpoint == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TRANGTIN_TEST_S3_ENDPOINT is unset: CI must run the S3 tests against MinIO (scripts/minio.sh start)")
		}
		t.Skip("TRANGTIN_TEST_S3_ENDPOINT is unset; start MinIO with scripts/minio.sh start && eval \"$(scripts/minio.sh env)\"")
	}
	return S3Options{
		Endpoint:  endpoint,
		AccessKey: os.Getenv("TRANGTIN_TEST_S3_ACCESS_KEY"),
		SecretKey: os.Getenv("TRANGTIN_TEST_S3_SECRET_KEY"),
	}
}

// randomBucket returns a fresh bucket name.
func randomBucket() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "trangtin-test-" + hex.EncodeToString(b[:])
}

// newTestS3 creates a store on a fresh bucket and removes the bucket, with
// its objects, when the test ends.
func newTestS3(t *testing.T, opts S3Options) *S3 {
	t.Helper()
	opts.Bucket = randomBucket()
	s, err := NewS3(t.Context(), opts)
	if err != nil {
		t.Fatalf("NewS3(%s): %v", opts.Endpoint, err)
	}
	t.Cleanup(func() { removeBucket(t, s) })
	return s
}

func removeBucket(t *testing.T, s *S3) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var keys []string
	err := s.List(ctx, "", func(in Info) error { keys = append(keys, in.Key); return nil })
	for _, k := range keys {
		if err := s.Delete(ctx, k); err != nil {
			t.Errorf("cleanup: %v", err)
		}
	}
	if err == nil {
		err = s.client.RemoveBucket(ctx, s.bucket)
	}
	if err != nil {
		t.Errorf("cleanup: removing bucket %s: %v", s.bucket, err)
	}
}

func TestS3Conformance(t *testing.T) {
	opts := s3Env(t)
	testStore(t, func(t *testing.T) fixture { return fixture{store: newTestS3(t, opts)} })
}

// Replicas starting together all create the bucket; none of them fails.
func TestS3ConcurrentBucketCreation(t *testing.T) {
	opts := s3Env(t)
	opts.Bucket = randomBucket()
	var wg sync.WaitGroup
	stores := make([]*S3, 8)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = NewS3(t.Context(), opts) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	defer removeBucket(t, stores[0])
	put(t, stores[3], "t/x/a.txt", []byte("a"), "text/plain")
	if _, err := stores[5].Stat(t.Context(), "t/x/a.txt"); err != nil {
		t.Fatal(err)
	}
}

func TestS3WrongCredentials(t *testing.T) {
	opts := s3Env(t)
	opts.SecretKey = "not-the-secret"
	opts.Bucket = randomBucket()
	if _, err := NewS3(t.Context(), opts); !IsUnavailable(err) {
		t.Fatalf("NewS3 with a wrong secret = %v, want unavailable", err)
	}
}

func TestNewS3RefusesBadOptions(t *testing.T) {
	for _, o := range []S3Options{
		{Endpoint: "", Bucket: "trangtin"},
		{Endpoint: "127.0.0.1:9000", Bucket: ""},
		{Endpoint: "127.0.0.1:9000", Bucket: "Bad_Bucket"},
	} {
		if _, err := newS3(o); err == nil {
			t.Errorf("newS3(%+v) worked", o)
		}
	}
	s, err := newS3(S3Options{Endpoint: "https://s3.example.com/", Bucket: "trangtin"})
	if err != nil || s.client.EndpointURL().Scheme != "https" || s.client.EndpointURL().Host != "s3.example.com" {
		t.Fatalf("https endpoint: %v", err)
	}
}

// A store whose server does not answer reports an outage, quickly, from
// every method.
func TestS3Unreachable(t *testing.T) {
	opts := S3Options{Endpoint: "127.0.0.1:1", AccessKey: "trangtin", SecretKey: "trangtin-secret", Bucket: "trangtin"}
	s, err := newS3(opts)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 4 * time.Second
	check := func(what string, call func(ctx context.Context) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), limit)
		defer cancel()
		start := time.Now()
		err := call(ctx)
		took := time.Since(start)
		if !IsUnavailable(err) {
			t.Fatalf("%s = %v, want unavailable", what, err)
		}
		if e := errs.As(err); e == nil || e.Code != "media_store_unavailable" || e.Message != "Kho lưu trữ tệp không phản hồi" {
			t.Fatalf("%s error = %#v", what, e)
		}
		if took > limit {
			t.Fatalf("%s took %v", what, took)
		}
		t.Logf("%s: unavailable after %v: %v", what, took.Round(time.Millisecond), err)
	}
	check("Ready", s.Ready)
	check("Put", func(ctx context.Context) error {
		_, err := s.Put(ctx, "t/x/a.txt", strings.NewReader("hello"), 5, "text/plain")
		return err
	})
	check("Stat", func(ctx context.Context) error { _, err := s.Stat(ctx, "t/x/a.txt"); return err })
	check("Open", func(ctx context.Context) error { _, err := s.Open(ctx, "t/x/a.txt"); return err })
	check("Delete", func(ctx context.Context) error { return s.Delete(ctx, "t/x/a.txt") })
	check("List", func(ctx context.Context) error { return s.List(ctx, "t/", func(Info) error { return nil }) })
	check("NewS3", func(ctx context.Context) error { _, err := NewS3(ctx, opts); return err })

	// A caller that gives up is not an outage.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.Delete(ctx, "t/x/a.txt"); !errors.Is(err, context.Canceled) || IsUnavailable(err) {
		t.Fatalf("Delete with a canceled context = %v", err)
	}
}

func TestS3ErrorClassification(t *testing.T) {
	s, err := newS3(S3Options{Endpoint: "127.0.0.1:1", Bucket: "trangtin"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		err             error
		notFound, outag bool
	}{
		{minio.ErrorResponse{Code: "NoSuchKey", StatusCode: 404}, true, false},
		{minio.ErrorResponse{StatusCode: 404}, true, false},
		{minio.ErrorResponse{Code: "NoSuchBucket", StatusCode: 404}, false, true},
		{minio.ErrorResponse{Code: "XMinioServerNotInitialized", StatusCode: 503}, false, true},
		{minio.ErrorResponse{Code: "Whatever", StatusCode: 502}, false, true},
		{minio.ErrorResponse{Code: "AccessDenied", StatusCode: 403}, false, true},
		{minio.ErrorResponse{Code: "EntityTooLarge", StatusCode: 400}, false, false},
		{context.DeadlineExceeded, false, true},
		{context.Canceled, false, false},
		{errors.New("something else"), false, false},
	}
	for _, c := range cases {
		got := s.fail("stat", "t/x/a", c.err)
		if IsNotFound(got) != c.notFound || IsUnavailable(got) != c.outag {
			t.Errorf("fail(%v) = %v", c.err, got)
		}
	}
}
