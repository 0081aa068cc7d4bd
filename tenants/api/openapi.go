package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/pb33f/libopenapi/datamodel"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	lowv3 "github.com/pb33f/libopenapi/datamodel/low/v3"
)

// descriptionYAML is the OpenAPI 3.1 description of every /api/v1 route.
// A new route needs its description there (see CONTRIBUTING.md).
//
//go:embed openapi.yaml
var descriptionYAML []byte

// DescriptionSource returns the embedded description as written (YAML).
func DescriptionSource() []byte { return append([]byte(nil), descriptionYAML...) }

// Description is the parsed OpenAPI description: its JSON form (served at
// /api/v1/openapi.json), its model (rendered as the reference page) and
// its operations (checked against the route table).
type Description struct {
	JSON  []byte
	Model *v3.Document
	// page is the reference page's data, built once.
	page ReferencePage
}

// LoadDescription parses the embedded description. A description that does
// not parse, or is not OpenAPI 3.1, stops start-up.
func LoadDescription() (*Description, error) {
	// The v3 model is built from its own packages rather than through the
	// libopenapi root package, which also links Swagger 2, Arazzo,
	// overlays and diffs: 16 MB of binary the platform does not use.
	info, err := datamodel.ExtractSpecInfo(descriptionYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi description: %w", err)
	}
	if v := info.Version; !strings.HasPrefix(v, "3.1") {
		return nil, fmt.Errorf("openapi description: version %q, want 3.1", v)
	}
	low, err := lowv3.CreateDocumentFromConfig(info, datamodel.NewDocumentConfiguration())
	if err != nil {
		return nil, fmt.Errorf("openapi description: %w", err)
	}
	model := v3.NewDocument(low)
	// Rendered indented, the JSON keeps the order of the source (compact
	// rendering sorts the keys); Compact then drops the indentation only.
	indented, err := model.RenderJSON(" ")
	if err != nil {
		return nil, fmt.Errorf("openapi description as JSON: %w", err)
	}
	var js bytes.Buffer
	if err := json.Compact(&js, indented); err != nil {
		return nil, fmt.Errorf("openapi description as JSON: %w", err)
	}
	d := &Description{JSON: js.Bytes(), Model: model}
	d.page = d.Reference()
	return d, nil
}

// Operation is one method on one path, as the description writes it
// ("/api/v1/tenants/{slug}/posts").
type Operation struct {
	Method string
	Path   string
	Op     *v3.Operation
	// Params are the path item's parameters followed by the operation's.
	Params []*v3.Parameter
}

// Key is "METHOD /path" with Fiber's parameter syntax (":slug"), the form
// the route table uses.
func (o Operation) Key() string { return o.Method + " " + FiberPath(o.Path) }

// Operations lists every described operation, in the description's order.
func (d *Description) Operations() []Operation {
	var out []Operation
	if d.Model.Paths == nil || d.Model.Paths.PathItems == nil {
		return out
	}
	for path, item := range d.Model.Paths.PathItems.FromOldest() {
		for method, op := range item.GetOperations().FromOldest() {
			params := append(append([]*v3.Parameter(nil), item.Parameters...), op.Parameters...)
			out = append(out, Operation{Method: strings.ToUpper(method), Path: path, Op: op, Params: params})
		}
	}
	return out
}

// FiberPath writes an OpenAPI path template with Fiber's parameters:
// "/tenants/{slug}" → "/tenants/:slug".
func FiberPath(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		j := strings.IndexByte(p, '}')
		if i < 0 || j < i {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteString(":" + p[i+1:j])
		p = p[j+1:]
	}
}

// APIPrefix is where the described routes live.
const APIPrefix = "/api/v1/"

// CheckRoutes compares a route table with the description: undocumented
// lists the /api/v1 routes registered but not described, unregistered
// the described ones no route serves, each as "METHOD /path", sorted. HEAD
// routes (Fiber adds one for every GET) are left out.
func (d *Description) CheckRoutes(routes []fiber.Route) (undocumented, unregistered []string) {
	described := map[string]bool{}
	for _, o := range d.Operations() {
		described[o.Key()] = true
	}
	registered := map[string]bool{}
	for _, r := range routes {
		if !strings.HasPrefix(r.Path, APIPrefix) || r.Method == http.MethodHead || r.Method == "USE" {
			continue
		}
		key := r.Method + " " + strings.TrimSuffix(r.Path, "/")
		if registered[key] {
			continue
		}
		registered[key] = true
		if !described[key] {
			undocumented = append(undocumented, key)
		}
	}
	for key := range described {
		if !registered[key] {
			unregistered = append(unregistered, key)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unregistered)
	return undocumented, unregistered
}

// ErrNoDescription is returned when the handler has no description loaded.
var ErrNoDescription = errors.New("openapi description not loaded")

// openapi answers GET /api/v1/openapi.json.
func (h *Handler) openapi(c *fiber.Ctx) error {
	if h.Description == nil {
		return ErrNoDescription
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(h.Description.JSON)
}
