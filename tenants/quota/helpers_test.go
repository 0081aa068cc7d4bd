package quota_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// vn is a moment in Vietnam time.
func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, vntext.Location())
}

// day is an event date as the posts store keeps it (midnight UTC of the day).
func day(m time.Month, d int) *time.Time {
	t := time.Date(2026, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func at(t time.Time) *time.Time { return &t }

// world is one database with an organisation.
type world struct {
	t   testing.TB
	ctx context.Context
	db  *bun.DB
	ten map[string]*tenancy.Tenant // by slug
}

// orgSpec is a tenant to onboard, with its onboarding time.
type orgSpec struct {
	slug, name string
	kind       tenancy.Kind
	parent     string
	onboarded  time.Time
}

func newWorld(t testing.TB, specs []orgSpec) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), db: dbtest.New(t), ten: map[string]*tenancy.Tenant{}}
	for _, s := range specs {
		p := &provision.Provisioner{DB: w.db, BaseDomain: "localhost", AdminHost: "admin.localhost",
			Now: func() time.Time { return s.onboarded }}
		tn, err := p.Create(w.ctx, provision.Input{Slug: s.slug, Name: s.name, Kind: s.kind, Parent: s.parent, NoSite: s.kind != tenancy.KindDepartment})
		if err != nil {
			t.Fatalf("create %s: %v", s.slug, err)
		}
		if _, err := w.db.NewUpdate().Table("tenants").Set("onboarded_at = ?", s.onboarded.UTC()).Where("id = ?", tn.ID).Exec(w.ctx); err != nil {
			t.Fatal(err)
		}
		w.ten[s.slug] = tn
	}
	return w
}

func (w *world) id(slug string) string {
	w.t.Helper()
	tn, ok := w.ten[slug]
	if !ok {
		w.t.Fatalf("no tenant %s", slug)
	}
	return tn.ID
}

// postSpec is an item to insert directly.
type postSpec struct {
	tenant, id, title string
	typ               post.Type
	event             *time.Time
	published         *time.Time
	lintE, lintW      int
	fields            []string
}

func (w *world) post(s postSpec) {
	w.t.Helper()
	status := post.StatusDraft
	if s.published != nil {
		status = post.StatusPublished
	}
	created := vn(2026, 10, 1, 8, 0)
	p := &post.Post{TenantID: w.id(s.tenant), ID: s.id, Slug: s.id, Title: s.title, Type: s.typ, Status: status, Version: 1,
		EventDate: s.event, AuthorID: "tac-gia", PublishedAt: s.published, FirstPublishedAt: s.published,
		LintErrors: s.lintE, LintWarnings: s.lintW, CreatedAt: created, UpdatedAt: created, UpdatedBy: "tac-gia"}
	if _, err := w.db.NewInsert().Model(p).Exec(w.ctx); err != nil {
		w.t.Fatalf("insert post %s: %v", s.id, err)
	}
	for _, f := range s.fields {
		pf := &post.Field{TenantID: p.TenantID, PostID: p.ID, FieldCode: f}
		if _, err := w.db.NewInsert().Model(pf).Exec(w.ctx); err != nil {
			w.t.Fatalf("insert field %s of %s: %v", f, s.id, err)
		}
	}
}

// submission is a row of the cross-posting table, as the cross-posting
// feature writes it.
type submission struct {
	bun.BaseModel `bun:"table:submissions"`

	ParentTenantID string     `bun:"parent_tenant_id,pk"`
	ID             string     `bun:"id,pk"`
	ChildTenantID  string     `bun:"child_tenant_id"`
	PostID         string     `bun:"post_id"`
	Origin         string     `bun:"origin"`
	State          string     `bun:"state"`
	PostType       string     `bun:"post_type"`
	Counts         bool       `bun:"counts"`
	FirstSentAt    time.Time  `bun:"first_sent_at"`
	SentAt         time.Time  `bun:"sent_at"`
	SentBy         string     `bun:"sent_by"`
	DecidedAt      *time.Time `bun:"decided_at"`
	RefuseReason   *string    `bun:"refuse_reason"`
	AcceptedPostID *string    `bun:"accepted_post_id"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

// sendSpec sends an item of a child to its parent.
type sendSpec struct {
	id, child, postID string
	origin, state     string
	typ               post.Type
	first, sent       time.Time
	decided           *time.Time
	copyID, refuse    string
}

// send inserts a submission: origin "sent" unless given, counts unless the
// item is republished or pulled, sent_at = first unless re-sent.
func (w *world) send(parent string, s sendSpec) {
	w.t.Helper()
	if s.origin == "" {
		s.origin = "sent"
	}
	if s.sent.IsZero() {
		s.sent = s.first
	}
	row := &submission{ParentTenantID: w.id(parent), ID: s.id, ChildTenantID: w.id(s.child), PostID: s.postID, Origin: s.origin,
		State: s.state, PostType: string(s.typ), Counts: s.origin == "sent" && s.typ != post.TypeRepublished,
		FirstSentAt: s.first, SentAt: s.sent, SentBy: "nguoi-gui", DecidedAt: s.decided, CreatedAt: s.first, UpdatedAt: s.sent}
	if s.copyID != "" {
		row.AcceptedPostID = &s.copyID
	}
	if s.refuse != "" {
		row.RefuseReason = &s.refuse
	}
	if _, err := w.db.NewInsert().Model(row).Exec(w.ctx); err != nil {
		w.t.Fatalf("insert submission %s: %v", s.id, err)
	}
}

// person creates an account holding role in the tenant (slug) or, with
// slug "", on the platform.
func (w *world) person(email, name, slug, role string) *account.Account {
	w.t.Helper()
	a, err := account.CreateWithParams(w.ctx, w.db, account.TestParams(), email, name, "Mật-khẩu-thử-nghiệm-2026")
	if err != nil {
		w.t.Fatalf("create account %s: %v", email, err)
	}
	domain := authz.PlatformDomain
	if slug != "" {
		domain = w.id(slug)
	}
	if err := authz.GrantRole(w.ctx, w.db, a.ID, domain, role); err != nil {
		w.t.Fatalf("grant %s: %v", role, err)
	}
	return a
}
