package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	yaml "github.com/pb33f/go-yaml"
	"github.com/pb33f/libopenapi/datamodel/high/base"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"

	"github.com/trangtin/trangtin/platform/authz"
)

// The reference page: the description rendered as HTML by the binary
// itself (no script, no CDN), for people who integrate with the API.

// ReferencePage is the data of console/api_reference.
type ReferencePage struct {
	// Shell is nil: the page is public and shows no tenant menu.
	Shell   any
	Title   string
	Version string
	Intro   []template.HTML
	Groups  []RefGroup
	Schemas []RefSchema
}

// RefGroup is the operations of one tag.
type RefGroup struct {
	Name, Description string
	Ops               []RefOp
}

// RefOp is one operation.
type RefOp struct {
	Anchor, Method, Path, Summary, Permission string
	Description                               []template.HTML
	Params                                    []RefParam
	Body                                      *RefBody
	Responses                                 []RefResponse
}

// RefParam is one parameter of an operation.
type RefParam struct {
	Name, In, Description, Constraints string
	Type                               template.HTML
	Required                           bool
}

// RefBody is an operation's request body.
type RefBody struct {
	ContentType string
	Type        template.HTML
	Rows        []RefRow
	Example     string
}

// RefResponse is one answer of an operation.
type RefResponse struct {
	Code, Description string
	Type              template.HTML
}

// RefSchema is one component schema with its properties.
type RefSchema struct {
	Name, Description string
	Type              template.HTML
	Constraints       string
	Rows              []RefRow
}

// RefRow is one property; Depth indents properties of nested objects.
type RefRow struct {
	Name, Constraints, Description string
	Type                           template.HTML
	Required                       bool
	Depth                          int
}

// Reference builds the page data from the description.
func (d *Description) Reference() ReferencePage {
	m := d.Model
	p := ReferencePage{Title: m.Info.Title, Version: m.Info.Version, Intro: paragraphs(m.Info.Description)}
	groups := map[string]*RefGroup{}
	for _, t := range m.Tags {
		p.Groups = append(p.Groups, RefGroup{Name: t.Name, Description: t.Description})
	}
	for i := range p.Groups {
		groups[p.Groups[i].Name] = &p.Groups[i]
	}
	for _, o := range d.Operations() {
		tag := "other"
		if len(o.Op.Tags) > 0 {
			tag = o.Op.Tags[0]
		}
		g, ok := groups[tag]
		if !ok {
			p.Groups = append(p.Groups, RefGroup{Name: tag})
			groups = reindex(p.Groups)
			g = groups[tag]
		}
		g.Ops = append(g.Ops, refOp(o))
	}
	p.Groups = slices.DeleteFunc(p.Groups, func(g RefGroup) bool { return len(g.Ops) == 0 })
	if m.Components != nil && m.Components.Schemas != nil {
		for name, sp := range m.Components.Schemas.FromOldest() {
			s := sp.Schema()
			if s == nil {
				continue
			}
			p.Schemas = append(p.Schemas, RefSchema{Name: name, Description: s.Description, Type: typeOf(sp),
				Constraints: constraints(s), Rows: rows(s, 0)})
		}
	}
	return p
}

func reindex(gs []RefGroup) map[string]*RefGroup {
	out := make(map[string]*RefGroup, len(gs))
	for i := range gs {
		out[gs[i].Name] = &gs[i]
	}
	return out
}

func refOp(o Operation) RefOp {
	op := o.Op
	r := RefOp{Anchor: op.OperationId, Method: o.Method, Path: o.Path, Summary: op.Summary, Description: paragraphs(op.Description)}
	if r.Anchor == "" {
		r.Anchor = strings.ToLower(o.Method) + strings.NewReplacer("/", "-", "{", "", "}", "").Replace(o.Path)
	}
	if op.Extensions != nil {
		if n := op.Extensions.GetOrZero("x-permission"); n != nil {
			r.Permission = n.Value
		}
	}
	for _, prm := range o.Params {
		r.Params = append(r.Params, refParam(prm))
	}
	if rb := op.RequestBody; rb != nil && rb.Content != nil {
		for ct, mt := range rb.Content.FromOldest() {
			b := &RefBody{ContentType: ct, Type: typeOf(mt.Schema), Example: example(mt.Example)}
			if s := resolve(mt.Schema); s != nil {
				b.Rows = rows(s, 0)
			}
			r.Body = b
			break
		}
	}
	if op.Responses != nil && op.Responses.Codes != nil {
		for code, resp := range op.Responses.Codes.FromOldest() {
			rr := RefResponse{Code: code, Description: resp.Description}
			if resp.Content != nil {
				var types []string
				for ct, mt := range resp.Content.FromOldest() {
					t := ct
					if mt.Schema != nil {
						t += ": " + string(typeOf(mt.Schema))
					}
					types = append(types, t)
				}
				rr.Type = template.HTML(strings.Join(types, "<br>"))
			}
			r.Responses = append(r.Responses, rr)
		}
	}
	return r
}

func refParam(p *v3.Parameter) RefParam {
	rp := RefParam{Name: p.Name, In: p.In, Description: p.Description, Required: p.Required != nil && *p.Required}
	if p.Schema != nil {
		rp.Type = typeOf(p.Schema)
		if s := p.Schema.Schema(); s != nil {
			rp.Constraints = constraints(s)
			if rp.Description == "" {
				rp.Description = s.Description
			}
		}
	}
	return rp
}

// schemaName is the component a $ref names.
func schemaName(ref string) string { return ref[strings.LastIndexByte(ref, '/')+1:] }

// resolve is the schema behind a proxy (a reference is followed).
func resolve(sp *base.SchemaProxy) *base.Schema {
	if sp == nil {
		return nil
	}
	return sp.Schema()
}

// typeOf writes a schema's type as HTML, with links to named schemas.
func typeOf(sp *base.SchemaProxy) template.HTML {
	if sp == nil {
		return ""
	}
	if sp.IsReference() {
		n := template.HTMLEscapeString(schemaName(sp.GetReference()))
		return template.HTML(`<a href="#schema-` + n + `">` + n + `</a>`)
	}
	s := sp.Schema()
	if s == nil {
		return ""
	}
	join := func(ps []*base.SchemaProxy, sep string) template.HTML {
		parts := make([]string, 0, len(ps))
		for _, x := range ps {
			parts = append(parts, string(typeOf(x)))
		}
		return template.HTML(strings.Join(parts, sep))
	}
	switch {
	case len(s.AllOf) > 0:
		return join(s.AllOf, " + ")
	case len(s.OneOf) > 0:
		return join(s.OneOf, " | ")
	case len(s.AnyOf) > 0:
		return join(s.AnyOf, " | ")
	case s.Const != nil:
		return template.HTML(template.HTMLEscapeString(strconv.Quote(s.Const.Value)))
	}
	var parts []string
	for _, t := range s.Type {
		if t == "array" && s.Items != nil && s.Items.IsA() {
			parts = append(parts, "array of "+string(typeOf(s.Items.A)))
			continue
		}
		parts = append(parts, template.HTMLEscapeString(t))
	}
	return template.HTML(strings.Join(parts, " | "))
}

// constraints writes what limits a value: enum, const, lengths, range,
// pattern, format, default.
func constraints(s *base.Schema) string {
	var c []string
	if len(s.Enum) > 0 {
		vals := make([]string, 0, len(s.Enum))
		for _, e := range s.Enum {
			vals = append(vals, e.Value)
		}
		c = append(c, "one of: "+strings.Join(vals, ", "))
	}
	if s.MinLength != nil && *s.MinLength > 0 {
		c = append(c, fmt.Sprintf("at least %d characters", *s.MinLength))
	}
	if s.MaxLength != nil {
		c = append(c, fmt.Sprintf("at most %d characters", *s.MaxLength))
	}
	if s.Minimum != nil {
		c = append(c, "≥ "+strconv.FormatFloat(*s.Minimum, 'f', -1, 64))
	}
	if s.Maximum != nil {
		c = append(c, "≤ "+strconv.FormatFloat(*s.Maximum, 'f', -1, 64))
	}
	if s.Pattern != "" {
		c = append(c, "pattern "+s.Pattern)
	}
	if s.Format != "" {
		c = append(c, "format "+s.Format)
	}
	if s.Default != nil {
		c = append(c, "default "+s.Default.Value)
	}
	return strings.Join(c, "; ")
}

// maxDepth bounds how deep nested objects are listed.
const maxDepth = 3

// rows lists an object schema's properties; inline objects (and arrays of
// them) are listed below their property, named schemas are linked.
func rows(s *base.Schema, depth int) []RefRow {
	if s == nil || depth > maxDepth {
		return nil
	}
	var out []RefRow
	for _, part := range s.AllOf {
		out = append(out, rows(resolve(part), depth)...)
	}
	if s.Properties == nil {
		return out
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for name, sp := range s.Properties.FromOldest() {
		ps := sp.Schema()
		row := RefRow{Name: name, Type: typeOf(sp), Required: required[name], Depth: depth}
		if ps != nil {
			row.Constraints, row.Description = constraints(ps), ps.Description
		}
		out = append(out, row)
		if sp.IsReference() || ps == nil {
			continue
		}
		if ps.Properties != nil {
			out = append(out, rows(ps, depth+1)...)
		} else if ps.Items != nil && ps.Items.IsA() && !ps.Items.A.IsReference() {
			out = append(out, rows(ps.Items.A.Schema(), depth+1)...)
		}
	}
	return out
}

// example writes an example as indented JSON, keys in the source's order.
func example(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	var b bytes.Buffer
	if err := nodeJSON(&b, n); err != nil {
		return ""
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return ""
	}
	return out.String()
}

// nodeJSON writes a YAML node as JSON, keeping the order of mappings.
func nodeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		open, close, step := byte('{'), byte('}'), 2
		if n.Kind == yaml.SequenceNode {
			open, close, step = '[', ']', 1
		}
		b.WriteByte(open)
		for i := 0; i+step-1 < len(n.Content); i += step {
			if i > 0 {
				b.WriteByte(',')
			}
			if step == 2 {
				k, _ := json.Marshal(n.Content[i].Value)
				b.Write(k)
				b.WriteByte(':')
			}
			if err := nodeJSON(b, n.Content[i+step-1]); err != nil {
				return err
			}
		}
		b.WriteByte(close)
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	b.Write(j)
	return err
}

var (
	codeSpan   = regexp.MustCompile("`([^`]+)`")
	strongSpan = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emSpan     = regexp.MustCompile(`\*([^* ][^*]*)\*`)
)

// paragraphs renders the little Markdown the description uses (blank-line
// paragraphs, `code`, **strong**, *emphasis*) as escaped HTML.
func paragraphs(s string) []template.HTML {
	var out []template.HTML
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		h := template.HTMLEscapeString(p)
		h = codeSpan.ReplaceAllString(h, "<code>$1</code>")
		h = strongSpan.ReplaceAllString(h, "<strong>$1</strong>")
		h = emSpan.ReplaceAllString(h, "<em>$1</em>")
		out = append(out, template.HTML(h))
	}
	return out
}

// DocsPath is where the reference page is served on the admin host.
const DocsPath = "/api/docs"

// DocsRoutes registers the reference page (public, like the description).
func (h *Handler) DocsRoutes(r fiber.Router) {
	r.Get(DocsPath, authz.RequirePublic(), h.reference)
}

func (h *Handler) reference(c *fiber.Ctx) error {
	if h.Description == nil {
		return ErrNoDescription
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/api_reference", h.Description.page)
}
