package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/errs"
)

// Input hygiene.
//
// Text that reaches the platform from outside passes checkInput first, in
// the outer app, before any route: the path, every query and form value,
// every string of a JSON body, and every header. A control character (C0,
// DEL or C1; NUL among them) or a byte sequence that is not UTF-8 is
// refused with 400 and the code control_character or invalid_utf8, naming
// the input. Tab, line feed and carriage return are text in a body (a
// multi-line note or an article) and nowhere else; a header may hold a tab
// (RFC 9110). Stores and templates can then rely on clean text: PostgreSQL
// refuses NUL and broken UTF-8 in text columns, and would have answered
// 500. Upload bodies (Options.Uploads) are not read here; their text
// fields go through CheckText in the handler that streams them.

// CheckText refuses s as the value of field when it holds a control
// character other than tab, line feed and carriage return (multiline) or
// is not UTF-8: errs.Invalid with code control_character or invalid_utf8.
func CheckText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return errs.Invalid(field, "invalid_utf8", fmt.Sprintf("Trường %q chứa dữ liệu không phải văn bản UTF-8", field))
	}
	for _, r := range s {
		if control(r, multiline) {
			return errs.Invalid(field, "control_character", fmt.Sprintf("Trường %q chứa ký tự điều khiển không được phép (U+%04X)", field, r))
		}
	}
	return nil
}

func control(r rune, multiline bool) bool {
	switch {
	case r == '\t':
		return false
	case r == '\n' || r == '\r':
		return !multiline
	}
	return r < 0x20 || r >= 0x7f && r <= 0x9f
}

func checkBytes(field string, b []byte, multiline bool) error {
	if utf8.Valid(b) && !bytes.ContainsFunc(b, func(r rune) bool { return control(r, multiline) }) {
		return nil
	}
	return CheckText(field, string(b), multiline)
}

// checkInput is the middleware that applies CheckText to everything a
// request carries as text (see above).
func checkInput(o Options) fiber.Handler {
	return func(c *fiber.Ctx) error {
		req := &c.Context().Request
		if err := checkBytes("path", req.URI().Path(), false); err != nil {
			return err
		}
		if err := checkArgs(req.URI().QueryArgs(), "query", false); err != nil {
			return err
		}
		for k, v := range req.Header.All() {
			if bytes.ContainsFunc(v, func(r rune) bool { return r != '\t' && control(r, false) }) {
				return errs.Invalid(string(k), "control_character", fmt.Sprintf("Tiêu đề %q chứa ký tự điều khiển không được phép", k))
			}
		}
		for _, name := range textHeaders {
			if err := checkBytes(name, req.Header.Peek(name), false); err != nil {
				return err
			}
		}
		if c.Context().RequestBodyStream() != nil || o.isUpload(c) {
			return c.Next() // an upload: streamed, checked by its handler
		}
		if err := checkBody(c); err != nil {
			return err
		}
		return c.Next()
	}
}

// checkArgs checks the names (as field) and values of a query or form.
func checkArgs(args *fasthttp.Args, field string, multiline bool) error {
	for k, v := range args.All() {
		if err := checkBytes(field, k, false); err != nil {
			return err
		}
		if err := checkBytes(string(k), v, multiline); err != nil {
			return err
		}
	}
	return nil
}

// textHeaders are the headers whose values the platform stores or shows
// as text; they must be UTF-8 (others may carry Latin-1 from elsewhere).
var textHeaders = []string{fiber.HeaderHost, fiber.HeaderUserAgent, fiber.HeaderOrigin, fiber.HeaderReferer,
	fiber.HeaderAcceptLanguage, "X-Forwarded-Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-CSRF-Token"}

// checkBody checks a body already in memory by its content type: form
// fields, multipart text fields, JSON strings; any other body as text.
func checkBody(c *fiber.Ctx) error {
	req := &c.Context().Request
	body := req.Body()
	if len(body) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(string(req.Header.ContentType()))
	switch {
	case mt == fiber.MIMEApplicationForm:
		return checkArgs(req.PostArgs(), "form", true)
	case mt == fiber.MIMEMultipartForm:
		form, err := c.MultipartForm()
		if err != nil {
			return errs.Invalid("body", "form_invalid", "Biểu mẫu gửi lên không đọc được")
		}
		for k, vs := range form.Value {
			for _, v := range vs {
				if err := CheckText(k, v, true); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if !utf8.Valid(body) {
		return CheckText("body", string(body), true)
	}
	if json.Valid(body) {
		return checkJSON(body)
	}
	return checkBytes("body", body, true)
}

// checkJSON checks every key and string value of a JSON document (after
// its escapes are decoded: "\u0000" is a NUL), naming the member a bad
// value belongs to.
func checkJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type level struct {
		object  bool
		key     string
		wantKey bool
	}
	stack := []level{{key: "body"}}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil // not JSON after all: the handler's decoder says so
		}
		top := &stack[len(stack)-1]
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				stack = append(stack, level{object: v == '{', key: top.key, wantKey: v == '{'})
				continue
			}
			stack = stack[:len(stack)-1]
		case string:
			if top.object && top.wantKey {
				if err := CheckText("body", v, false); err != nil {
					return err
				}
				top.key, top.wantKey = v, false
				continue
			}
			if err := CheckText(top.key, v, true); err != nil {
				return err
			}
		}
		if top := &stack[len(stack)-1]; top.object {
			top.wantKey = true
		}
	}
}
