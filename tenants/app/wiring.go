package app

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/site"
)

// wiring is what a feature's wire function may extend: public site routes
// (site.Handler.Extra), API routes under /api/v1, and the console (its
// Extra routes and menu entries). Public and console routes are registered
// after every feature has wired itself.
type wiring struct {
	Site    *site.Handler
	API     fiber.Router
	Console *console.Handler
	// Posts is the item pages of the console (post.Console), registered
	// first among the console's Extra routes.
	Posts *post.Console
}
