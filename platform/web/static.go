package web

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// StaticHandler serves files under static/ of fsys. A request carrying the
// file's current hash (?v=) is cached for a year; others for five minutes.
func StaticHandler(fsys fs.FS, r *Renderer) fiber.Handler {
	return func(c *fiber.Ctx) error {
		name := path.Clean(c.Params("*"))
		if name == "." || strings.HasPrefix(name, "..") || strings.Contains(name, "/../") {
			return fiber.ErrNotFound
		}
		b, err := fs.ReadFile(fsys, "static/"+name)
		if err != nil {
			return fiber.ErrNotFound
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		c.Set(fiber.HeaderContentType, ct)
		c.Set("X-Content-Type-Options", "nosniff")
		if v := c.Query("v"); v != "" && v == r.StaticHash(name) {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		}
		return c.Send(b)
	}
}
