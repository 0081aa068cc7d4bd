package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/i18n"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Renderer holds every page template, parsed once at start-up. A page in
// site/ renders inside layouts "site", console/ inside "console", errors/
// inside "plain"; each page defines the blocks "title" and "content".
type Renderer struct {
	pages  map[string]*template.Template
	static map[string]string // file name → content hash
	// layouts are the layouts' templates alone, which fragment executes.
	layouts   *template.Template
	fragments fragmentMemo
}

var layoutOf = map[string]string{"site": "site", "console": "console", "errors": "plain"}

// NewRenderer parses the templates in fsys (layouts/, site/, console/,
// errors/) and hashes static/ for cache-busting URLs. Any template error
// fails here, so a broken template stops start-up instead of a request.
func NewRenderer(fsys fs.FS) (*Renderer, error) {
	r := &Renderer{pages: map[string]*template.Template{}, static: map[string]string{}}
	if err := r.hashStatic(fsys); err != nil {
		return nil, err
	}
	base := template.New("").Funcs(r.funcs())
	base, err := base.ParseFS(fsys, "layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	for dir := range layoutOf {
		files, err := fs.Glob(fsys, dir+"/*.html")
		if err != nil {
			return nil, fmt.Errorf("list %s templates: %w", dir, err)
		}
		for _, f := range files {
			t, err := base.Clone()
			if err != nil {
				return nil, fmt.Errorf("clone layouts: %w", err)
			}
			if _, err := t.ParseFS(fsys, f); err != nil {
				return nil, fmt.Errorf("parse %s: %w", f, err)
			}
			name := strings.TrimSuffix(f, ".html")
			r.pages[name] = t
		}
	}
	if r.layouts, err = base.Clone(); err != nil {
		return nil, fmt.Errorf("clone layouts: %w", err)
	}
	return r, nil
}

// fragmentMemoSize bounds the fragments a process keeps (a few KB each);
// past it the memo starts afresh.
const fragmentMemoSize = 4096

// fragmentMemo keeps the fragments fragment rendered, by template, language
// and the value they were rendered for.
type fragmentMemo struct {
	mu sync.Mutex
	m  map[fragmentKey]template.HTML
}

type fragmentKey struct {
	name string
	lang i18n.Lang
	of   any
}

// fragment is the layout template name rendered with v, kept and reused
// for every later page in v's language with the same of, which must be
// all name shows besides the language: {{fragment "site-footer" .
// .Data.Tenant}}. A tenant is a snapshot the registry replaces whole on
// any change, never changes in place, so a new profile is a new key. The
// masthead, footer and head links of a public site are the same on every
// page and cost about a tenth of an uncached page's CPU in reflective
// calls (bench/README.md, stop 29). A value that cannot be a map key is
// rendered every time.
func (r *Renderer) fragment(name string, v View, of any) (template.HTML, error) {
	memo := of != nil && reflect.TypeOf(of).Comparable()
	key := fragmentKey{name: name, lang: v.L, of: of}
	if memo {
		r.fragments.mu.Lock()
		html, ok := r.fragments.m[key]
		r.fragments.mu.Unlock()
		if ok {
			return html, nil
		}
	}
	var b strings.Builder
	if err := r.layouts.ExecuteTemplate(&b, name, v); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	html := template.HTML(b.String()) // #nosec G203 -- html/template's own output, escaped as it is written
	if memo {
		r.fragments.mu.Lock()
		if r.fragments.m == nil || len(r.fragments.m) >= fragmentMemoSize {
			r.fragments.m = map[fragmentKey]template.HTML{}
		}
		r.fragments.m[key] = html
		r.fragments.mu.Unlock()
	}
	return html, nil
}

func (r *Renderer) hashStatic(fsys fs.FS) error {
	return fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		sum := sha256.Sum256(b)
		r.static[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
}

// StaticHash returns the content hash of a static file, "" if unknown.
func (r *Renderer) StaticHash(name string) string { return r.static[name] }

// Pages lists the parsed page names (for tests).
func (r *Renderer) Pages() []string {
	out := make([]string, 0, len(r.pages))
	for k := range r.pages {
		out = append(out, k)
	}
	return out
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"static": func(name string) string {
			return "/static/" + name + "?v=" + r.static[name]
		},
		// t is the catalogue as a function, {{t .L "key"}}: for a method
		// text/template looks it up by name and builds its type on every
		// call, 6 % of an uncached item page's CPU with two dozen labels.
		"t":        func(l i18n.Lang, key string) string { return l.T(key) },
		"date":     vntext.Date,
		"datetime": vntext.DateTime,
		"isodate":  vntext.ISODate,
		"add":      func(a, b int) int { return a + b },
		"fragment": r.fragment,
		"join":     strings.Join,
		"lower":    strings.ToLower,
	}
}

// View is what every template receives: the language, the request id and
// the page's own data.
type View struct {
	L         i18n.Lang
	RequestID string
	CSRF      string
	Data      any
}

// Execute renders page into a buffer.
func (r *Renderer) Execute(page string, v View) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.execute(&buf, page, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (r *Renderer) execute(w io.Writer, page string, v View) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("render: no template %q", page)
	}
	if err := t.ExecuteTemplate(w, layoutOf[path.Dir(page)], v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	return nil
}

// Render writes page with status to the response as HTML. The page is
// written straight into the response's body, a buffer fasthttp reuses
// between requests: a fresh buffer grew by doubling to each page's size
// and was then copied into that one, about a third of what an uncached
// home page allocated. On an error the partial page is dropped.
func (r *Renderer) Render(c *fiber.Ctx, status int, page string, data any) error {
	resp := c.Response()
	resp.ResetBody()
	if err := r.execute(resp.BodyWriter(), page, View{L: Lang(c), RequestID: RequestID(c), CSRF: CSRFToken(c), Data: data}); err != nil {
		resp.ResetBody()
		return err
	}
	c.Status(status)
	c.Type("html", "utf-8")
	return nil
}
