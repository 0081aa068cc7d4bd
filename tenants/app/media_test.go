package app_test

// The media library through the real HTTP stack: uploads through the API
// and the console, serving on the tenant's own host only, renditions made
// by the job worker, refusals that leave nothing behind, deletion of used
// media, and a MinIO outage in the middle of an upload. Every test runs on
// the disk store and, when TRANGTIN_TEST_S3_ENDPOINT is set (always in
// CI), on MinIO; the database is SQLite or PostgreSQL as dbtest chooses.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"go/build"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/provision"
)

const (
	mtAdminHost = "admin.localhost"
	mtHostA     = "hoamai.gov.vn"
	mtHostB     = "hoadao.gov.vn"
	mtSecret    = "GPS-SECRET-16.4637N-107.5909E"
	mtPassword  = apptest.Password
)

// mtWorld is an app with tenants hoa-mai (A) and hoa-dao (B), a site admin
// of A and an editor of B, each with an API token.
type mtWorld struct {
	t       *testing.T
	cfg     config.Config
	bdb     *bun.DB
	a       *app.App
	tenants map[string]*tenancy.Tenant
	tokens  map[string]string
	emails  map[string]string
}

// mtStoreConfigs are the media stores a test runs on: "disk" (the
// embedded default) and "minio" (a fresh bucket on the test server).
func mtStoreConfigs(t *testing.T) map[string]func(*config.Config) {
	t.Helper()
	return map[string]func(*config.Config){
		"disk": func(*config.Config) {},
		"minio": func(c *config.Config) {
			endpoint := os.Getenv("TRANGTIN_TEST_S3_ENDPOINT")
			if endpoint == "" {
				if os.Getenv("CI") == "true" {
					t.Fatal("TRANGTIN_TEST_S3_ENDPOINT is unset: CI must run the media tests against MinIO")
				}
				t.Skip("TRANGTIN_TEST_S3_ENDPOINT is unset; scripts/minio.sh start && eval \"$(scripts/minio.sh env)\"")
			}
			c.S3Endpoint, c.S3AccessKey, c.S3SecretKey = endpoint, os.Getenv("TRANGTIN_TEST_S3_ACCESS_KEY"), os.Getenv("TRANGTIN_TEST_S3_SECRET_KEY")
			c.S3Bucket = "media-app-" + mtRandom(5)
		},
	}
}

// mtEachStore runs fn once per media store.
func mtEachStore(t *testing.T, fn func(t *testing.T, mutate func(*config.Config))) {
	for _, name := range []string{"disk", "minio"} {
		t.Run(name, func(t *testing.T) { fn(t, mtStoreConfigs(t)[name]) })
	}
}

func mtRandom(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newMtWorld(t *testing.T, mutate func(*config.Config)) *mtWorld {
	t.Helper()
	var people []apptest.Person
	for _, pp := range []struct{ key, tenant, role string }{
		{"adminA", "hoa-mai", authz.RoleSiteAdmin}, {"editorA", "hoa-mai", authz.RoleEditor}, {"editorB", "hoa-dao", authz.RoleEditor},
	} {
		people = append(people, apptest.Person{Key: pp.key, Email: pp.key + "@hoa.gov.vn", Name: pp.key, Tenant: pp.tenant, Role: pp.role})
	}
	world := apptest.New(t, apptest.Options{
		Org: []provision.Input{
			{Slug: "so-hoa", Name: "Sở Hoa", Kind: tenancy.KindDepartment},
			{Slug: "hoa-mai", Name: "Trung tâm Hoa Mai", Kind: tenancy.KindUnit, Parent: "so-hoa", Domains: []string{mtHostA}},
			{Slug: "hoa-dao", Name: "Trung tâm Hoa Đào", Kind: tenancy.KindUnit, Parent: "so-hoa", Domains: []string{mtHostB}},
		},
		People: people,
		Config: mutate,
	})
	w := &mtWorld{t: t, cfg: world.Config, bdb: world.DB, a: world.App, tenants: world.Tenants, tokens: world.Tokens("media"), emails: map[string]string{}}
	for key, acc := range world.Accounts {
		w.emails[key] = acc.Email
	}
	return w
}

// mtReply is an HTTP answer.
type mtReply struct {
	status int
	header http.Header
	body   []byte
}

func (r mtReply) String() string {
	b := string(r.body)
	if len(b) > 800 {
		b = b[:800] + "…"
	}
	return http.StatusText(r.status) + ": " + b
}

// do sends req to the app with host and, if set, a bearer token.
func (w *mtWorld) do(req *http.Request, host, token string) mtReply {
	w.t.Helper()
	req.Host, req.RequestURI = host, ""
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := w.a.HTTP.Test(req, -1)
	if err != nil {
		w.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return mtReply{status: res.StatusCode, header: res.Header, body: b}
}

// get fetches a path on a host with optional header pairs.
func (w *mtWorld) get(host, path, token string, headers ...string) mtReply {
	w.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return w.do(req, host, token)
}

// multipartBody builds an upload form: fields first, then the file.
func multipartBody(name string, data []byte, fields map[string]string) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", "image/jpeg") // what the client claims: never believed
	fw, _ := mw.CreatePart(h)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// upload posts a file through the API as who into tenant slug.
func (w *mtWorld) upload(who, slug, name string, data []byte, fields map[string]string) mtReply {
	w.t.Helper()
	ct, body := multipartBody(name, data, fields)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/tenants/"+slug+"/media", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return w.do(req, mtAdminHost, w.tokens[who])
}

// mtView is the API's media shape.
type mtView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Path        string `json:"path"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Width       *int   `json:"width"`
	Height      *int   `json:"height"`
	Alt         string `json:"alt"`
	Caption     string `json:"caption"`
	Renditions  []struct {
		Width int    `json:"width"`
		URL   string `json:"url"`
	} `json:"renditions"`
	Usage *int `json:"usage"`
}

func (w *mtWorld) view(r mtReply, want int) mtView {
	w.t.Helper()
	if r.status != want {
		w.t.Fatalf("status %d, want %d: %s", r.status, want, r)
	}
	var v mtView
	if err := json.Unmarshal(r.body, &v); err != nil {
		w.t.Fatalf("decode media: %v: %s", err, r.body)
	}
	return v
}

// apiError decodes an error answer.
func apiError(t *testing.T, r mtReply) (code, message string) {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %s", r)
	}
	return e.Error.Code, e.Error.Message
}

// store opens the app's media store, to look behind the API.
func (w *mtWorld) store() blob.Store {
	w.t.Helper()
	s, err := media.OpenStore(context.Background(), w.cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// objects lists the keys under tenant slug's prefix.
func (w *mtWorld) objects(slug string) []string {
	w.t.Helper()
	var keys []string
	err := w.store().List(context.Background(), blob.TenantPrefix(w.tenants[slug].ID), func(in blob.Info) error {
		keys = append(keys, in.Key)
		return nil
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return keys
}

func (w *mtWorld) mediaRows() int {
	w.t.Helper()
	var n int
	if err := w.bdb.NewRaw("SELECT COUNT(*) FROM media").Scan(context.Background(), &n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *mtWorld) runJobs() {
	w.t.Helper()
	if _, err := w.a.Jobs.RunOnce(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// gpsJPEG is a w×h JPEG with an EXIF segment holding GPS data and a camera.
func gpsJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	tiff := []byte("MM\x00\x2A\x00\x00\x00\x08\x00\x01\x88\x25\x00\x04\x00\x00\x00\x01\x00\x00\x00\x1A\x00\x00\x00\x00")
	tiff = append(tiff, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02)
	tiff = binary.BigEndian.AppendUint32(tiff, uint32(len(mtSecret)+1))
	tiff = binary.BigEndian.AppendUint32(tiff, 0x1A+2+12+4)
	tiff = append(tiff, 0, 0, 0, 0)
	tiff = append(tiff, mtSecret+"\x00"...)
	seg := append([]byte{0xFF, 0xE1, 0, 0}, "Exif\x00\x00"...)
	seg = append(seg, tiff...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
	raw := b.Bytes()
	return append(append(append([]byte(nil), raw[:2]...), seg...), raw[2:]...)
}

// floodPNG is a ~1 KB PNG claiming 50,000 × 50,000 pixels.
func floodPNG() []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(append(out, typ...), data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 50000), 50000)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", append([]byte{0x78, 0x9C}, make([]byte, 960)...))...)
	return append(out, chunk("IEND", nil)...)
}

// mp4Bytes is an ftyp box and an mdat box of n patterned bytes.
func mp4Bytes(n int) []byte {
	out := append([]byte{0, 0, 0, 20}, "ftypisom\x00\x00\x02\x00mp41"...)
	out = binary.BigEndian.AppendUint32(out, uint32(8+n))
	out = append(out, "mdat"...)
	for i := range n {
		out = append(out, byte(i*31+i/256))
	}
	return out
}

// addPost inserts an item of tenant slug that uses media in its body.
func (w *mtWorld) addPost(slug, title, status, body string) {
	w.t.Helper()
	now := time.Now().UTC()
	_, err := w.bdb.ExecContext(context.Background(), `INSERT INTO posts (tenant_id, id, slug, title, body, type, status, author_id,
		created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, 'news', ?, 'x', ?, ?, 'x')`,
		w.tenants[slug].ID, db.NewID(), "bai-"+mtRandom(4), title, body, status, now, now)
	if err != nil {
		w.t.Fatal(err)
	}
}

func mtHas(t *testing.T, r mtReply, header, want string) {
	t.Helper()
	if got := r.header.Get(header); !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", header, got, want)
	}
}

func TestMediaUploadServeAndRenditions(t *testing.T) {
	mtEachStore(t, func(t *testing.T, mutate func(*config.Config)) {
		w := newMtWorld(t, mutate)
		v := w.view(w.upload("adminA", "hoa-mai", "IMG_0001.JPG", gpsJPEG(t, 1400, 900),
			map[string]string{"alt": "Lễ khai giảng lớp nghề", "caption": "Khai giảng", "credit": "Phóng viên A"}), http.StatusCreated)
		if v.ContentType != "image/jpeg" || v.Width == nil || *v.Width != 1400 || *v.Height != 900 || v.Alt != "Lễ khai giảng lớp nghề" {
			t.Errorf("media %+v", v)
		}
		if !strings.HasPrefix(v.URL, "http://"+mtHostA+"/media/"+v.ID+"/") || len(v.Renditions) != 0 {
			t.Errorf("url %q, renditions %v", v.URL, v.Renditions)
		}

		t.Run("served on A's host without EXIF", func(t *testing.T) {
			r := w.get(mtHostA, v.Path, "")
			if r.status != http.StatusOK {
				t.Fatalf("GET %s: %s", v.Path, r)
			}
			if bytes.Contains(r.body, []byte(mtSecret)) || bytes.Contains(r.body, []byte("Exif\x00\x00")) {
				t.Error("served image still carries its EXIF")
			}
			if _, err := jpeg.Decode(bytes.NewReader(r.body)); err != nil {
				t.Errorf("served image does not decode: %v", err)
			}
			mtHas(t, r, "Content-Type", "image/jpeg")
			mtHas(t, r, "X-Content-Type-Options", "nosniff")
			mtHas(t, r, "Cache-Control", "public, max-age=31536000, immutable")
			mtHas(t, r, "Content-Disposition", "inline")
			etag := r.header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			if r := w.get(mtHostA, v.Path, "", "If-None-Match", etag); r.status != http.StatusNotModified || len(r.body) != 0 {
				t.Errorf("If-None-Match: %s", r)
			}
		})

		t.Run("tenant B's host does not serve A's media", func(t *testing.T) {
			key := w.objects("hoa-mai")[0]
			for _, p := range []string{v.Path, "/media/" + v.ID + "/r/320.jpg", "/media/" + key, "/media/" + v.ID + "/../../" + key, "/" + key} {
				for _, host := range []string{mtHostB, "hoa-dao.localhost", "so-hoa.localhost"} {
					if r := w.get(host, p, ""); r.status != http.StatusNotFound || bytes.Contains(r.body, []byte{0xFF, 0xD8}) {
						t.Errorf("GET %s%s: %d", host, p, r.status)
					}
				}
			}
			if r := w.get(mtAdminHost, "/api/v1/tenants/hoa-mai/media/"+v.ID, w.tokens["editorB"]); r.status != http.StatusNotFound {
				t.Errorf("B's editor reads A's media through the API: %s", r)
			}
			if r := w.get(mtAdminHost, "/api/v1/tenants/hoa-dao/media/"+v.ID, w.tokens["editorB"]); r.status != http.StatusNotFound {
				t.Errorf("A's media under B's slug: %s", r)
			}
		})

		t.Run("renditions appear after the worker runs", func(t *testing.T) {
			w.runJobs()
			got := w.view(w.get(mtAdminHost, "/api/v1/tenants/hoa-mai/media/"+v.ID, w.tokens["editorA"]), http.StatusOK)
			var widths []int
			for _, r := range got.Renditions {
				widths = append(widths, r.Width)
				path := strings.TrimPrefix(r.URL, "http://"+mtHostA)
				res := w.get(mtHostA, path, "")
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(res.body))
				if res.status != http.StatusOK || err != nil || cfg.Width != r.Width {
					t.Errorf("rendition %s: %d, %v, width %d", path, res.status, err, cfg.Width)
				}
				mtHas(t, res, "Cache-Control", "immutable")
			}
			if len(widths) != 3 || widths[0] != 320 || widths[2] != 1280 {
				t.Errorf("rendition widths %v", widths)
			}
			h, err := media.ImageHTML(context.Background(), w.bdb, w.tenants["hoa-mai"].ID, v.ID)
			if err != nil || !strings.Contains(string(h), "/r/640.jpg 640w") || !strings.Contains(string(h), `sizes="`) {
				t.Errorf("ImageHTML: %s, %v", h, err)
			}
		})
	})
}

func TestMediaRefusalsOverHTTP(t *testing.T) {
	mtEachStore(t, func(t *testing.T, mutate func(*config.Config)) {
		w := newMtWorld(t, func(c *config.Config) { mutate(c); c.MediaMaxBytes = 512 << 10 })
		big := append([]byte("%PDF-1.5\n"), make([]byte, 600<<10)...)
		tests := []struct {
			name, file string
			data       []byte
			alt        string
			status     int
			code       string
		}{
			{"PHP renamed .jpg", "anh.jpg", []byte("<?php system($_GET['c']); ?>"), "ảnh", 415, "media_type_unsupported"},
			{"SVG with script", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "logo", 415, "media_type_unsupported"},
			{"pixel flood PNG", "lu.png", floodPNG(), "ảnh", 422, "media_image_too_large"},
			{"over the limit", "lon.pdf", big, "", 413, "media_too_large"},
			{"image without alt", "anh.jpg", gpsJPEG(t, 30, 20), "", 400, "media_alt_required"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := w.upload("editorA", "hoa-mai", tt.file, tt.data, map[string]string{"alt": tt.alt})
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r)
				}
				code, msg := apiError(t, r)
				if code != tt.code || msg == "" || !strings.ContainsAny(msg, "ảệôưđ") {
					t.Errorf("error %s %q, want code %s with a Vietnamese message", code, msg, tt.code)
				}
				if keys := w.objects("hoa-mai"); len(keys) != 0 || w.mediaRows() != 0 {
					t.Errorf("left behind: objects %v, %d rows", keys, w.mediaRows())
				}
			})
		}
		t.Run("a path as a name is only a display name", func(t *testing.T) {
			v := w.view(w.upload("editorA", "hoa-mai", "../../etc/passwd", gpsJPEG(t, 40, 30), map[string]string{"alt": "Ảnh"}), http.StatusCreated)
			if !strings.HasSuffix(v.Path, "/passwd.jpg") {
				t.Errorf("path %q", v.Path)
			}
			for _, k := range w.objects("hoa-mai") {
				if strings.Contains(k, "passwd") || strings.Contains(k, "..") {
					t.Errorf("key %q carries the name", k)
				}
			}
			if _, err := os.Stat(w.cfg.DataDir + "/etc"); err == nil {
				t.Error("a file was written outside the media folder")
			}
		})
		t.Run("contributor of B cannot upload into A", func(t *testing.T) {
			r := w.upload("editorB", "hoa-mai", "a.jpg", gpsJPEG(t, 40, 30), map[string]string{"alt": "x"})
			if r.status != http.StatusNotFound {
				t.Errorf("status %d: %s", r.status, r)
			}
		})
	})
}

func TestMediaRangesAndDocuments(t *testing.T) {
	w := newMtWorld(t, nil)
	data := mp4Bytes(100 << 10)
	v := w.view(w.upload("editorA", "hoa-mai", "clip.mp4", data, nil), http.StatusCreated)
	if v.ContentType != "video/mp4" {
		t.Fatalf("type %s", v.ContentType)
	}
	r := w.get(mtHostA, v.Path, "", "Range", "bytes=1000-1999")
	if r.status != http.StatusPartialContent || !bytes.Equal(r.body, data[1000:2000]) {
		t.Fatalf("range: %d, %d bytes", r.status, len(r.body))
	}
	mtHas(t, r, "Content-Range", "bytes 1000-1999/"+itoa(len(data)))
	mtHas(t, r, "Accept-Ranges", "bytes")
	if r := w.get(mtHostA, v.Path, "", "Range", "bytes=-100"); r.status != 206 || !bytes.Equal(r.body, data[len(data)-100:]) {
		t.Errorf("suffix range: %d, %d bytes", r.status, len(r.body))
	}
	if r := w.get(mtHostA, v.Path, "", "Range", "bytes=99999999-"); r.status != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("unsatisfiable range: %d", r.status)
	}
	if r := w.get(mtHostA, v.Path, "", "Range", "bytes=0-1,5-9"); r.status != 200 || len(r.body) != len(data) {
		t.Errorf("multiple ranges are answered whole: %d, %d bytes", r.status, len(r.body))
	}

	head := w.do(httptest.NewRequest(http.MethodHead, v.Path, nil), mtHostA, "")
	if head.status != http.StatusOK || len(head.body) != 0 || head.header.Get("Content-Length") != itoa(len(data)) {
		t.Errorf("HEAD: %d, %d bytes, Content-Length %q", head.status, len(head.body), head.header.Get("Content-Length"))
	}

	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
	doc := w.view(w.upload("editorA", "hoa-mai", "Kế hoạch 2025.pdf", pdf, nil), http.StatusCreated)
	r = w.get(mtHostA, doc.Path, "")
	if r.status != 200 || !bytes.Equal(r.body, pdf) {
		t.Fatalf("pdf: %s", r)
	}
	mtHas(t, r, "Content-Type", "application/pdf")
	mtHas(t, r, "Content-Disposition", "attachment")
	mtHas(t, r, "Content-Disposition", "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%202025.pdf")
	if doc.Width != nil {
		t.Errorf("a document has a width: %v", *doc.Width)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestMediaDeleteAndConsole(t *testing.T) {
	w := newMtWorld(t, nil)
	v := w.view(w.upload("editorA", "hoa-mai", "a.jpg", gpsJPEG(t, 500, 300), map[string]string{"alt": "Ảnh hội nghị"}), http.StatusCreated)
	w.addPost("hoa-mai", "Hội nghị tổng kết công tác năm", "published", `<p><img src="`+v.Path+`" alt="x"></p>`)
	w.addPost("hoa-mai", "Bản nháp tin tuyển sinh", "draft", `<img src="`+v.Path+`">`)
	del := func(who string) mtReply {
		return w.do(httptest.NewRequest(http.MethodDelete, "/api/v1/tenants/hoa-mai/media/"+v.ID, nil), mtAdminHost, w.tokens[who])
	}
	if r := del("editorA"); r.status != http.StatusForbidden {
		t.Errorf("an editor (media:upload only) deletes: %s", r)
	}
	r := del("adminA")
	if r.status != http.StatusConflict {
		t.Fatalf("delete of used media: %s", r)
	}
	if code, msg := apiError(t, r); code != "media_in_use" || !strings.Contains(msg, "Hội nghị tổng kết công tác năm") || strings.Contains(msg, "Bản nháp") {
		t.Errorf("refusal %s %q must name the published item only", code, msg)
	}
	got := w.view(w.get(mtAdminHost, "/api/v1/tenants/hoa-mai/media/"+v.ID, w.tokens["adminA"]), http.StatusOK)
	if got.Usage == nil || *got.Usage != 2 {
		t.Errorf("usage %v, want 2", got.Usage)
	}

	t.Run("console library", func(t *testing.T) {
		c := newMtBrowser(t, w, "adminA")
		page := c.get("/t/hoa-mai/thu-vien")
		for _, want := range []string{"Thư viện ảnh", "Dùng trong 2 bài", `enctype="multipart/form-data"`, `name="_csrf"`, "Ảnh hội nghị"} {
			if !strings.Contains(page, want) {
				t.Errorf("library page lacks %q", want)
			}
		}
		if home := c.get("/t/hoa-mai"); !strings.Contains(home, `href="/t/hoa-mai/thu-vien"`) {
			t.Error("the tenant menu has no library entry")
		}
		if p := c.get("/t/hoa-mai/thu-vien?q=kh%C3%B4ng-c%C3%B3"); strings.Contains(p, "Ảnh hội nghị") {
			t.Error("search does not filter")
		}
		detail := c.get("/t/hoa-mai/thu-vien/" + v.ID)
		if !strings.Contains(detail, "Hội nghị tổng kết công tác năm") || !strings.Contains(detail, v.Path) {
			t.Error("detail page lacks the items using the media or its path")
		}
		res := c.upload("/t/hoa-mai/thu-vien", "anh-moi.jpg", gpsJPEG(t, 60, 40), "Ảnh mới")
		if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "/t/hoa-mai/thu-vien/") {
			t.Fatalf("console upload: %s", res)
		}
		res = c.upload("/t/hoa-mai/thu-vien", "logo.svg", []byte(`<svg><script>alert(1)</script></svg>`), "x")
		if res.status != http.StatusUnsupportedMediaType || !strings.Contains(string(res.body), "Loại tệp không được chấp nhận") {
			t.Errorf("console refusal: %s", res)
		}
		preview := c.get("/t/hoa-mai/thu-vien/" + v.ID + "/tep/a.jpg")
		if !strings.HasPrefix(preview, "\xFF\xD8") {
			t.Error("console preview is not the image")
		}
	})

	t.Run("unused media can be deleted", func(t *testing.T) {
		if _, err := w.bdb.ExecContext(context.Background(), "UPDATE posts SET status = 'draft'"); err != nil {
			t.Fatal(err)
		}
		if r := del("adminA"); r.status != http.StatusNoContent {
			t.Fatalf("delete: %s", r)
		}
		if r := w.get(mtHostA, v.Path, ""); r.status != http.StatusNotFound {
			t.Errorf("deleted media still served: %d", r.status)
		}
	})
}

// mtBrowser is a signed-in console session.
type mtBrowser struct {
	t   *testing.T
	w   *mtWorld
	jar map[string]string
}

func newMtBrowser(t *testing.T, w *mtWorld, who string) *mtBrowser {
	t.Helper()
	b := &mtBrowser{t: t, w: w, jar: map[string]string{}}
	form := "email=" + w.emails[who] + "&password=" + mtPassword
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := b.send(req); r.status != http.StatusSeeOther || b.jar[account.CookieName] == "" {
		t.Fatalf("login: %s", r)
	}
	return b
}

func (b *mtBrowser) send(req *http.Request) mtReply {
	b.t.Helper()
	for k, v := range b.jar {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	req.Host, req.RequestURI = mtAdminHost, ""
	res, err := b.w.a.HTTP.Test(req, -1)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.jar, c.Name)
		} else {
			b.jar[c.Name] = c.Value
		}
	}
	return mtReply{status: res.StatusCode, header: res.Header, body: body}
}

// get fetches a console page that must answer 200.
func (b *mtBrowser) get(path string) string {
	b.t.Helper()
	r := b.send(httptest.NewRequest(http.MethodGet, path, nil))
	if r.status != http.StatusOK {
		b.t.Fatalf("GET %s: %s", path, r)
	}
	return string(r.body)
}

// upload sends the library's upload form as a browser would: the CSRF
// token in the action's query string and in a field.
func (b *mtBrowser) upload(path, name string, data []byte, alt string) mtReply {
	b.t.Helper()
	return b.uploadWith(path, name, data, map[string]string{"alt": alt})
}

// csrf is the session's form token, as a console page carries it.
func (b *mtBrowser) csrf() string {
	b.t.Helper()
	page := b.get("/tai-khoan")
	i := strings.Index(page, `name="_csrf" value="`)
	if i < 0 {
		b.t.Fatal("no CSRF token")
	}
	tok := page[i+len(`name="_csrf" value="`):]
	return tok[:strings.IndexByte(tok, '"')]
}

// mtMinioBinary finds the MinIO server scripts/minio.sh installs.
func mtMinioBinary() string {
	if p := os.Getenv("TRANGTIN_MINIO_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath("minio"); err == nil {
		return p
	}
	for _, d := range append([]string{os.Getenv("GOBIN")}, filepath.SplitList(build.Default.GOPATH)...) {
		for _, p := range []string{filepath.Join(d, "minio"), filepath.Join(d, "bin", "minio")} {
			if fi, err := os.Stat(p); d != "" && err == nil && fi.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}

func mtFreeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// mtMinio is a MinIO server owned by one test.
type mtMinio struct {
	t         *testing.T
	bin, addr string
	dir       string
	cmd       *exec.Cmd
}

func (m *mtMinio) start() {
	m.t.Helper()
	m.cmd = exec.Command(m.bin, "server", "--quiet", "--address", m.addr, "--console-address", mtFreeAddr(m.t), m.dir)
	m.cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=trangtin", "MINIO_ROOT_PASSWORD=trangtin-secret", "MINIO_BROWSER=off")
	if err := m.cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err := client.Get("http://" + m.addr + "/minio/health/live"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	m.t.Fatalf("MinIO did not answer at %s", m.addr)
}

// kill stops the server abruptly, as a crash would.
func (m *mtMinio) kill() {
	if m.cmd != nil && m.cmd.ProcessState == nil {
		_ = m.cmd.Process.Kill()
		_ = m.cmd.Wait()
	}
}

// killingBody streams a multipart upload and kills MinIO once part of the
// file is sent.
func killingBody(t *testing.T, file []byte, killAt int, kill func()) (string, io.Reader) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", "clip.mp4")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		for off := 0; off < len(file); off += 64 << 10 {
			if off >= killAt && kill != nil {
				kill()
				kill = nil
			}
			if _, err := fw.Write(file[off:min(off+64<<10, len(file))]); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	return mw.FormDataContentType(), pr
}

func TestMediaStoreOutage(t *testing.T) {
	bin := mtMinioBinary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no MinIO binary: CI must install it (scripts/minio.sh start)")
		}
		t.Skip("no MinIO binary; scripts/minio.sh start installs it")
	}
	srv := &mtMinio{t: t, bin: bin, addr: mtFreeAddr(t), dir: t.TempDir()}
	srv.start()
	t.Cleanup(srv.kill)
	w := newMtWorld(t, func(c *config.Config) {
		c.S3Endpoint, c.S3AccessKey, c.S3SecretKey, c.S3Bucket = srv.addr, "trangtin", "trangtin-secret", "outage"
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = w.a.HTTP.Listener(ln) }()
	t.Cleanup(func() { _ = w.a.HTTP.Shutdown() })
	base := "http://" + ln.Addr().String()
	post := func(ct string, body io.Reader) mtReply {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/tenants/hoa-mai/media", body)
		req.Host = mtAdminHost
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+w.tokens["editorA"])
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("upload: %v", err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return mtReply{status: res.StatusCode, header: res.Header, body: b}
	}
	readyz := func() (int, string) {
		req, _ := http.NewRequest(http.MethodGet, base+"/readyz", nil)
		req.Host = mtAdminHost
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	clip := mp4Bytes(4 << 20)

	ct, body := killingBody(t, clip, len(clip), nil)
	if r := post(ct, body); r.status != http.StatusCreated {
		t.Fatalf("upload while MinIO runs: %s", r)
	}
	rowsBefore := w.mediaRows()

	ct, body = killingBody(t, mp4Bytes(4<<20+1), 1<<20, srv.kill)
	r := post(ct, body)
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("upload while MinIO dies: %s", r)
	}
	if code, msg := apiError(t, r); code != "media_store_unavailable" || msg == "" {
		t.Errorf("error %s %q", code, msg)
	}
	if w.mediaRows() != rowsBefore {
		t.Error("a row was committed without its object")
	}
	svc, err := app.NewMediaService(context.Background(), w.a)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Ready(context.Background()); !blob.IsUnavailable(err) {
		t.Errorf("Ready while MinIO is down: %v", err)
	}
	t.Run("readyz reports the media store down", func(t *testing.T) {
		status, body := readyz()
		if status != http.StatusServiceUnavailable || !strings.Contains(body, `"media":"down"`) {
			t.Errorf("readyz %d %s", status, body)
		}
	})

	srv.start() // same address, same data: the platform is not restarted
	ct, body = killingBody(t, mp4Bytes(1<<20+2), 0, nil)
	if r := post(ct, body); r.status != http.StatusCreated {
		t.Fatalf("upload after MinIO is back: %s", r)
	}
	if status, body := readyz(); status != http.StatusOK {
		t.Errorf("readyz after MinIO is back: %d %s", status, body)
	}
}

// TestMediaOnTheAdminHost: the /media/ addresses of item bodies answer on
// the admin host to an account that reads the media's tenant, or its
// parent's inbox, and to no one else.
func TestMediaOnTheAdminHost(t *testing.T) {
	w := newMtWorld(t, nil)
	ctx := context.Background()
	v := w.view(w.upload("adminA", "hoa-mai", "anh.jpg", gpsJPEG(t, 200, 100), map[string]string{"alt": "Ảnh"}), http.StatusCreated)
	chief, err := account.CreateWithParams(ctx, w.bdb, account.TestParams(), "chief@hoa.gov.vn", "chief", mtPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := authz.GrantRole(ctx, w.bdb, chief.ID, w.tenants["so-hoa"].ID, authz.RoleEditorInChief); err != nil {
		t.Fatal(err)
	}
	if w.tokens["chief"], _, err = w.a.Accounts.CreateToken(ctx, w.bdb, chief.ID, "media"); err != nil {
		t.Fatal(err)
	}
	if err := w.a.Authz.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int{"editorA": http.StatusOK, "chief": http.StatusOK, "editorB": http.StatusNotFound, "": http.StatusSeeOther} {
		r := w.get(mtAdminHost, v.Path, w.tokens[who])
		if r.status != want {
			t.Errorf("%q: GET admin %s: %s, want %d", who, v.Path, r, want)
		}
		if want == http.StatusOK {
			mtHas(t, r, "Content-Type", "image/jpeg")
			mtHas(t, r, "Cache-Control", "private, max-age=3600")
		}
	}
	if r := w.get(mtAdminHost, "/media/"+v.ID+"-0/anh.jpg", w.tokens["editorA"]); r.status != http.StatusNotFound {
		t.Errorf("unknown id: %s", r)
	}
}
