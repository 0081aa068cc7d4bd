// Command peakmem measures the peak resident memory of a trangtin binary
// under the two memory attacks of issue 15, each on a fresh server of its
// own (embedded SQLite, media on disk, the demo organisation):
//
//   - login: one anonymous POST /login of 300 MB with its Content-Length,
//     one of 300 MB chunked, then eight of 60 MB chunked at once;
//   - png: twelve PNGs of 6000×6000 (about 100 KB each, 36 megapixels,
//     under the 40 MP cap) uploaded through the API, and the server's job
//     worker making their renditions.
//
// It reads the server's VmHWM (peak resident set) and VmRSS from
// /proc/<pid>/status, so it runs on Linux. Compare two builds:
//
//	go build -o /tmp/trangtin-new ./cmd/trangtin
//	git archive main | tar -x -C /tmp/main && (cd /tmp/main && go build -o /tmp/trangtin-old ./cmd/trangtin)
//	go run ./bench/peakmem -bin /tmp/trangtin-old
//	go run ./bench/peakmem -bin /tmp/trangtin-new
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	adminHost = "admin.localhost"
	tenant    = "so-ldtbxh" // the demo's Department
	email     = "peakmem@trangtin.local"
	password  = "Đo-bộ-nhớ-đỉnh-2026"
)

func main() {
	bin := flag.String("bin", "bin/trangtin", "the trangtin binary to measure")
	only := flag.String("scenario", "all", "login, png or all")
	flag.Parse()
	if err := run(*bin, *only); err != nil {
		fmt.Fprintln(os.Stderr, "peakmem:", err)
		os.Exit(1)
	}
}

func run(bin, only string) error {
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	for _, sc := range []struct {
		name string
		fn   func(s *server) (string, error)
	}{{"login", loginAttack}, {"png", pngAttack}} {
		if only != "all" && only != sc.name {
			continue
		}
		s, err := start(abs)
		if err != nil {
			return err
		}
		base, _ := s.memory()
		what, err := sc.fn(s)
		peak, rss := s.memory()
		s.stop()
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		fmt.Printf("%-6s %s\n       resident at start %d MB, peak %d MB, at the end %d MB\n", sc.name, what, base>>20, peak>>20, rss>>20)
	}
	return nil
}

// server is a running `trangtin serve` on a data dir of its own.
type server struct {
	cmd   *exec.Cmd
	addr  string
	dir   string
	token string
}

func start(bin string) (*server, error) {
	dir, err := os.MkdirTemp("", "peakmem-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	s := &server{addr: addr, dir: dir}
	env := append(os.Environ(), "TRANGTIN_DATA_DIR="+dir, "TRANGTIN_ADDR="+addr, "TRANGTIN_LOG_FORMAT=json")
	steps := [][]string{{"demo"}, {"user", "create", "--email", email, "--name", "Đo bộ nhớ", "--password-stdin"},
		{"user", "grant", "--email", email, "--tenant", tenant, "--role", "editor-in-chief"}}
	for _, args := range steps {
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(password+"\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%v: %w\n%s", args, err, out)
		}
	}
	tok := exec.Command(bin, "token", "create", "--email", email)
	tok.Env = env
	out, err := tok.Output()
	if err != nil {
		return nil, fmt.Errorf("token create: %w", err)
	}
	for _, f := range strings.Fields(string(out)) {
		if strings.HasPrefix(f, "tt_") {
			s.token = f
		}
	}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = env
	log, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	for range 100 {
		if res, err := http.Get("http://" + addr + "/healthz"); err == nil {
			_ = res.Body.Close()
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, errors.New("the server did not answer /healthz")
}

func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
	_ = os.RemoveAll(s.dir)
}

// memory is the server's peak and current resident set, in bytes.
func (s *server) memory() (peak, rss int64) {
	f, err := os.Open("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmHWM":
			peak = n << 10
		case "VmRSS":
			rss = n << 10
		}
	}
	return peak, rss
}

// zeros is an endless body that costs the client nothing.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// postLogin sends an anonymous login form of n bytes; the answer's status,
// or 0 when the server closed the connection first.
func (s *server) postLogin(n int64, chunked bool) int {
	body := io.MultiReader(strings.NewReader("email=a%40b.vn&password="), io.LimitReader(zeros{}, n))
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/login", body)
	req.Host = adminHost
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.ContentLength = n + 24
	if chunked {
		req.ContentLength = -1
	}
	res, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
	return res.StatusCode
}

func loginAttack(s *server) (string, error) {
	a := s.postLogin(300<<20, false)
	b := s.postLogin(300<<20, true)
	statuses := make([]int, 8)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() { defer wg.Done(); statuses[i] = s.postLogin(60<<20, true) }()
	}
	wg.Wait()
	return fmt.Sprintf("POST /login 300 MB: %d; 300 MB chunked: %d; 8 × 60 MB chunked: %v (0 = connection closed)", a, b, statuses), nil
}

// bigPNG is a 6000×6000 PNG of one colour with a text chunk naming i, so
// each upload is a distinct file.
func bigPNG(i int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, 6000, 6000))
	c := color.NRGBA{R: uint8(20 * i), G: 120, B: 200, A: 255}
	for y := range 6000 {
		for x := range 6000 {
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	text := []byte("Comment\x00peakmem " + strconv.Itoa(i))
	chunk := make([]byte, 0, len(text)+12)
	chunk = append(chunk, byte(len(text)>>24), byte(len(text)>>16), byte(len(text)>>8), byte(len(text)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, text...)
	sum := crc32.ChecksumIEEE(chunk[4:])
	chunk = append(chunk, byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum))
	end := len(b) - 12 // before IEND
	return append(append(append([]byte{}, b[:end]...), chunk...), b[end:]...), nil
}

func (s *server) upload(data []byte, i int) (string, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "anh-"+strconv.Itoa(i)+".png")
	_, _ = fw.Write(data)
	_ = mw.WriteField("alt", "Ảnh thử bộ nhớ "+strconv.Itoa(i))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.addr+"/api/v1/tenants/"+tenant+"/media", &body)
	req.Host = adminHost
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var m struct {
		ID string `json:"id"`
	}
	if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&m) != nil {
		return "", fmt.Errorf("upload %d: status %d", i, res.StatusCode)
	}
	return m.ID, nil
}

func (s *server) renditions(id string) int {
	req, _ := http.NewRequest(http.MethodGet, "http://"+s.addr+"/api/v1/tenants/"+tenant+"/media/"+id, nil)
	req.Host = adminHost
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	var m struct {
		Renditions []json.RawMessage `json:"renditions"`
	}
	_ = json.NewDecoder(res.Body).Decode(&m)
	return len(m.Renditions)
}

func pngAttack(s *server) (string, error) {
	const n = 12
	var ids []string
	size := 0
	for i := range n {
		data, err := bigPNG(i)
		if err != nil {
			return "", err
		}
		size = len(data)
		id, err := s.upload(data, i)
		if err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	start := time.Now()
	for ctx.Err() == nil {
		done := 0
		for _, id := range ids {
			if s.renditions(id) == 3 {
				done++
			}
		}
		if done == n {
			return fmt.Sprintf("%d PNGs of 6000×6000 (%d KB each) uploaded; renditions made in %s", n, size>>10, time.Since(start).Round(time.Second)), nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return "", errors.New("renditions not made within 15 minutes")
}
