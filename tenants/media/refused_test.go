package media

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// TestRefusedUpload: a body refused for its length on an upload route is
// answered with the file limit (media_too_large), never the body limit;
// other routes and other errors are left as they are.
func TestRefusedUpload(t *testing.T) {
	s := &Service{opts: Options{MaxBytes: 20 << 20}}
	bodyLimit := web.ErrBodyTooLarge(21 << 20)
	other := errors.New("boom")
	var got error
	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error {
		err := bodyLimit
		if c.Get("X-Other") != "" {
			err = other
		}
		got = s.RefusedUpload(c, err)
		return nil
	})
	var paths []string
	for _, r := range UploadRoutes {
		m, p, _ := strings.Cut(string(r), " ")
		if m != fiber.MethodPost {
			t.Fatalf("upload route %q is not a POST", r)
		}
		paths = append(paths, strings.ReplaceAll(p, ":slug", "hoa-mai"))
	}
	send := func(method, path string, headers ...string) error {
		t.Helper()
		got = nil
		req := httptest.NewRequest(method, path, nil)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		if _, err := app.Test(req, -1); err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, p := range paths {
		err := send(fiber.MethodPost, p)
		code, msg, _ := errs.Public(err)
		if code != "media_too_large" || msg != "Tệp quá lớn: tối đa 20 MB" || web.Status(err) != fiber.StatusRequestEntityTooLarge {
			t.Errorf("POST %s: %s %q (%d), want media_too_large naming 20 MB", p, code, msg, web.Status(err))
		}
		if err := send(fiber.MethodPost, p, "X-Other", "1"); err != other {
			t.Errorf("POST %s: another error became %v", p, err)
		}
	}
	for _, p := range []string{"/tai-khoan", "/t/hoa-mai/thu-vien/abc", "/t/hoa-mai/bai-viet", "/api/v1/tenants/hoa-mai/posts"} {
		if err := send(fiber.MethodPost, p); err != bodyLimit {
			t.Errorf("POST %s: the body limit became %v", p, err)
		}
	}
	if err := send(fiber.MethodPut, paths[0]); err != bodyLimit {
		t.Errorf("PUT %s: the body limit became %v", paths[0], err)
	}
}
