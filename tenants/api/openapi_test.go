package api_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/google/go-cmp/cmp"
	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/trangtin/trangtin/tenants/api"
)

func load(t *testing.T) *api.Description {
	t.Helper()
	d, err := api.LoadDescription()
	if err != nil {
		t.Fatalf("LoadDescription: %v", err)
	}
	return d
}

// The description is a valid OpenAPI 3.1 document (checked against the
// specification's schema by libopenapi-validator).
func TestDescriptionIsValidOpenAPI31(t *testing.T) {
	doc, err := libopenapi.NewDocument(api.DescriptionSource())
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("version %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("NewValidator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, s := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s", s.Reason, s.FieldPath)
			}
		}
	}
}

// A comma inside a YAML flow mapping ({description: a, b}) silently makes
// a key with no value: every value of the description must be set.
func TestDescriptionHasNoEmptyValues(t *testing.T) {
	var v any
	if err := yaml.Unmarshal(api.DescriptionSource(), &v); err != nil {
		t.Fatal(err)
	}
	var walk func(x any, path string)
	walk = func(x any, path string) {
		switch x := x.(type) {
		case map[string]any:
			for k, val := range x {
				if val == nil {
					t.Errorf("%s/%s has no value (an unquoted comma in a flow mapping?)", path, k)
				}
				walk(val, path+"/"+k)
			}
		case []any:
			for _, val := range x {
				walk(val, path+"/*")
			}
		}
	}
	walk(v, "")
}

// The served JSON says what the YAML source says.
func TestDescriptionJSONMatchesSource(t *testing.T) {
	d := load(t)
	var fromJSON, fromYAML any
	if err := json.Unmarshal(d.JSON, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(api.DescriptionSource(), &fromYAML); err != nil {
		t.Fatal(err)
	}
	// Round-trip the YAML through JSON so both sides have JSON's types.
	b, err := json.Marshal(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fromYAML); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromJSON, fromYAML) {
		t.Errorf("JSON differs from the source:\n%s", cmp.Diff(fromYAML, fromJSON))
	}
	if !strings.HasPrefix(string(d.JSON), `{"openapi":"3.1.0"`) {
		t.Errorf("JSON does not keep the source's order: %.60s", d.JSON)
	}
}

func TestFiberPath(t *testing.T) {
	for in, want := range map[string]string{
		"/api/v1/me":                            "/api/v1/me",
		"/api/v1/tenants/{slug}/posts/{id}":     "/api/v1/tenants/:slug/posts/:id",
		"/api/v1/reports/quota/exemptions/{id}": "/api/v1/reports/quota/exemptions/:id",
	} {
		if got := api.FiberPath(in); got != want {
			t.Errorf("FiberPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// CheckRoutes reports a route registered without a description and a
// description without a route; HEAD, middleware and routes outside
// /api/v1 are not its business.
func TestCheckRoutes(t *testing.T) {
	d := load(t)
	var table []fiber.Route
	for _, o := range d.Operations() {
		table = append(table, fiber.Route{Method: o.Method, Path: api.FiberPath(o.Path)})
	}
	if len(table) < 40 {
		t.Fatalf("only %d operations described", len(table))
	}
	t.Run("the described table passes", func(t *testing.T) {
		undoc, unreg := d.CheckRoutes(table)
		if len(undoc)+len(unreg) != 0 {
			t.Errorf("undocumented %v, unregistered %v", undoc, unreg)
		}
	})
	t.Run("an added route without a description fails", func(t *testing.T) {
		extra := append(append([]fiber.Route(nil), table...),
			fiber.Route{Method: http.MethodPost, Path: "/api/v1/tenants/:slug/xoa-het"},
			fiber.Route{Method: http.MethodGet, Path: "/api/v1/tenants/:slug/posts/:id/hidden/"},
			fiber.Route{Method: http.MethodHead, Path: "/api/v1/tenants/:slug/ignored"},
			fiber.Route{Method: http.MethodGet, Path: "/t/:slug/console-page"})
		undoc, unreg := d.CheckRoutes(extra)
		want := []string{"GET /api/v1/tenants/:slug/posts/:id/hidden", "POST /api/v1/tenants/:slug/xoa-het"}
		if diff := cmp.Diff(want, undoc); diff != "" || len(unreg) != 0 {
			t.Errorf("undocumented (-want +got):\n%s\nunregistered: %v", diff, unreg)
		}
	})
	t.Run("a described route not registered fails", func(t *testing.T) {
		undoc, unreg := d.CheckRoutes(table[1:])
		if want := []string{table[0].Method + " " + table[0].Path}; !cmp.Equal(want, unreg) || len(undoc) != 0 {
			t.Errorf("unregistered = %v, want %v (undocumented %v)", unreg, want, undoc)
		}
	})
}

// Every operation says what it needs and what it answers: a permission,
// an operation id, a success and the error answers of the contract.
func TestEveryOperationIsComplete(t *testing.T) {
	d := load(t)
	seen := map[string]bool{}
	for _, o := range d.Operations() {
		name := o.Method + " " + o.Path
		op := o.Op
		if op.OperationId == "" || seen[op.OperationId] {
			t.Errorf("%s: operationId %q missing or repeated", name, op.OperationId)
		}
		seen[op.OperationId] = true
		if op.Summary == "" || len(op.Tags) == 0 {
			t.Errorf("%s: no summary or tag", name)
		}
		if op.Extensions == nil || op.Extensions.GetOrZero("x-permission") == nil {
			t.Errorf("%s: no x-permission", name)
		}
		codes := map[string]bool{}
		for c := range op.Responses.Codes.KeysFromOldest() {
			codes[c] = true
		}
		ok2xx := false
		for c := range codes {
			ok2xx = ok2xx || strings.HasPrefix(c, "2")
		}
		if !ok2xx {
			t.Errorf("%s: no success answer", name)
		}
		public := op.Extensions != nil && op.Extensions.GetOrZero("x-permission") != nil && op.Extensions.GetOrZero("x-permission").Value == "public"
		if !public && !codes["401"] {
			t.Errorf("%s: no 401 answer", name)
		}
		if strings.Contains(o.Path, "{slug}") && !codes["404"] {
			t.Errorf("%s: a tenant route without its 404 answer", name)
		}
		if o.Method != http.MethodGet && !public && !codes["403"] {
			t.Errorf("%s: a write without its 403 answer", name)
		}
	}
}

// The reference page lists a body's fields with their rules and shows the
// example in the source's order.
func TestReferencePage(t *testing.T) {
	page := load(t).Reference()
	var op *api.RefOp
	for _, g := range page.Groups {
		for i := range g.Ops {
			if g.Ops[i].Anchor == "addBoardMember" {
				op = &g.Ops[i]
			}
		}
	}
	if op == nil || op.Body == nil {
		t.Fatalf("no addBoardMember with a body in the reference: %+v", op)
	}
	if !strings.HasPrefix(op.Body.Example, "{\n  \"name\": \"Nguyễn Thị Hoa\",\n  \"position\"") {
		t.Errorf("example not in the source's order:\n%s", op.Body.Example)
	}
	found := false
	for _, r := range op.Body.Rows {
		if r.Name == "position" {
			found = r.Required && strings.Contains(r.Constraints, "one of: truong-ban, pho-ban, thu-ky, bien-tap-vien, cong-tac-vien")
		}
	}
	if !found {
		t.Errorf("the position row lacks its rules: %+v", op.Body.Rows)
	}
	if op.Permission != "board:manage" || len(op.Params) != 1 || op.Params[0].Name != "slug" {
		t.Errorf("permission %q, params %+v", op.Permission, op.Params)
	}
}
