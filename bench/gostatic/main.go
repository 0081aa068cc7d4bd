// Command gostatic serves the files of a directory from memory with
// fasthttp, set up as trangtin's server is (platform/web: buffer sizes,
// timeouts, ReduceMemoryUsage), and does nothing else: no request record,
// security headers, access log or cache lookup. bench/pages.sh runs it
// beside nginx on the same bytes, as the ceiling of a Go server that
// writes a page from memory where nginx sends it from a file with
// sendfile: how far trangtin's cached pages are from nginx because of
// what the platform does per request, and how far because of the server
// they are written from.
//
//	go run ./bench/gostatic -dir /tmp/pages -addr 127.0.0.1:18134
package main

import (
	"flag"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

func main() {
	dir := flag.String("dir", ".", "directory whose files are served, by name")
	addr := flag.String("addr", "127.0.0.1:18134", "listen address")
	flag.Parse()
	if err := run(*dir, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "gostatic:", err)
		os.Exit(1)
	}
}

type file struct {
	body        []byte
	contentType string
}

func run(dir, addr string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	files := map[string]file{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("read %s: %w", e.Name(), err)
		}
		ct := mime.TypeByExtension(filepath.Ext(e.Name()))
		if strings.HasSuffix(e.Name(), ".xml") {
			ct = "application/rss+xml; charset=utf-8"
		}
		files["/"+e.Name()] = file{body: body, contentType: ct}
	}
	s := &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			f, ok := files[string(ctx.Path())]
			if !ok {
				ctx.SetStatusCode(fasthttp.StatusNotFound)
				return
			}
			ctx.SetContentType(f.contentType)
			ctx.Response.SetBodyRaw(f.body)
		},
		// As platform/web sets up the Fiber app it serves.
		ReadBufferSize:    16 * 1024,
		WriteBufferSize:   16 * 1024,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ReduceMemoryUsage: true,
	}
	return s.ListenAndServe(addr)
}
