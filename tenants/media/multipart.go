package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// Reading an upload from a request.
//
// The platform's server streams request bodies (Fiber's StreamRequestBody):
// the handler reads the multipart body from the connection part by part,
// and the file part goes straight into a temporary file through receive,
// so a 20 MB upload costs a few 64 KB buffers. The fields may come before
// or after the file (browsers send them in form order; API clients as they
// like).
//
// fasthttp, unless told otherwise (DisablePreParseMultipartForm), parses a
// multipart body with a known length before any handler runs, keeping
// files up to 16 MB in memory. When that happened the parsed form is used
// (the bytes are already in memory or in fasthttp's temporary file); see
// the package documentation for the one-line server setting that avoids it.

// formFieldMax bounds a text field of the upload form.
const formFieldMax = 4 << 10

// maxParts bounds the parts of an upload body.
const maxParts = 16

// uploadForm is the upload read from a request: the spooled file and the
// text fields.
type uploadForm struct {
	sp                   *spool
	name                 string
	alt, caption, credit string
}

// readUpload reads the multipart upload of c for tenantID. The caller
// removes the spool. On a refusal of a streamed body the form may come
// back too, without its file, holding the text fields read before it.
func (s *Service) readUpload(ctx context.Context, c *fiber.Ctx, tenantID string) (*uploadForm, error) {
	if stream := web.BodyStream(c); stream != nil {
		ct := string(c.Request().Header.ContentType())
		mt, params, err := mime.ParseMediaType(ct)
		if err == nil && mt == "multipart/form-data" && params["boundary"] != "" {
			u, err := s.readStream(ctx, multipart.NewReader(stream, params["boundary"]), tenantID)
			finishBody(c, stream, err)
			return u, s.sizeRefusal(err)
		}
	}
	form, err := c.MultipartForm()
	if err != nil {
		return nil, errForm("file", "Dữ liệu gửi lên phải là biểu mẫu multipart/form-data có trường file")
	}
	u := &uploadForm{alt: first(form.Value["alt"]), caption: first(form.Value["caption"]), credit: first(form.Value["credit"])}
	files := form.File["file"]
	if len(files) == 0 {
		return nil, errFileRequired()
	}
	f, err := files[0].Open()
	if err != nil {
		return nil, fmt.Errorf("open uploaded file: %w", err)
	}
	defer f.Close()
	u.name = files[0].Filename
	if u.sp, err = s.receive(ctx, tenantID, f); err != nil {
		return nil, err
	}
	return u, nil
}

// sizeRefusal names the file limit when the body passed the route's limit
// (a little larger, for the form's other fields): the person chose a file
// too large, and the body limit is not a number to show.
func (s *Service) sizeRefusal(err error) error {
	if web.IsBodyTooLarge(err) {
		return errTooLarge(s.opts.MaxBytes)
	}
	return err
}

// RefusedUpload is the answer to an upload refused before its handler ran,
// its declared length over the upload routes' body limit (web.Options,
// limitBody): for a POST to an upload route (UploadRoutes, on the admin
// host: the caller checks the host), the file limit as the handler says
// it (media_too_large, "Tệp quá lớn: tối đa 20 MB"), for the console's error
// page and the API's JSON alike; any other error as it is. The app gives it
// to the error handlers (web.MapErrors).
func (s *Service) RefusedUpload(c *fiber.Ctx, err error) error {
	if c.Method() != fiber.MethodPost || !uploadPath(c.Path()) {
		return err
	}
	return s.sizeRefusal(err)
}

// uploadPath reports whether path is one of UploadRoutes'.
func uploadPath(path string) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) == 5 && segs[0] == "api" && segs[1] == "v1" && segs[2] == "tenants" && segs[3] != "" && segs[4] == "media":
		return true
	case len(segs) == 3 && segs[0] == "t" && segs[1] != "" && "/"+segs[2] == LibraryPath:
		return true
	}
	return false
}

// finishBody reads what is left of a streamed body after its last part
// (the epilogue, a chunked body's terminator), so the connection is ready
// for the next request; after a refusal, or with more than a little left,
// the connection is closed after the answer instead.
func finishBody(c *fiber.Ctx, stream io.Reader, err error) {
	if err == nil {
		n, rerr := io.Copy(io.Discard, io.LimitReader(stream, 64<<10))
		if rerr == nil && n < 64<<10 {
			return
		}
	}
	c.Context().SetConnectionClose()
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// readStream reads the parts of a streamed multipart body.
func (s *Service) readStream(ctx context.Context, mr *multipart.Reader, tenantID string) (*uploadForm, error) {
	u := &uploadForm{}
	// A refusal keeps the text fields read so far (a browser sends them
	// before the file), for the form shown again; the file is dropped.
	fail := func(err error) (*uploadForm, error) {
		u.sp.remove()
		return &uploadForm{name: u.name, alt: u.alt, caption: u.caption, credit: u.credit}, err
	}
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(incomplete(err))
		}
		if i >= maxParts {
			return fail(errForm("file", "Biểu mẫu có quá nhiều trường"))
		}
		name := part.FormName()
		if name == "file" {
			if u.sp != nil {
				return fail(errForm("file", "Mỗi lần chỉ tải lên một tệp"))
			}
			u.name = part.FileName()
			if err := web.CheckText("file", u.name, false); err != nil {
				return fail(err)
			}
			if u.sp, err = s.receive(ctx, tenantID, bodyReader{part}); err != nil {
				var be *bodyError
				if errors.As(err, &be) {
					err = incomplete(be)
				}
				return fail(err)
			}
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, formFieldMax+1))
		if err != nil {
			return fail(incomplete(err))
		}
		if len(b) > formFieldMax {
			return fail(errForm(name, "Nội dung trường quá dài"))
		}
		// The input check of the outer app does not read upload bodies.
		if err := web.CheckText(name, string(b), true); err != nil {
			return fail(err)
		}
		switch name {
		case "alt":
			u.alt = string(b)
		case "caption":
			u.caption = string(b)
		case "credit":
			u.credit = string(b)
		}
	}
	if u.sp == nil {
		return nil, errFileRequired()
	}
	return u, nil
}

// bodyError is a failure to read the request body (the client went away,
// or the multipart framing is broken): the client's fault, answered 400.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "read request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// bodyReader marks the errors of a request body reader as bodyError.
type bodyReader struct{ r io.Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		err = &bodyError{err: err}
	}
	return n, err
}

// incomplete is errIncomplete, except for a body over the route's limit,
// which keeps its own answer (413).
func incomplete(cause error) error {
	if web.IsBodyTooLarge(cause) {
		return cause
	}
	return errIncomplete(cause)
}

func errIncomplete(cause error) error {
	return &errs.Error{Kind: errs.KindInvalid, Code: "media_upload_incomplete", Field: "file",
		Message: "Dữ liệu tải lên bị gián đoạn hoặc không đúng định dạng", Err: cause}
}

// addFromRequest reads and commits the upload of c.
func (s *Service) addFromRequest(c *fiber.Ctx, tenantID, actorID string) (*Media, error) {
	ctx := c.UserContext()
	u, err := s.readUpload(ctx, c, tenantID)
	if err != nil {
		return nil, err
	}
	defer u.sp.remove()
	return s.commit(ctx, u.sp, Input{TenantID: tenantID, ActorID: actorID, Name: u.name, Alt: u.alt, Caption: u.caption, Credit: u.credit})
}
