package web

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
)

// DecodeJSON reads a request body strictly: unknown fields and trailing
// data are a 400 with a clear message (code json_invalid).
func DecodeJSON(c *fiber.Ctx, v any) error {
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.Invalid("body", "json_invalid", "Dữ liệu JSON không hợp lệ: "+err.Error())
	}
	if dec.More() {
		return errs.Invalid("body", "json_invalid", "Dữ liệu JSON thừa sau đối tượng")
	}
	return nil
}
