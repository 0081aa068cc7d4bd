package app_test

// The edge of the HTTP stack under abuse: bodies larger than a route
// takes, control characters and broken UTF-8 in any input, request lines
// and forwarding headers that try to name another host, and a database
// that is gone.

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/memtest"
	"github.com/trangtin/trangtin/tenants/app"
)

// serveOn runs the app's HTTP server on a loopback port for requests that
// app.Test cannot make (bodies streamed by the client, closed sockets).
func serveOn(t *testing.T, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.HTTP.Listener(ln) }()
	t.Cleanup(func() { _ = a.HTTP.ShutdownWithTimeout(5 * time.Second) })
	return ln.Addr().String()
}

// zeros is an endless body of zero bytes that costs the client nothing.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// postBig sends a form body of n bytes to /login on the admin host, with
// its length or chunked, and returns the status (0 when the server closed
// the connection before the client could read an answer).
func postBig(t *testing.T, addr string, n int64, chunked bool) int {
	t.Helper()
	body := io.MultiReader(strings.NewReader("email=a%40b.vn&password="), io.LimitReader(zeros{}, n))
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/login", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = isoAdminHost
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = n + 24
	if chunked {
		req.ContentLength = -1
	}
	client := &http.Client{Timeout: time.Minute}
	res, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}

func TestBodyLimits(t *testing.T) {
	w := newIsoWorld(t)
	big := strings.Repeat("x", 1<<20)
	t.Run("a login form over 1 MB is refused before it is read", func(t *testing.T) {
		r := newVisitor(t, w.a).do(http.MethodPost, "/login", url.Values{"email": {"a@b.vn"}, "password": {big}})
		if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "quá lớn (tối đa 1 MB)") {
			t.Errorf("want 413 saying the limit: %s", r)
		}
	})
	t.Run("a chunked body over 1 MB is cut at the limit", func(t *testing.T) {
		// Over a socket: app.Test would add "Content-Length: -1", which the
		// HTTP engine refuses before any route runs.
		if status := postBig(t, serveOn(t, w.a), 1<<20, true); status != http.StatusRequestEntityTooLarge {
			t.Errorf("want 413, got %d", status)
		}
	})
	t.Run("JSON over 1 MB to the API", func(t *testing.T) {
		r := w.api("btvA").doJSON(http.MethodPost, "/api/v1/tenants/"+isoSlugA+"/posts", map[string]any{"title": "Tin", "body": big})
		if e := decodeError(t, r, http.StatusRequestEntityTooLarge); e.Error.Code != "body_too_large" {
			t.Errorf("code %q, want body_too_large", e.Error.Code)
		}
	})
	t.Run("a public page's body", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/search", strings.NewReader(big+"x"))
		v := newVisitor(t, w.a)
		v.host = "anhdao.gov.vn"
		if r := v.send(req); r.status != http.StatusRequestEntityTooLarge {
			t.Errorf("want 413: %s", r)
		}
	})
	t.Run("a body under the limit still works", func(t *testing.T) {
		v := newVisitor(t, w.a)
		v.login(w.accounts["btvA"].Email, isoPassword)
	})
}

// TestLoginBodyHeapBounded sends the bodies of the attack report to the
// anonymous login form over a real socket: one of 300 MB (with its length,
// then chunked) and eight of 60 MB at once. The server's heap must not
// grow by more than a few megabytes for any of them.
func TestLoginBodyHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 780 MB over loopback")
	}
	w := newIsoWorld(t)
	addr := serveOn(t, w.a)
	const bound = 24 << 20
	for _, tc := range []struct {
		name    string
		n       int64
		chunked bool
		clients int
	}{
		{"300 MB with Content-Length", 300 << 20, false, 1},
		{"300 MB chunked", 300 << 20, true, 1},
		{"8 × 60 MB chunked at once", 60 << 20, true, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			statuses := make([]int, tc.clients)
			grew := memtest.PeakGrowth(func() {
				var wg sync.WaitGroup
				for i := range tc.clients {
					wg.Add(1)
					go func() { defer wg.Done(); statuses[i] = postBig(t, addr, tc.n, tc.chunked) }()
				}
				wg.Wait()
			})
			t.Logf("peak heap growth %.1f MB", memtest.MB(grew))
			if grew > bound {
				t.Errorf("heap grew by %.1f MB, want under %.0f MB", memtest.MB(grew), memtest.MB(bound))
			}
			for _, s := range statuses {
				if s != http.StatusRequestEntityTooLarge && s != 0 {
					t.Errorf("status %d, want 413 (or the connection closed)", s)
				}
			}
		})
	}
}

// TestControlCharactersRefused sends NUL, other control characters and
// broken UTF-8 through every kind of input: each is a 400 naming the
// input, on both dialects (PostgreSQL used to answer 500), and ordinary
// line breaks in a multi-line text still pass.
func TestControlCharactersRefused(t *testing.T) {
	w := newIsoWorld(t)
	site := newVisitor(t, w.a)
	site.host = "anhdao.gov.vn"
	anon := newVisitor(t, w.a)
	editor := w.session("btvA")
	api := w.api("btvA")
	posts := "/api/v1/tenants/" + isoSlugA + "/posts"
	tests := []struct {
		name      string
		send      func() isoReply
		code      string
		wantField string
	}{
		{"NUL in the public search", func() isoReply { return site.do(http.MethodGet, "/search?q=a%00b", nil) }, "control_character", "q"},
		{"NUL in a public path", func() isoReply { return site.do(http.MethodGet, "/bai-viet/a%00b", nil) }, "control_character", "path"},
		{"newline in a query", func() isoReply { return site.do(http.MethodGet, "/search?q=a%0Ab", nil) }, "control_character", "q"},
		{"broken UTF-8 in the search", func() isoReply { return site.do(http.MethodGet, "/search?q=%FF%FE", nil) }, "invalid_utf8", "q"},
		{"NUL in the login e-mail", func() isoReply {
			return anon.do(http.MethodPost, "/login", url.Values{"email": {"a\x00@b.vn"}, "password": {"x"}})
		}, "control_character", "email"},
		{"broken UTF-8 in the user agent", func() isoReply {
			return anon.do(http.MethodGet, "/login", nil, "User-Agent", "bot\xff")
		}, "invalid_utf8", "User-Agent"},
		{"NUL in a JSON title", func() isoReply { return api.doJSON(http.MethodPost, posts, map[string]any{"title": "Tin\u0000mới"}) }, "control_character", "title"},
		{"bell in a nested JSON value", func() isoReply {
			return api.doJSON(http.MethodPost, posts, map[string]any{"title": "Tin", "fields": []string{"lao-dong\u0007"}})
		}, "control_character", "fields"},
		{"broken UTF-8 in JSON", func() isoReply {
			req := httptest.NewRequest(http.MethodPost, posts, strings.NewReader(`{"title":"Tin `+"\xc3\x28"+`"}`))
			req.Header.Set("Content-Type", "application/json")
			return api.send(req)
		}, "invalid_utf8", "body"},
		{"NUL in a console form", func() isoReply {
			return editor.post("/t/"+isoSlugA+"/bai-viet/moi", url.Values{"title": {"Tin\x00"}, "type": {"news"}})
		}, "control_character", "title"},
		{"escape in the console filter", func() isoReply {
			return editor.do(http.MethodGet, "/t/"+isoSlugA+"/bai-viet?q=%1B", nil)
		}, "control_character", "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.send()
			if r.status != http.StatusBadRequest {
				t.Fatalf("want 400: %s", r)
			}
			if !strings.Contains(r.body, tt.code) && !strings.Contains(r.body, tt.wantField) {
				t.Errorf("answer names neither %q nor %q: %s", tt.code, tt.wantField, r)
			}
		})
	}
	t.Run("control character in a header", func(t *testing.T) {
		// The HTTP engine refuses it before any route runs: a plain 400
		// that does not repeat what was sent.
		status, body := rawRequest(t, serveOn(t, w.a), "GET /login HTTP/1.1\r\nHost: "+isoAdminHost+"\r\nUser-Agent: quetbot\x01\r\nConnection: close\r\n\r\n")
		if status != http.StatusBadRequest || strings.Contains(body, "quetbot") {
			t.Errorf("want 400 without the header's value: %d %s", status, body)
		}
	})
	t.Run("the API answer names the code and the field", func(t *testing.T) {
		e := decodeError(t, api.doJSON(http.MethodPost, posts, map[string]any{"title": "Tin\u0000"}), http.StatusBadRequest)
		if e.Error.Code != "control_character" || e.Error.Field != "title" {
			t.Errorf("error %+v, want control_character on title", e.Error)
		}
	})
	t.Run("tabs and line breaks in a multi-line text are text", func(t *testing.T) {
		r := api.doJSON(http.MethodPost, posts, map[string]any{"title": "Tin\tmới", "summary": "Dòng một\r\nDòng hai\n\tDòng ba"})
		if r.status != http.StatusCreated {
			t.Errorf("want 201: %s", r)
		}
	})
}

// rawRequest writes a request as given on a fresh connection and returns
// the answer's status line and body.
func rawRequest(t *testing.T, addr, raw string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestRequestLineCannotNameAnotherHost(t *testing.T) {
	a := newApp(t, nil)
	addr := serveOn(t, a)
	status, body := rawRequest(t, addr, "GET http://beta.localhost/ HTTP/1.1\r\nHost: alpha.localhost\r\nConnection: close\r\n\r\n")
	if status != http.StatusBadRequest || strings.Contains(body, nameBeta) {
		t.Errorf("absolute request line for another host: status %d, body names beta: %v", status, strings.Contains(body, nameBeta))
	}
	status, body = rawRequest(t, addr, "GET http://admin.localhost/login HTTP/1.1\r\nHost: alpha.localhost\r\nConnection: close\r\n\r\n")
	if status != http.StatusBadRequest || strings.Contains(body, "password") {
		t.Errorf("absolute request line for the admin host: status %d", status)
	}
	// The same host in both is an ordinary request.
	status, body = rawRequest(t, addr, "GET http://alpha.localhost/ HTTP/1.1\r\nHost: alpha.localhost\r\nConnection: close\r\n\r\n")
	if status != http.StatusOK || !strings.Contains(body, nameAlpha) {
		t.Errorf("absolute request line for its own host: status %d", status)
	}
}

func TestForwardedHeadersReadFromTheRight(t *testing.T) {
	peer := netip.MustParseAddr(remoteIP(t))
	a := newApp(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.PrefixFrom(peer, peer.BitLen())}
	})
	// The client wrote beta; the trusted proxy appended the host it got.
	shows(t, get(t, a, "internal:8080", "/", "X-Forwarded-Host", "beta.localhost, alpha.localhost"), nameAlpha)
	r := get(t, a, "alpha.localhost", "/robots.txt", "X-Forwarded-Proto", "https, http")
	if !strings.Contains(r.body, "http://alpha.localhost/sitemap.xml") {
		t.Errorf("X-Forwarded-Proto read from the left:\n%s", r.body)
	}
}

func TestDatabaseOutageIs503(t *testing.T) {
	_, opts := dbtest.NewWithOptions(t)
	own, err := db.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	a := orgWorld(t, own, nil, nil).App
	_ = own.Close()
	for _, path := range []string{"/", "/search?q=tin", "/feed.xml"} {
		r := get(t, a, "alpha.localhost", path)
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
			t.Errorf("%s with the database down: status %d, Retry-After %q; want 503 with Retry-After", path, r.status, r.header.Get("Retry-After"))
		}
	}
	r := get(t, a, "admin.localhost", "/api/v1/tenants/alpha/posts", "Authorization", "Bearer tt_"+strings.Repeat("x", 43))
	var e errorBody
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.status != http.StatusServiceUnavailable || e.Error.Code != "unavailable" {
		t.Errorf("API with the database down: status %d, body %s", r.status, r.body)
	}
}

// TestHealthzFailsWhenThePoolIsWedged holds every connection of the pool,
// as requests stuck behind a lock did: the process can serve nothing that
// needs the database, and /healthz says so, so that a liveness probe
// restarts it. Once a connection is free again it is healthy.
func TestHealthzFailsWhenThePoolIsWedged(t *testing.T) {
	w := orgWorld(t, nil, nil, nil, app.WithProbeTimings(200*time.Millisecond, 0))
	a, bdb := w.App, w.DB
	if r := get(t, a, "x", "/healthz"); r.status != http.StatusOK {
		t.Fatalf("healthy pool: %d %s", r.status, r.body)
	}
	ctx := context.Background()
	var held []interface{ Close() error }
	for range bdb.DB.Stats().MaxOpenConnections {
		conn, err := bdb.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
	}
	r := get(t, a, "x", "/healthz")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, `"database_pool":"down"`) {
		t.Errorf("wedged pool: status %d, body %s; want 503 naming database_pool", r.status, r.body)
	}
	for _, c := range held {
		_ = c.Close()
	}
	if r := get(t, a, "x", "/healthz"); r.status != http.StatusOK {
		t.Errorf("after the pool came free: %d %s", r.status, r.body)
	}
}
