package blob

import (
	"bytes"
	"context"
	"go/build"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// minioBinary finds the MinIO server: $TRANGTIN_MINIO_BIN, minio on $PATH,
// or the one scripts/minio.sh installs into $GOBIN or $GOPATH/bin.
func minioBinary() string {
	if p := os.Getenv("TRANGTIN_MINIO_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p
	}
	dirs := []string{os.Getenv("GOBIN")}
	for _, gp := range filepath.SplitList(build.Default.GOPATH) {
		dirs = append(dirs, filepath.Join(gp, "bin"))
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, "minio")
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// freeAddr returns a 127.0.0.1 address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// minioProc is a MinIO server owned by one test.
type minioProc struct {
	cmd *exec.Cmd
	log string
}

const (
	procAccessKey = "trangtin"
	procSecretKey = "trangtin-secret"
)

// startMinio starts bin serving dir at addr and waits until it answers.
func startMinio(t *testing.T, bin, addr, dir string) *minioProc {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "minio.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, "--console-address", freeAddr(t), dir)
	cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+procAccessKey, "MINIO_ROOT_PASSWORD="+procSecretKey, "MINIO_BROWSER=off")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	p := &minioProc{cmd: cmd, log: logPath}
	t.Cleanup(p.kill)
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + addr + "/minio/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, _ := os.ReadFile(logPath)
	t.Fatalf("MinIO did not answer at %s within 30 s:\n%s", addr, out)
	return nil
}

// kill stops the server abruptly, as a crash would.
func (p *minioProc) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
}

// slowReader yields n zero bytes in small pieces with pauses, and closes
// started once some have been read.
type slowReader struct {
	n, read int
	started chan struct{}
	once    atomic.Bool
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.read >= r.n {
		return 0, io.EOF
	}
	if r.read > 256<<10 && r.once.CompareAndSwap(false, true) {
		close(r.started)
	}
	time.Sleep(5 * time.Millisecond)
	m := min(len(p), r.n-r.read, 32<<10)
	clear(p[:m])
	r.read += m
	return m, nil
}

// TestS3ServerRestart runs its own MinIO, kills it in the middle of an
// upload, checks that the store reports the outage and that the upload left
// nothing, starts MinIO again on the same port and data and checks that the
// same Store works again.
func TestS3ServerRestart(t *testing.T) {
	bin := minioBinary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no MinIO binary: CI must install it (scripts/minio.sh start)")
		}
		t.Skip("no MinIO binary; scripts/minio.sh start installs it")
	}
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("starts MinIO twice; skipped with -short")
	}
	addr, dir := freeAddr(t), t.TempDir()
	proc := startMinio(t, bin, addr, dir)
	ctx := t.Context()
	s, err := NewS3(ctx, S3Options{Endpoint: addr, AccessKey: procAccessKey, SecretKey: procSecretKey, Bucket: "trangtin"})
	if err != nil {
		t.Fatalf("NewS3: %v", err)
	}
	before := []byte("written before the crash")
	beforeKey := keyFor("tenant-r", before, ".txt")
	put(t, s, beforeKey, before, "text/plain")

	// MinIO dies in the middle of an upload.
	slowKey := Key("tenant-r", strings.Repeat("5a", 32), ".mp4")
	slow := &slowReader{n: 8 << 20, started: make(chan struct{})}
	putErr := make(chan error, 1)
	go func() {
		_, err := s.Put(ctx, slowKey, slow, int64(slow.n), "video/mp4")
		putErr <- err
	}()
	select {
	case <-slow.started:
	case err := <-putErr:
		t.Fatalf("slow Put ended early: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("slow Put did not start")
	}
	proc.kill()
	select {
	case err := <-putErr:
		if !IsUnavailable(err) {
			t.Fatalf("Put cut by the crash = %v, want unavailable", err)
		}
		t.Logf("Put cut by the crash: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("Put did not return after MinIO died")
	}

	// While it is down, every method reports the outage quickly.
	down := func(what string, call func(ctx context.Context) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		start := time.Now()
		if err := call(ctx); !IsUnavailable(err) {
			t.Fatalf("%s while MinIO is down = %v, want unavailable", what, err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Fatalf("%s took %v", what, took)
		}
	}
	down("Ready", s.Ready)
	down("Put", func(ctx context.Context) error {
		_, err := s.Put(ctx, "t/tenant-r/xx/during.txt", strings.NewReader("during"), 6, "text/plain")
		return err
	})
	down("Stat", func(ctx context.Context) error { _, err := s.Stat(ctx, beforeKey); return err })
	down("Open", func(ctx context.Context) error { _, err := s.Open(ctx, beforeKey); return err })

	// Back on the same port and data: the same Store works again once
	// MinIO has finished starting. Until then (its buckets answer before
	// its object layer is initialised on a loaded machine) every call
	// reports the outage as unavailable, never as another error.
	startMinio(t, bin, addr, dir)
	after := []byte("written after the restart")
	afterKey := keyFor("tenant-r", after, ".txt")
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := s.Ready(ctx)
		if err == nil {
			_, err = s.Put(ctx, afterKey, bytes.NewReader(after), int64(len(after)), "text/plain")
		}
		if err == nil {
			break
		}
		if !IsUnavailable(err) || time.Now().After(deadline) {
			t.Fatalf("Put after the restart: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got, _ := readAll(t, s, afterKey); !bytes.Equal(got, after) {
		t.Fatalf("after the restart read %q", got)
	}
	if got, info := readAll(t, s, beforeKey); !bytes.Equal(got, before) || info.ContentType != "text/plain" {
		t.Fatalf("object from before the crash: %q %+v", got, info)
	}
	// The upload cut by the crash left no object.
	if _, err := s.Stat(ctx, slowKey); !IsNotFound(err) {
		t.Fatalf("Stat of the upload cut by the crash = %v, want not found", err)
	}
	var keys []string
	if err := s.List(ctx, "", func(in Info) error { keys = append(keys, in.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 {
		t.Fatalf("objects after the restart: %v", keys)
	}
}
