package blob

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/errs"
)

// fixture is one fresh, empty store under test.
type fixture struct {
	store Store
	// leftovers lists files the store left behind besides its objects
	// (temporary files); nil when the storage cannot be inspected.
	leftovers func(t *testing.T) []string
}

// testStore runs the conformance suite every Store must pass. newFixture
// returns a fresh, empty store for each case.
func testStore(t *testing.T, newFixture func(t *testing.T) fixture) {
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, newFixture(t)) })
	t.Run("Overwrite", func(t *testing.T) { testOverwrite(t, newFixture(t)) })
	t.Run("Range", func(t *testing.T) { testRange(t, newFixture(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newFixture(t)) })
	t.Run("List", func(t *testing.T) { testList(t, newFixture(t)) })
	t.Run("BadKeys", func(t *testing.T) { testBadKeys(t, newFixture(t)) })
	t.Run("FailingReader", func(t *testing.T) { testFailingReader(t, newFixture(t)) })
	t.Run("SizeMismatch", func(t *testing.T) { testSizeMismatch(t, newFixture(t)) })
	t.Run("EmptyObject", func(t *testing.T) { testEmptyObject(t, newFixture(t)) })
	t.Run("Canceled", func(t *testing.T) { testCanceled(t, newFixture(t)) })
	t.Run("Stream20MB", func(t *testing.T) { testStream20MB(t, newFixture(t)) })
	t.Run("Ready", func(t *testing.T) {
		if err := newFixture(t).store.Ready(t.Context()); err != nil {
			t.Fatalf("Ready: %v", err)
		}
	})
}

// content returns n deterministic bytes differing by seed.
func content(seed string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	block := sha256.Sum256([]byte(seed))
	for len(out) < n {
		out = append(out, block[:]...)
		block = sha256.Sum256(block[:])
	}
	return out[:n]
}

// keyFor returns the content-hashed key of data for a test tenant.
func keyFor(tenant string, data []byte, suffix string) string {
	sum := sha256.Sum256(data)
	return Key(tenant, hex.EncodeToString(sum[:]), suffix)
}

func md5hex(data []byte) string {
	sum := md5.Sum(data)
	return hex.EncodeToString(sum[:])
}

func put(t *testing.T, s Store, key string, data []byte, ct string) Info {
	t.Helper()
	info, err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), ct)
	if err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
	return info
}

func readAll(t *testing.T, s Store, key string) ([]byte, Info) {
	t.Helper()
	obj, err := s.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, obj.Info()
}

// assertGone checks that key holds no object.
func assertGone(t *testing.T, s Store, key string) {
	t.Helper()
	_, err := s.Stat(t.Context(), key)
	if !IsNotFound(err) {
		t.Fatalf("Stat(%s) = %v, want not found", key, err)
	}
}

func assertClean(t *testing.T, f fixture) {
	t.Helper()
	if f.leftovers == nil {
		return
	}
	if left := f.leftovers(t); len(left) > 0 {
		t.Fatalf("left behind: %v", left)
	}
}

func sameInfo(t *testing.T, what string, got, want Info) {
	t.Helper()
	if got.Key != want.Key || got.Size != want.Size || got.ContentType != want.ContentType || got.ETag != want.ETag {
		t.Fatalf("%s = %+v, want %+v", what, got, want)
	}
	if d := got.ModTime.Sub(want.ModTime); d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("%s ModTime = %v, want about %v", what, got.ModTime, want.ModTime)
	}
}

func testRoundTrip(t *testing.T, f fixture) {
	data := []byte("Xin chào, Thanh Hóa! Tin, bài, ảnh.\n")
	key := keyFor("tenant-1", data, ".txt")
	const ct = "text/plain; charset=utf-8"
	before := time.Now()
	got := put(t, f.store, key, data, ct)
	want := Info{Key: key, Size: int64(len(data)), ContentType: ct, ETag: md5hex(data), ModTime: got.ModTime}
	sameInfo(t, "Put", got, want)
	if got.ModTime.Before(before.Add(-2*time.Second)) || got.ModTime.After(time.Now().Add(2*time.Second)) {
		t.Fatalf("Put ModTime %v not around now", got.ModTime)
	}

	st, err := f.store.Stat(t.Context(), key)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	sameInfo(t, "Stat", st, want)

	body, oi := readAll(t, f.store, key)
	if !bytes.Equal(body, data) {
		t.Fatalf("Open read %q, want %q", body, data)
	}
	sameInfo(t, "Open Info", oi, want)

	// A content type with parameters and an empty one.
	key2 := keyFor("tenant-1", data, ".bin")
	if got := put(t, f.store, key2, data, ""); got.ContentType != DefaultContentType {
		t.Fatalf("empty content type stored as %q", got.ContentType)
	}
	if st, err := f.store.Stat(t.Context(), key2); err != nil || st.ContentType != DefaultContentType {
		t.Fatalf("Stat = %+v, %v; want %s", st, err, DefaultContentType)
	}
	for _, bad := range []string{"text/plain\r\nX-Evil: 1", "not a type", "ảnh/jpeg"} {
		_, err := f.store.Put(t.Context(), key2, bytes.NewReader(data), int64(len(data)), bad)
		if !errors.Is(err, ErrInvalidContentType) || !errs.Is(err, errs.KindInvalid) {
			t.Fatalf("Put with content type %q: %v, want invalid", bad, err)
		}
	}
	assertClean(t, f)
}

func testOverwrite(t *testing.T, f fixture) {
	key := Key("tenant-1", strings.Repeat("ab", 32), ".png")
	put(t, f.store, key, []byte("first"), "image/png")
	second := []byte("the second, longer one")
	put(t, f.store, key, second, "image/webp")
	body, info := readAll(t, f.store, key)
	if !bytes.Equal(body, second) || info.ContentType != "image/webp" || info.ETag != md5hex(second) {
		t.Fatalf("after overwrite: %q %+v", body, info)
	}
	assertClean(t, f)
}

func testRange(t *testing.T, f fixture) {
	data := content("range", 256<<10)
	key := keyFor("tenant-1", data, ".mp4")
	put(t, f.store, key, data, "video/mp4")

	obj, err := f.store.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer obj.Close()
	if pos, err := obj.Seek(100_000, io.SeekStart); err != nil || pos != 100_000 {
		t.Fatalf("Seek = %d, %v", pos, err)
	}
	buf := make([]byte, 5000)
	if _, err := io.ReadFull(obj, buf); err != nil {
		t.Fatalf("read after seek: %v", err)
	}
	if !bytes.Equal(buf, data[100_000:105_000]) {
		t.Fatal("bytes after Seek differ")
	}
	if pos, err := obj.Seek(0, io.SeekCurrent); err != nil || pos != 105_000 {
		t.Fatalf("Seek(0, current) = %d, %v", pos, err)
	}
	if pos, err := obj.Seek(-100, io.SeekEnd); err != nil || pos != int64(len(data))-100 {
		t.Fatalf("Seek(-100, end) = %d, %v", pos, err)
	}
	tail, err := io.ReadAll(obj)
	if err != nil || !bytes.Equal(tail, data[len(data)-100:]) {
		t.Fatalf("tail: %d bytes, %v", len(tail), err)
	}
	if _, err := obj.Seek(10, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(obj, buf[:10]); err != nil || !bytes.Equal(buf[:10], data[10:20]) {
		t.Fatalf("read after seeking back: %v", err)
	}

	// The way the web layer serves it: an HTTP range request.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o, err := f.store.Open(r.Context(), key)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		defer o.Close()
		w.Header().Set("Content-Type", o.Info().ContentType)
		w.Header().Set("ETag", `"`+o.Info().ETag+`"`)
		http.ServeContent(w, r, "", o.Info().ModTime, o)
	}))
	defer srv.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	req.Header.Set("Range", "bytes=200000-200099")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	part, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(part, data[200_000:200_100]) {
		t.Fatalf("range request: %s, %d bytes", resp.Status, len(part))
	}
	if got := resp.Header.Get("Content-Range"); got != fmt.Sprintf("bytes 200000-200099/%d", len(data)) {
		t.Fatalf("Content-Range = %q", got)
	}
}

func testDelete(t *testing.T, f fixture) {
	ctx := t.Context()
	data := []byte("to be deleted")
	key := keyFor("tenant-1", data, ".txt")
	put(t, f.store, key, data, "text/plain")
	if err := f.store.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := f.store.Stat(ctx, key)
	if !IsNotFound(err) || !errs.Is(err, errs.KindNotFound) {
		t.Fatalf("Stat after Delete = %v, want not found", err)
	}
	if e := errs.As(err); e == nil || e.Code != "media_not_found" || e.Message != "Không tìm thấy tệp" {
		t.Fatalf("not found error = %#v", e)
	}
	if _, err := f.store.Open(ctx, key); !IsNotFound(err) {
		t.Fatalf("Open after Delete = %v, want not found", err)
	}
	if err := f.store.Delete(ctx, key); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	if err := f.store.Delete(ctx, "t/tenant-1/00/never-written.jpg"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	// A key that is only a prefix of others is not an object.
	put(t, f.store, "t/tenant-1/dir/x.txt", data, "text/plain")
	if err := f.store.Delete(ctx, "t/tenant-1/dir"); err != nil {
		t.Fatalf("Delete of a prefix: %v", err)
	}
	assertGone(t, f.store, "t/tenant-1/dir")
	if _, err := f.store.Stat(ctx, "t/tenant-1/dir/x.txt"); err != nil {
		t.Fatalf("Delete of a prefix removed its objects: %v", err)
	}
	assertGone(t, f.store, "t/tenant-1/dir/x.txt/deeper")
	assertClean(t, f)
}

func testList(t *testing.T, f fixture) {
	ctx := t.Context()
	keys := map[string][]byte{}
	for _, tenant := range []string{"a", "ab", "b"} {
		for i := range 3 {
			data := content(tenant+fmt.Sprint(i), 100+i)
			k := keyFor(tenant, data, ".jpg")
			keys[k] = data
			put(t, f.store, k, data, "image/jpeg")
		}
	}
	list := func(prefix string) []string {
		t.Helper()
		var got []string
		err := f.store.List(ctx, prefix, func(in Info) error {
			data, ok := keys[in.Key]
			if !ok {
				t.Errorf("listed unknown key %q", in.Key)
			} else if in.Size != int64(len(data)) || in.ETag != md5hex(data) || in.ModTime.IsZero() {
				t.Errorf("listed %+v", in)
			}
			got = append(got, in.Key)
			return nil
		})
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		slices.Sort(got)
		return got
	}
	want := func(prefix string) []string {
		var w []string
		for k := range keys {
			if strings.HasPrefix(k, prefix) {
				w = append(w, k)
			}
		}
		slices.Sort(w)
		return w
	}
	for _, prefix := range []string{TenantPrefix("a"), TenantPrefix("b"), "t/a", "t/", "", TenantPrefix("none")} {
		if got, w := list(prefix), want(prefix); !slices.Equal(got, w) {
			t.Fatalf("List(%q) = %v, want %v", prefix, got, w)
		}
	}
	if n := len(list(TenantPrefix("a"))); n != 3 {
		t.Fatalf("tenant a has %d objects, want 3", n)
	}
	// A shard prefix inside a tenant.
	for k := range keys {
		shard := k[:strings.LastIndexByte(k, '/')+1]
		if got, w := list(shard), want(shard); !slices.Equal(got, w) {
			t.Fatalf("List(%q) = %v, want %v", shard, got, w)
		}
		break
	}
	// An error from the callback stops the listing and comes back as is.
	stop := errors.New("stop")
	calls := 0
	err := f.store.List(ctx, "", func(Info) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Fatalf("List with failing callback = %v after %d calls", err, calls)
	}
	if err := f.store.List(ctx, "../etc", func(Info) error { return nil }); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("List(../etc) = %v, want invalid key", err)
	}
}

var badKeys = []string{
	"../../etc/passwd", "/abs", "/etc/passwd", "a//b", `a\b`, "t/x/../y", "t/x/./y", "..", ".", "",
	"a/", "t/x/.hidden", "a\x00b", "t/x/ảnh.jpg", "t/x/a b.jpg", "t/x/a%2f.jpg", "C:/windows",
	"t/x/" + strings.Repeat("a", 201), strings.Repeat("a/", 256) + "b",
}

func testBadKeys(t *testing.T, f fixture) {
	ctx := t.Context()
	invalid := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrInvalidKey) || !errs.Is(err, errs.KindInvalid) {
			t.Fatalf("%s: %v, want invalid key", what, err)
		}
	}
	for _, key := range badKeys {
		_, err := f.store.Put(ctx, key, strings.NewReader("x"), 1, "text/plain")
		invalid("Put "+key, err)
		_, err = f.store.Stat(ctx, key)
		invalid("Stat "+key, err)
		_, err = f.store.Open(ctx, key)
		invalid("Open "+key, err)
		invalid("Delete "+key, f.store.Delete(ctx, key))
	}
	// Nothing was written anywhere in the store.
	err := f.store.List(ctx, "", func(in Info) error { return fmt.Errorf("unexpected object %q", in.Key) })
	if err != nil {
		t.Fatal(err)
	}
	assertClean(t, f)
}

// failingReader yields n bytes then fails with err.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	m := min(len(p), r.n)
	clear(p[:m])
	r.n -= m
	return m, nil
}

func testFailingReader(t *testing.T, f fixture) {
	boom := errors.New("client went away")
	for _, n := range []int{0, 1 << 20} {
		key := Key("tenant-1", strings.Repeat("cd", 32), fmt.Sprintf("-%d.bin", n))
		_, err := f.store.Put(t.Context(), key, &failingReader{n: n, err: boom}, 2<<20, "application/pdf")
		if !errors.Is(err, boom) {
			t.Fatalf("Put with a reader failing after %d bytes: %v, want %v", n, err, boom)
		}
		if IsUnavailable(err) {
			t.Fatalf("a failing upload reported as a store outage: %v", err)
		}
		assertGone(t, f.store, key)
	}
	assertClean(t, f)
}

func testSizeMismatch(t *testing.T, f fixture) {
	data := content("size", 64<<10)
	key := keyFor("tenant-1", data, ".gif")
	cases := []struct {
		name string
		size int64
		r    io.Reader
	}{
		{"short", int64(len(data)) + 1, bytes.NewReader(data)},
		{"much shorter", int64(len(data)) * 2, bytes.NewReader(data)},
		{"long", int64(len(data)) - 1, bytes.NewReader(data)},
		{"one byte too many", 1, strings.NewReader("ab")},
		{"zero declared", 0, strings.NewReader("a")},
		{"negative", -1, bytes.NewReader(data)},
	}
	for _, c := range cases {
		_, err := f.store.Put(t.Context(), key, c.r, c.size, "image/gif")
		if !errors.Is(err, ErrSizeMismatch) || !errs.Is(err, errs.KindInvalid) {
			t.Fatalf("%s: Put = %v, want size mismatch", c.name, err)
		}
		assertGone(t, f.store, key)
	}
	assertClean(t, f)
}

func testEmptyObject(t *testing.T, f fixture) {
	key := keyFor("tenant-1", nil, ".txt")
	info := put(t, f.store, key, nil, "text/plain")
	if info.Size != 0 || info.ETag != md5hex(nil) {
		t.Fatalf("empty Put = %+v", info)
	}
	body, _ := readAll(t, f.store, key)
	if len(body) != 0 {
		t.Fatalf("empty object read %q", body)
	}
}

func testCanceled(t *testing.T, f fixture) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	key := Key("tenant-1", strings.Repeat("ef", 32), ".txt")
	if _, err := f.store.Put(ctx, key, strings.NewReader("abc"), 3, "text/plain"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with a canceled context: %v", err)
	}
	// Canceled in the middle of the upload.
	ctx, cancel = context.WithCancel(t.Context())
	r := &cancelingReader{n: 1 << 20, at: 256 << 10, cancel: cancel}
	if _, err := f.store.Put(ctx, key, r, 1<<20, "text/plain"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put canceled midway: %v", err)
	}
	assertGone(t, f.store, key)
	assertClean(t, f)
}

// cancelingReader yields n zero bytes and calls cancel once at bytes have
// been read.
type cancelingReader struct {
	n, at  int
	cancel func()
	read   int
}

func (r *cancelingReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	if r.read >= r.at {
		r.cancel()
	}
	m := min(len(p), r.n-r.read)
	clear(p[:m])
	r.read += m
	return m, nil
}

// patternReader yields n deterministic bytes without allocating.
type patternReader struct{ n, off int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	m := min(int64(len(p)), r.n-r.off)
	for i := range p[:m] {
		o := r.off + int64(i)
		p[i] = byte(o*7 + o>>9)
	}
	r.off += m
	return int(m), nil
}

// heapPeak samples the heap while running fn and returns the largest growth
// of HeapAlloc over its value before, and the bytes allocated meanwhile.
func heapPeak(fn func()) (peak, allocated uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var max atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > max.Load() {
				max.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.HeapAlloc > max.Load() {
		max.Store(after.HeapAlloc)
	}
	if m := max.Load(); m > before.HeapAlloc {
		peak = m - before.HeapAlloc
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

func testStream20MB(t *testing.T, f fixture) {
	const size = 20 << 20
	const bound = 8 << 20
	sum := md5.New()
	if _, err := io.Copy(sum, &patternReader{n: size}); err != nil {
		t.Fatal(err)
	}
	wantETag := hex.EncodeToString(sum.Sum(nil))
	key := Key("tenant-1", strings.Repeat("20", 32), ".mp4")

	var info Info
	var err error
	start := time.Now()
	peak, allocated := heapPeak(func() {
		info, err = f.store.Put(t.Context(), key, &patternReader{n: size}, size, "video/mp4")
	})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("Put 20 MB: %v", err)
	}
	t.Logf("20 MB put in %v (%.0f MB/s): heap peak +%.1f MB, allocated %.1f MB",
		elapsed.Round(time.Millisecond), float64(size)/(1<<20)/elapsed.Seconds(),
		float64(peak)/(1<<20), float64(allocated)/(1<<20))
	if peak > bound {
		t.Fatalf("heap grew by %d bytes while storing 20 MB: the upload is buffered", peak)
	}
	if info.Size != size || info.ETag != wantETag {
		t.Fatalf("Put = %+v, want size %d and ETag %s", info, size, wantETag)
	}

	obj, err := f.store.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	got := md5.New()
	if n, err := io.Copy(got, obj); err != nil || n != size {
		t.Fatalf("read back %d bytes: %v", n, err)
	}
	if hex.EncodeToString(got.Sum(nil)) != wantETag {
		t.Fatal("20 MB object read back differs")
	}
}
