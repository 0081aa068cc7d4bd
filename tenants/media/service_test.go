package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

func TestUploadJPEGWithGPS(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{})
		ctx := context.Background()
		m, err := e.upload("IMG_2024.JPG", jpegWithGPS(t, 1600, 1200, 1), "Học viên thực hành hàn điện")
		if err != nil {
			t.Fatalf("upload: %v", err)
		}
		if m.Kind != KindImage || m.ContentType != "image/jpeg" || m.Width != 1600 || m.Height != 1200 || m.Name != "IMG_2024.JPG" {
			t.Errorf("media %+v", m)
		}
		stored := e.read(m.ObjectKey)
		mustNotLeak(t, stored)
		if int64(len(stored)) != m.Size {
			t.Errorf("size %d, stored %d", m.Size, len(stored))
		}
		if !strings.HasPrefix(m.ObjectKey, blob.TenantPrefix(e.a)) || !strings.Contains(m.ObjectKey, m.SHA256) {
			t.Errorf("key %q is not the tenant's content-hashed key", m.ObjectKey)
		}
		if len(m.Renditions) != 0 {
			t.Errorf("renditions made on the request path: %+v", m.Renditions)
		}
		e.runJobs()
		m, err = Get(ctx, e.db, e.a, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var widths []int
		for _, r := range m.Renditions {
			widths = append(widths, r.Width)
			img, err := jpeg.Decode(bytes.NewReader(e.read(r.ObjectKey)))
			if err != nil {
				t.Fatalf("rendition %d: %v", r.Width, err)
			}
			if img.Bounds().Dx() != r.Width || img.Bounds().Dy() != r.Height || r.Height != r.Width*3/4 {
				t.Errorf("rendition %d is %v (row height %d)", r.Width, img.Bounds(), r.Height)
			}
		}
		if !slices.Equal(widths, []int{320, 640, 1280}) {
			t.Errorf("rendition widths %v", widths)
		}
		set := SrcSet(m)
		for _, want := range []string{"/r/320.jpg 320w", "/r/640.jpg 640w", "/r/1280.jpg 1280w", m.Path() + " 1600w"} {
			if !strings.Contains(set, want) {
				t.Errorf("srcset %q lacks %q", set, want)
			}
		}
		h, err := ImageHTML(ctx, e.db, e.a, m.ID)
		if err != nil || !strings.Contains(string(h), `srcset="`) || !strings.Contains(string(h), `alt="Học viên thực hành hàn điện"`) {
			t.Errorf("ImageHTML = %s, %v", h, err)
		}
		if _, err := ImageHTML(ctx, e.db, e.b, m.ID); !errs.Is(err, errs.KindNotFound) {
			t.Errorf("tenant B's ImageHTML of A's media: %v", err)
		}
		e.runJobs() // idempotent: nothing more to do
		if m2, _ := Get(ctx, e.db, e.a, m.ID); len(m2.Renditions) != 3 {
			t.Errorf("renditions after a second run: %d", len(m2.Renditions))
		}
	})
}

func TestRotatedPhotoStaysUpright(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	m, err := e.upload("doc.jpg", jpegWithGPS(t, 800, 600, 6), "Ảnh chụp dọc")
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 600 || m.Height != 800 {
		t.Errorf("displayed size %d×%d, want 600×800", m.Width, m.Height)
	}
	mustNotLeak(t, e.read(m.ObjectKey))
	e.runJobs()
	m, _ = Get(context.Background(), e.db, e.a, m.ID)
	if len(m.Renditions) != 1 || m.Renditions[0].Width != 320 || m.Renditions[0].Height != 427 {
		t.Fatalf("renditions %+v", m.Renditions)
	}
	img, _, err := image.DecodeConfig(bytes.NewReader(e.read(m.Renditions[0].ObjectKey)))
	if err != nil || img.Width != 320 || img.Height != 427 {
		t.Errorf("rendition %+v, %v: not upright", img, err)
	}
}

func TestOtherFormats(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	tests := []struct {
		name, file string
		data       []byte
		alt        string
		kind       Kind
		ct         string
		renditions int
	}{
		{"png without text chunks", "so-do.png", pngWithText(t, 700, 300), "Sơ đồ", KindImage, "image/png", 2},
		{"webp without exif", "a.webp", webpWithExif(t), "Điểm ảnh", KindImage, "image/webp", 0},
		{"still gif", "a.gif", gifFile(t, 400, 100, 1), "Biểu đồ", KindImage, "image/gif", 1},
		{"animated gif keeps moving", "b.gif", gifFile(t, 500, 100, 3), "Hoạt hình", KindImage, "image/gif", 0},
		{"pdf", "Kế hoạch.pdf", pdfFile(), "", KindDocument, "application/pdf", 0},
		{"docx", "bao-cao.docx", officeZip(t, docxMain), "", KindDocument, typeDOCX.ContentType, 0},
		{"xlsx named .zip", "so-lieu.zip", officeZip(t, xlsxMain), "", KindDocument, typeXLSX.ContentType, 0},
		{"mp4", "clip.mp4", mp4File("isom", 4096), "", KindVideo, "video/mp4", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := e.upload(tt.file, tt.data, tt.alt)
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != tt.kind || m.ContentType != tt.ct {
				t.Errorf("kind %s, type %s", m.Kind, m.ContentType)
			}
			mustNotLeak(t, e.read(m.ObjectKey))
			e.runJobs()
			m, _ = Get(context.Background(), e.db, e.a, m.ID)
			if len(m.Renditions) != tt.renditions {
				t.Errorf("%d renditions, want %d", len(m.Renditions), tt.renditions)
			}
			if strings.HasSuffix(tt.ct, "gif") && tt.renditions > 0 && m.Renditions[0].Format != "gif" {
				t.Errorf("GIF rendition format %q", m.Renditions[0].Format)
			}
		})
	}
}

// refused checks that err is a refusal with the given status and code.
func refused(t *testing.T, err error, status int, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want %d %s", status, code)
	}
	got, _, _ := errs.Public(err)
	if web.Status(err) != status || got != code {
		t.Errorf("refused with %d %s (%v); want %d %s", web.Status(err), got, err, status, code)
	}
}

func TestRefusalsLeaveNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, store blob.Store) {
		e := newEnv(t, store, Options{MaxBytes: 256 << 10})
		big := append(pdfFile(), bytes.Repeat([]byte("x"), 300<<10)...)
		tests := []struct {
			name, file string
			data       []byte
			alt        string
			status     int
			code       string
		}{
			{"php renamed .jpg", "shell.jpg", []byte(phpAsJPEG), "ảnh", 415, "media_type_unsupported"},
			{"svg with script", "logo.svg", []byte(svgScript), "logo", 415, "media_type_unsupported"},
			{"html", "trang.html", []byte("<html><body onload=alert(1)>"), "", 415, "media_type_unsupported"},
			{"pixel flood png", "flood.png", pixelFloodPNG(), "lũ điểm ảnh", 422, "media_image_too_large"},
			{"over the size limit", "lon.pdf", big, "", 413, "media_too_large"},
			{"image without alt", "anh.jpg", plainJPEG(t, 50, 50), "  ", 400, "media_alt_required"},
			{"zip that is not office", "a.docx", officeZip(t, ""), "", 415, "media_type_unsupported"},
			{"macro document", "a.docx", officeZip(t, docxMain, "word/vbaProject.bin"), "", 415, "media_type_unsupported"},
			{"png header only", "cut.png", pixelFloodPNG()[:20], "x", 422, "media_image_invalid"},
			{"empty", "empty.jpg", nil, "x", 400, "media_empty"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := e.upload(tt.file, tt.data, tt.alt)
				refused(t, err, tt.status, tt.code)
				if keys := e.objects(e.a); len(keys) != 0 {
					t.Errorf("objects left: %v", keys)
				}
				if n := e.rows(); n != 0 {
					t.Errorf("%d rows left", n)
				}
			})
		}
		t.Run("no temporary file left", func(t *testing.T) {
			matches, _ := filepath.Glob(filepath.Join(os.TempDir(), "trangtin-upload-*"))
			clean, _ := filepath.Glob(filepath.Join(os.TempDir(), "trangtin-clean-*"))
			if len(matches)+len(clean) > 0 {
				t.Logf("temporary files present (maybe of parallel tests): %v %v", matches, clean)
			}
		})
	})
}

func TestPixelFloodIsNotDecoded(t *testing.T) {
	e := newEnv(t, storeCases()[0].make(t), Options{})
	flood := pixelFloodPNG()
	if len(flood) > 1100 {
		t.Fatalf("flood file is %d bytes", len(flood))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := e.upload("flood.png", flood, "x")
	runtime.ReadMemStats(&after)
	refused(t, err, 422, "media_image_too_large")
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("refusing the flood allocated %d MB: something decoded it", grew>>20)
	}
}

func TestNameIsOnlyForDisplay(t *testing.T) {
	dir := t.TempDir()
	store, err := blob.NewDisk(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, store, Options{})
	m, err := e.upload("../../etc/passwd", plainJPEG(t, 40, 30), "Ảnh")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "passwd" || strings.Contains(m.ObjectKey, "passwd") || strings.Contains(m.ObjectKey, "..") {
		t.Errorf("name %q, key %q", m.Name, m.ObjectKey)
	}
	if _, err := os.Stat(filepath.Join(dir, "etc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("something was written next to the media directory: %v", err)
	}
}
