package media

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/web"
)

// Upload throughput and memory through the HTTP handler, on a real
// listener (app.Test would hold the whole request in memory itself): the
// client streams a generated 20 MB MP4 through a pipe, the server is a
// Fiber app configured like the platform's (web.NewApp), the store is the
// disk store. "stream" sets fasthttp's DisablePreParseMultipartForm, as the
// platform should; "preparse" is fasthttp's default.

const benchFileSize = 20 << 20

// genMP4 yields an MP4 of size bytes (ftyp, then mdat of pseudo-random
// bytes from seed) without holding it.
type genMP4 struct {
	size, off int64
	rng       *rand.ChaCha8
	head      []byte
}

func newGenMP4(size int64, seed uint64) *genMP4 {
	head := append([]byte{0, 0, 0, 20}, "ftypisom\x00\x00\x02\x00mp41"...)
	head = binary.BigEndian.AppendUint32(head, uint32(size-int64(len(head))))
	head = append(head, "mdat"...)
	var s [32]byte
	binary.LittleEndian.PutUint64(s[:], seed)
	return &genMP4{size: size, rng: rand.NewChaCha8(s), head: head}
}

func (g *genMP4) Read(p []byte) (int, error) {
	if g.off >= g.size {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.size-g.off)]
	n := 0
	if g.off < int64(len(g.head)) {
		n = copy(p, g.head[g.off:])
	}
	_, _ = g.rng.Read(p[n:])
	g.off += int64(len(p))
	return len(p), nil
}

// uploadServer serves POST /upload into tenant A of e.
func uploadServer(tb testing.TB, e *env, preParse bool) string {
	tb.Helper()
	app := web.NewApp(web.ErrorHandler(nil, quiet()), 64<<20)
	app.Server().DisablePreParseMultipartForm = !preParse
	app.Post("/upload", func(c *fiber.Ctx) error {
		m, err := e.svc.addFromRequest(c, e.a, e.actor)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).SendString(m.ID)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	tb.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String() + "/upload"
}

// postFile streams a generated file of size bytes as a multipart upload
// with a Content-Length (as browsers send it).
func postFile(tb testing.TB, url string, size int64, seed uint64) {
	tb.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	// The length of the framing is known in advance, so the request has a
	// Content-Length like a browser's.
	var frame strings.Builder
	fw := multipart.NewWriter(&frame)
	_ = fw.SetBoundary(mw.Boundary())
	_, _ = fw.CreateFormFile("file", "clip.mp4")
	_ = fw.Close()
	go func() {
		w, err := mw.CreateFormFile("file", "clip.mp4")
		if err == nil {
			_, err = io.Copy(w, newGenMP4(size, seed))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, url, pr)
	req.ContentLength = int64(frame.Len()) + size
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		tb.Fatalf("upload: %d %s", res.StatusCode, body)
	}
}

// heapPeak samples the heap while fn runs and returns how far it rose
// above its level before.
func heapPeak(fn func()) (peak uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var top atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > top.Load() {
				top.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	if top.Load() < base {
		return 0
	}
	return top.Load() - base
}

// peakRSS resets and reads the process's peak resident size (Linux); 0
// when unknown.
func peakRSS(reset bool) uint64 {
	if reset {
		_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
		return 0
	}
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

func diskStore(tb testing.TB, dir string) blob.Store {
	d, err := blob.NewDisk(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// TestStreamingUploadMemory uploads 20 MB through the handler with the
// server streaming: the heap must not grow by anything like the file.
func TestStreamingUploadMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 20 MB")
	}
	e := newEnv(t, diskStore(t, t.TempDir()), Options{MaxBytes: benchFileSize + 1<<20})
	url := uploadServer(t, e, false)
	postFile(t, url, 1<<20, 1) // warm up connections and code paths
	grew := heapPeak(func() { postFile(t, url, benchFileSize, 2) })
	t.Logf("20 MB streamed upload: heap peak +%.1f MB", float64(grew)/(1<<20))
	if grew > 8<<20 {
		t.Errorf("heap grew by %.1f MB during a 20 MB upload: not streamed", float64(grew)/(1<<20))
	}
}

// BenchmarkUpload20MB measures throughput and memory of one 20 MB upload
// through the HTTP handler.
func BenchmarkUpload20MB(b *testing.B) {
	for _, mode := range []struct {
		name     string
		preParse bool
	}{{"stream", false}, {"preparse", true}} {
		b.Run(mode.name, func(b *testing.B) {
			e := newEnv(b, diskStore(b, b.TempDir()), Options{MaxBytes: benchFileSize + 1<<20})
			url := uploadServer(b, e, mode.preParse)
			postFile(b, url, 1<<20, 0)
			b.SetBytes(benchFileSize)
			var peak uint64
			peakRSS(true)
			b.ResetTimer()
			for i := range b.N {
				peak = max(peak, heapPeak(func() { postFile(b, url, benchFileSize, uint64(i)+1) }))
			}
			b.StopTimer()
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			if rss := peakRSS(false); rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MB")
			}
		})
	}
}
