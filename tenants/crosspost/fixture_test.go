package crosspost_test

// The fixture the tests of this package share: a fresh database (SQLite,
// or PostgreSQL with TRANGTIN_TEST_DATABASE_URL) with a department "so",
// two units with a site ("alpha", "beta"), an office without one
// ("gamma") and a unit of alpha ("con", a grandchild of so); the post
// service with the crosspost hook, and a fake media store.

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/sanitize"
	"github.com/trangtin/trangtin/tenants/provision"
)

type world struct {
	t       *testing.T
	db      *bun.DB
	reg     *tenancy.Registry
	posts   *post.Service
	xp      *crosspost.Service
	tenants map[string]*tenancy.Tenant
	media   *fakeMedia
}

// all is an actor holding every permission; who decides is tested
// through the HTTP stack in tenants/app.
func all(id string) post.Actor {
	return post.Actor{ID: id, Can: func(authz.Permission) bool { return true }}
}

// only holds the listed permissions.
func only(id string, perms ...authz.Permission) post.Actor {
	return post.Actor{ID: id, Can: func(p authz.Permission) bool {
		for _, q := range perms {
			if p == q {
				return true
			}
		}
		return false
	}}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	bdb := dbtest.New(t)
	w := &world{t: t, db: bdb, tenants: map[string]*tenancy.Tenant{}, media: newFakeMedia()}
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	for _, in := range []provision.Input{
		{Slug: "so", Name: "Sở Thử nghiệm", Kind: tenancy.KindDepartment},
		{Slug: "alpha", Name: "Trung tâm Alpha", Kind: tenancy.KindUnit, Parent: "so"},
		{Slug: "beta", Name: "Trường Beta", Kind: tenancy.KindUnit, Parent: "so"},
		{Slug: "gamma", Name: "Phòng Gamma", Kind: tenancy.KindOffice, Parent: "so"},
		{Slug: "con", Name: "Cơ sở Con của Alpha", Kind: tenancy.KindUnit, Parent: "alpha"},
	} {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", in.Slug, err)
		}
		w.tenants[in.Slug] = tn
	}
	w.reg = tenancy.NewRegistry(bdb, "localhost", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := w.reg.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for slug := range w.tenants {
		w.tenants[slug], _ = w.reg.BySlug(slug)
	}
	w.posts = &post.Service{DB: bdb, Sanitizer: sanitize.New([]string{"/media/"})}
	w.xp = &crosspost.Service{DB: bdb, Posts: w.posts, Registry: w.reg, CopyMedia: w.media.Copy}
	w.posts.AfterWrite = append(w.posts.AfterWrite, w.xp.AfterWrite)
	return w
}

func (w *world) tn(slug string) *tenancy.Tenant { return w.tenants[slug] }

// draft writes a draft in a tenant with one field and a clean text.
func (w *world) draft(slug, title, body string) *post.Post {
	w.t.Helper()
	p, err := w.posts.Create(context.Background(), w.tn(slug), all("tac-gia-"+slug), post.Input{
		Title: title, Summary: "Tóm tắt của bài viết.", Body: body, Type: post.TypeNews, Fields: []string{"tre-em"},
	})
	if err != nil {
		w.t.Fatalf("create in %s: %v", slug, err)
	}
	return p
}

// step moves an item through the workflow.
func (w *world) step(slug, id string, to post.Status, note string) *post.Post {
	w.t.Helper()
	p, err := w.posts.Transition(context.Background(), w.tn(slug), all("bien-tap-"+slug), id, post.TransitionInput{To: to, Note: note})
	if err != nil {
		w.t.Fatalf("%s → %s: %v", id, to, err)
	}
	return p
}

// published writes an item and publishes it through review.
func (w *world) published(slug, title, body string) *post.Post {
	w.t.Helper()
	p := w.draft(slug, title, body)
	w.step(slug, p.ID, post.StatusSubmitted, "")
	w.step(slug, p.ID, post.StatusApproved, "")
	return w.step(slug, p.ID, post.StatusPublished, "")
}

// publishEdition takes the pending edition of a published item (written by
// another actor) through review to the site.
func (w *world) publishEdition(slug, id string) *post.Post {
	w.t.Helper()
	w.step(slug, id, post.StatusSubmitted, "")
	w.step(slug, id, post.StatusApproved, "")
	return w.step(slug, id, post.StatusPublished, "")
}

func (w *world) get(slug, id string) *post.Post {
	w.t.Helper()
	p, err := post.Get(context.Background(), w.db, w.tn(slug).ID, id)
	if err != nil {
		w.t.Fatalf("get %s/%s: %v", slug, id, err)
	}
	return p
}

func (w *world) send(slug, id, note string) *crosspost.Submission {
	w.t.Helper()
	sub, err := w.xp.Send(context.Background(), w.tn(slug), all("gui-"+slug), id, note)
	if err != nil {
		w.t.Fatalf("send %s/%s: %v", slug, id, err)
	}
	return sub
}

func (w *world) inbox(slug string, f crosspost.Filter) []crosspost.Submission {
	w.t.Helper()
	subs, err := crosspost.Inbox(context.Background(), w.db, w.tn(slug).ID, f)
	if err != nil {
		w.t.Fatalf("inbox of %s: %v", slug, err)
	}
	return subs
}

func (w *world) history(sub *crosspost.Submission) []string {
	w.t.Helper()
	es, err := crosspost.History(context.Background(), w.db, sub.ParentTenantID, sub.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	var kinds []string
	for _, e := range es {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

func (w *world) notifications(slug string) string {
	w.t.Helper()
	ns, err := post.Notifications(context.Background(), w.db, w.tn(slug).ID, "nobody", 50)
	if err != nil {
		w.t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range ns {
		b.WriteString(n.Kind + ": " + n.Message + "\n")
	}
	return b.String()
}

// wantCode fails unless err carries the code (and, when status is not 0,
// answers that HTTP status).
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code {
		t.Fatalf("error %v, want code %q", err, code)
	}
}

// fakeMedia stands in for the media package (tenants/media, not ready when
// this was written): files are keys "/media/<tenant id>/<name>"; Copy
// copies every file a body names into the receiving tenant and rewrites
// the body, so the copy never names the sender's files.
type fakeMedia struct {
	mu    sync.Mutex
	files map[string]bool
}

func newFakeMedia() *fakeMedia { return &fakeMedia{files: map[string]bool{}} }

func (m *fakeMedia) put(path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[path] = true
}

func (m *fakeMedia) remove(path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, path)
}

func (m *fakeMedia) has(path string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.files[path]
}

func (m *fakeMedia) Copy(_ context.Context, _ bun.Tx, from, to, body string, featured *string) (string, *string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	prefix, target := "/media/"+from+"/", "/media/"+to+"/"
	for path := range m.files {
		if strings.HasPrefix(path, prefix) && strings.Contains(body, path) {
			m.files[target+strings.TrimPrefix(path, prefix)] = true
		}
	}
	if featured != nil {
		f := "copy-of-" + *featured
		featured = &f
	}
	return strings.ReplaceAll(body, prefix, target), featured, nil
}

// ago is a time in the past.
func ago(d time.Duration) *time.Time { t := time.Now().Add(-d).UTC(); return &t }
