package web

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// blockingReader hands out one byte per read, each read waiting for a go.
type blockingReader struct {
	gate chan struct{}
	done chan struct{} // closed when a read returns
}

func (b *blockingReader) Read(p []byte) (int, error) {
	<-b.gate
	p[0] = 'x'
	close(b.done)
	return 1, nil
}

// TestDetachWaitsForTheReadInProgress: once detached, an upload's body
// reads nothing more, and detaching waits for a read already under way,
// so no read reaches the connection after its request ended.
func TestDetachWaitsForTheReadInProgress(t *testing.T) {
	br := &blockingReader{gate: make(chan struct{}), done: make(chan struct{})}
	body := &cappedReader{r: br, left: 100, limit: 100}
	reading := make(chan error)
	go func() {
		_, err := body.Read(make([]byte, 8))
		reading <- err
	}()
	// Wait until the read holds the lock, as the object store's goroutine
	// would be mid-read, then detach.
	for body.mu.TryLock() {
		body.mu.Unlock()
	}
	detached := make(chan bool)
	go func() { detached <- body.detach() }()
	close(br.gate)
	if err := <-reading; err != nil {
		t.Fatalf("the read in progress: %v", err)
	}
	<-detached
	select {
	case <-br.done:
	default:
		t.Fatal("detach returned before the read in progress ended")
	}
	if _, err := body.Read(make([]byte, 8)); !errors.Is(err, errBodyDetached) {
		t.Errorf("a read after the request ended: %v, want errBodyDetached", err)
	}
}

// TestLateBodyReadNeverReachesTheConnection: an upload handler hands its
// body to a goroutine that reads it after the handler returned (as the
// object store's HTTP client can when the upload failed). That read gets
// an error, and the next request on the same connection is answered.
func TestLateBodyReadNeverReachesTheConnection(t *testing.T) {
	app := NewApp(func(c *fiber.Ctx, err error) error { return c.Status(500).SendString(err.Error()) }, 1<<20)
	// The outer app's request context names the host; this app has none.
	app.Use(func(c *fiber.Ctx) error { info(c).host = "admin.localhost"; return c.Next() })
	app.Use(limitBody(Options{AdminHost: "admin.localhost", Uploads: []Route{"POST /up"}, UploadLimit: 1 << 20}))
	late := make(chan error, 1)
	release := make(chan struct{})
	app.Post("/up", func(c *fiber.Ctx) error {
		body := BodyStream(c)
		head := make([]byte, 4)
		if _, err := io.ReadFull(body, head); err != nil {
			return err
		}
		go func() {
			<-release
			_, err := body.Read(make([]byte, 64))
			late <- err
		}()
		return c.Status(http.StatusServiceUnavailable).SendString("store down")
	})
	app.Get("/next", func(c *fiber.Ctx) error { return c.SendString("next") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	payload := strings.Repeat("a", 4) + strings.Repeat("b", 60)
	fmt.Fprintf(conn, "POST /up HTTP/1.1\r\nHost: admin.localhost\r\nContent-Length: %d\r\n\r\n%s", len(payload), payload)
	res, err := http.ReadResponse(rd, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	close(release)
	if err := <-late; !errors.Is(err, errBodyDetached) {
		t.Errorf("the late read: %v, want errBodyDetached", err)
	}
	// The server closed the connection (the body was not read to its end)
	// or answers the next request on it; it never reads it as a body.
	fmt.Fprintf(conn, "GET /next HTTP/1.1\r\nHost: admin.localhost\r\n\r\n")
	if res, err := http.ReadResponse(rd, nil); err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || string(b) != "next" {
			t.Errorf("next request on the connection: %d %q", res.StatusCode, b)
		}
	}
}

// TestStreamedBodiesKeepTheirConnection: many clients at once send bodies
// that arrive after their headers, in pieces, on keep-alive connections.
// Each request reads its own body and nothing else. (fasthttp before
// v1.56 gave a streamed request's read buffer back to its pool as soon as
// the bytes already received were used up, while the body was still read
// from it: another connection took the same buffer, and requests read
// each other's bytes or crashed the server.)
func TestStreamedBodiesKeepTheirConnection(t *testing.T) {
	app := NewApp(func(c *fiber.Ctx, err error) error { return c.Status(500).SendString(err.Error()) }, 1<<20)
	app.Use(func(c *fiber.Ctx) error { info(c).host = "admin.localhost"; return c.Next() })
	app.Use(limitBody(Options{AdminHost: "admin.localhost"}))
	app.Post("/echo", func(c *fiber.Ctx) error {
		sum := sha256.Sum256(c.Body())
		return c.SendString(hex.EncodeToString(sum[:]))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })

	const clients, requests, size = 12, 15, 40 << 10
	var wg sync.WaitGroup
	errc := make(chan error, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- sendPieces(ln.Addr().String(), i, requests, size)
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Error(err)
		}
	}
}

// sendPieces sends requests bodies of size bytes on one connection, each
// body after its headers and in four pieces, alternately chunked and with
// a length, and checks every answer names its own body.
func sendPieces(addr string, client, requests, size int) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	rd := bufio.NewReader(conn)
	for r := range requests {
		body := bytes.Repeat([]byte{byte('a' + client), byte('A' + r%26)}, size/2)
		want := sha256.Sum256(body)
		chunked := r%2 == 1
		if chunked {
			fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: admin.localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
		} else {
			fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: admin.localhost\r\nContent-Length: %d\r\n\r\n", len(body))
		}
		for p := range 4 {
			time.Sleep(2 * time.Millisecond)
			piece := body[p*size/4 : (p+1)*size/4]
			if chunked {
				fmt.Fprintf(conn, "%x\r\n%s\r\n", len(piece), piece)
			} else if _, err := conn.Write(piece); err != nil {
				return fmt.Errorf("client %d, request %d: %w", client, r, err)
			}
		}
		if chunked {
			fmt.Fprintf(conn, "0\r\n\r\n")
		}
		res, err := http.ReadResponse(rd, nil)
		if err != nil {
			return fmt.Errorf("client %d, request %d: %w", client, r, err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || string(got) != hex.EncodeToString(want[:]) {
			return fmt.Errorf("client %d, request %d: %d %q: not its own body", client, r, res.StatusCode, string(got[:min(len(got), 120)]))
		}
	}
	return nil
}
