package post_test

// The workflow through the service: which steps exist, who may take them,
// and that each step commits together with its record.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/tenants/post"
)

// atState takes a fresh alpha item to state s through the workflow.
func (f *fixture) atState(t *testing.T, s post.Status, title string) *post.Post {
	t.Helper()
	p := f.create("alpha/contributor", goodInput(title))
	path := map[post.Status][]struct {
		key string
		in  post.TransitionInput
	}{
		post.StatusDraft:     {},
		post.StatusSubmitted: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}}},
		post.StatusReturned: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusReturned, Note: "Sửa lại"}}},
		post.StatusApproved: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusApproved}}},
		post.StatusScheduled: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusApproved}},
			{"alpha/chief", post.TransitionInput{To: post.StatusScheduled, At: ptr(time.Now().Add(24 * time.Hour))}}},
		post.StatusPublished: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusApproved}},
			{"alpha/chief", post.TransitionInput{To: post.StatusPublished}}},
		post.StatusWithdrawn: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusApproved}},
			{"alpha/chief", post.TransitionInput{To: post.StatusPublished}},
			{"alpha/chief", post.TransitionInput{To: post.StatusWithdrawn, Note: "Gỡ"}}},
		post.StatusUnpublished: {{"alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
			{"alpha/editor", post.TransitionInput{To: post.StatusApproved}},
			{"alpha/chief", post.TransitionInput{To: post.StatusPublished}},
			{"alpha/chief", post.TransitionInput{To: post.StatusUnpublished, Note: "Ngừng"}}},
	}[s]
	for _, st := range path {
		p = f.step(st.key, p.ID, st.in)
	}
	if p.Status != s {
		t.Fatalf("item at %s, want %s", p.Status, s)
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func TestWorkflowSteps(t *testing.T) {
	f := newFixture(t)
	future := time.Now().Add(time.Hour)
	// Steps that do not exist, taken by the editor-in-chief (who holds
	// every permission), so only the state machine can refuse them.
	invalid := []struct {
		from post.Status
		to   post.TransitionInput
	}{
		{post.StatusDraft, post.TransitionInput{To: post.StatusApproved}},
		{post.StatusDraft, post.TransitionInput{To: post.StatusScheduled, At: &future}},
		{post.StatusDraft, post.TransitionInput{To: post.StatusWithdrawn, Note: "x"}},
		{post.StatusDraft, post.TransitionInput{To: post.StatusReturned, Note: "x"}},
		{post.StatusSubmitted, post.TransitionInput{To: post.StatusScheduled, At: &future}},
		{post.StatusSubmitted, post.TransitionInput{To: post.StatusSubmitted}},
		{post.StatusApproved, post.TransitionInput{To: post.StatusSubmitted}},
		{post.StatusApproved, post.TransitionInput{To: post.StatusApproved}},
		{post.StatusPublished, post.TransitionInput{To: post.StatusSubmitted}},
		{post.StatusPublished, post.TransitionInput{To: post.StatusPublished}},
		{post.StatusPublished, post.TransitionInput{To: post.StatusReturned, Note: "x"}},
		{post.StatusWithdrawn, post.TransitionInput{To: post.StatusWithdrawn, Note: "x"}},
		{post.StatusUnpublished, post.TransitionInput{To: post.StatusPublished}},
		{post.StatusUnpublished, post.TransitionInput{To: post.StatusWithdrawn, Note: "x"}},
	}
	for i, tt := range invalid {
		t.Run(fmt.Sprintf("%s to %s does not exist", tt.from, tt.to.To), func(t *testing.T) {
			p := f.atState(t, tt.from, fmt.Sprintf("Bài thử bước không hợp lệ %d", i))
			before := f.get("alpha", p.ID)
			_, err := f.a.Posts.Transition(f.ctx, f.T["alpha"], f.actor("alpha/chief"), p.ID, tt.to)
			if e := errs.As(err); e == nil || e.Kind != errs.KindConflict || e.Code != "transition_invalid" {
				t.Fatalf("err %v, want a conflict transition_invalid", err)
			}
			if got := f.get("alpha", p.ID); got.Status != tt.from || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("item changed: %s, updated %v → %v", got.Status, before.UpdatedAt, got.UpdatedAt)
			}
		})
	}
	valid := []struct {
		from post.Status
		key  string
		to   post.TransitionInput
	}{
		{post.StatusReturned, "alpha/contributor", post.TransitionInput{To: post.StatusDraft}},
		{post.StatusReturned, "alpha/contributor", post.TransitionInput{To: post.StatusSubmitted}},
		{post.StatusSubmitted, "alpha/contributor", post.TransitionInput{To: post.StatusDraft}},
		{post.StatusApproved, "alpha/editor", post.TransitionInput{To: post.StatusReturned, Note: "Cần sửa"}},
		{post.StatusApproved, "alpha/deputy", post.TransitionInput{To: post.StatusScheduled, At: &future}},
		{post.StatusScheduled, "alpha/chief", post.TransitionInput{To: post.StatusPublished}},
		{post.StatusScheduled, "alpha/editor", post.TransitionInput{To: post.StatusReturned, Note: "Hoãn"}},
		{post.StatusWithdrawn, "alpha/chief", post.TransitionInput{To: post.StatusUnpublished, Note: "Ngừng hẳn"}},
		{post.StatusWithdrawn, "alpha/editor", post.TransitionInput{To: post.StatusDraft}},
		{post.StatusUnpublished, "alpha/editor", post.TransitionInput{To: post.StatusDraft}},
	}
	for i, tt := range valid {
		t.Run(fmt.Sprintf("%s to %s by %s", tt.from, tt.to.To, tt.key), func(t *testing.T) {
			p := f.atState(t, tt.from, fmt.Sprintf("Bài thử bước hợp lệ %d", i))
			got := f.step(tt.key, p.ID, tt.to)
			if got.Status != tt.to.To {
				t.Errorf("status %s", got.Status)
			}
			if tt.to.To == post.StatusReturned && got.ScheduledAt != nil {
				t.Errorf("a returned item keeps its schedule %v", got.ScheduledAt)
			}
			ts, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			last := ts[len(ts)-1]
			if last.From != tt.from || last.To != tt.to.To || last.ActorID != f.m(tt.key).ID || last.Note != tt.to.Note {
				t.Errorf("last transition %+v", last)
			}
		})
	}
}

func TestWorkflowPermissions(t *testing.T) {
	f := newFixture(t)
	future := time.Now().Add(time.Hour)
	cases := []struct {
		from post.Status
		to   post.TransitionInput
		// allowed lists the members that may take the step; every other
		// alpha member is refused 403.
		allowed []string
	}{
		{post.StatusDraft, post.TransitionInput{To: post.StatusSubmitted}, []string{"alpha/contributor", "alpha/editor", "alpha/secretary", "alpha/deputy", "alpha/chief"}},
		{post.StatusSubmitted, post.TransitionInput{To: post.StatusReturned, Note: "Sửa"}, []string{"alpha/editor", "alpha/secretary", "alpha/deputy", "alpha/chief"}},
		{post.StatusSubmitted, post.TransitionInput{To: post.StatusApproved}, []string{"alpha/editor", "alpha/secretary", "alpha/deputy", "alpha/chief"}},
		{post.StatusApproved, post.TransitionInput{To: post.StatusPublished}, []string{"alpha/deputy", "alpha/chief"}},
		{post.StatusApproved, post.TransitionInput{To: post.StatusScheduled, At: &future}, []string{"alpha/deputy", "alpha/chief"}},
		{post.StatusPublished, post.TransitionInput{To: post.StatusWithdrawn, Note: "Gỡ"}, []string{"alpha/deputy", "alpha/chief"}},
		{post.StatusPublished, post.TransitionInput{To: post.StatusUnpublished, Note: "Ngừng"}, []string{"alpha/deputy", "alpha/chief"}},
		{post.StatusDraft, post.TransitionInput{To: post.StatusPublished, Force: true, Note: "Gấp"}, []string{"alpha/deputy", "alpha/chief"}},
	}
	everyone := []string{"alpha/contributor", "alpha/contributor2", "alpha/editor", "alpha/secretary", "alpha/deputy", "alpha/chief", "alpha/siteadmin"}
	n := 0
	for _, tt := range cases {
		for _, key := range everyone {
			allowed := false
			for _, a := range tt.allowed {
				allowed = allowed || a == key
			}
			// The author is alpha/contributor: a draft is submitted by
			// its author or by those who edit any item.
			n++
			t.Run(fmt.Sprintf("%s to %s by %s", tt.from, tt.to.To, key), func(t *testing.T) {
				p := f.atState(t, tt.from, fmt.Sprintf("Bài thử quyền số %d", n))
				_, err := f.a.Posts.Transition(f.ctx, f.T["alpha"], f.actor(key), p.ID, tt.to)
				switch {
				case allowed && err != nil:
					t.Errorf("refused: %v", err)
				case !allowed && !errs.Is(err, errs.KindForbidden):
					t.Errorf("err %v, want 403", err)
				}
				if !allowed {
					if got := f.get("alpha", p.ID); got.Status != tt.from {
						t.Errorf("refused step changed the status to %s", got.Status)
					}
				}
			})
		}
	}
	t.Run("a contributor cannot edit another contributor's draft", func(t *testing.T) {
		p := f.create("alpha/contributor", goodInput("Bản nháp của người khác"))
		_, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/contributor2"), p.ID, p.Version, goodInput("Sửa bài người khác"))
		if !errs.Is(err, errs.KindForbidden) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("an editor edits any item; a published one through an edition", func(t *testing.T) {
		p := f.atState(t, post.StatusPublished, "Bài đã đăng cần sửa lỗi chính tả")
		in := post.InputOf(p)
		in.Summary = "Sa-pô đã sửa lỗi chính tả."
		got, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID, p.Version, in)
		if err != nil || got.Status != post.StatusPublished || got.Summary != p.Summary || got.Edition == nil || got.Edition.Summary != in.Summary {
			t.Errorf("%v %+v", err, got)
		}
	})
	t.Run("a site-admin alone creates nothing", func(t *testing.T) {
		_, err := f.a.Posts.Create(f.ctx, f.T["alpha"], f.actor("alpha/siteadmin"), goodInput("Quản trị viết"))
		if !errs.Is(err, errs.KindForbidden) {
			t.Errorf("err %v", err)
		}
	})
}

func TestWorkflowScheduleChecks(t *testing.T) {
	f := newFixture(t)
	p := f.atState(t, post.StatusApproved, "Bài hẹn giờ cần kiểm tra")
	cases := []struct {
		name string
		at   *time.Time
	}{
		{"no time", nil},
		{"a past time", ptr(time.Now().Add(-time.Minute))},
		{"now", ptr(time.Now())},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.a.Posts.Transition(f.ctx, f.T["alpha"], f.actor("alpha/chief"), p.ID, post.TransitionInput{To: post.StatusScheduled, At: tt.at})
			if e := errs.As(err); e == nil || e.Kind != errs.KindInvalid || e.Code != "schedule_time" {
				t.Errorf("err %v, want invalid schedule_time", err)
			}
		})
	}
	t.Run("rescheduling moves the time", func(t *testing.T) {
		t1 := time.Now().Add(time.Hour).Truncate(time.Second)
		t2 := t1.Add(time.Hour)
		f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusScheduled, At: &t1})
		got := f.step("alpha/chief", p.ID, post.TransitionInput{To: post.StatusScheduled, At: &t2})
		if got.ScheduledAt == nil || !got.ScheduledAt.Equal(t2) {
			t.Errorf("scheduled at %v, want %v", got.ScheduledAt, t2)
		}
		if s := f.get("alpha", p.ID); s.ScheduledAt == nil || !s.ScheduledAt.Equal(t2) {
			t.Errorf("stored scheduled at %v, want %v", s.ScheduledAt, t2)
		}
	})
}

func TestWorkflowNoSite(t *testing.T) {
	f := newFixture(t)
	p, err := f.a.Posts.Create(f.ctx, f.T["epsilon"], f.actor("epsilon/contributor"), goodInput("Tin của đơn vị chưa có trang"))
	if err != nil {
		t.Fatal(err)
	}
	if p.SectionID != nil {
		t.Errorf("an item of a tenant without a site has section %v", *p.SectionID)
	}
	_, err = f.a.Posts.Transition(f.ctx, f.T["epsilon"], f.actor("epsilon/chief"), p.ID, post.TransitionInput{To: post.StatusPublished, Force: true, Note: "Thử"})
	if e := errs.As(err); e == nil || e.Code != "no_site" {
		t.Errorf("publishing without a site: %v", err)
	}
	if got, _ := post.Get(f.ctx, f.db, f.T["epsilon"].ID, p.ID); got.Status != post.StatusDraft || got.NotReviewed {
		t.Errorf("after the refusal: %s not_reviewed %v", got.Status, got.NotReviewed)
	}
}

// TestTransitionCommitsWithItsRecord checks that a step and its record are
// one transaction: when anything in it fails, neither stays.
func TestTransitionCommitsWithItsRecord(t *testing.T) {
	f := newFixture(t)
	p := f.atState(t, post.StatusApproved, "Bài thử giao dịch")
	failing := &post.Service{DB: f.db, Sanitizer: f.a.Posts.Sanitizer, AfterWrite: []func(context.Context, bun.Tx, *post.Post, string) error{
		func(_ context.Context, _ bun.Tx, _ *post.Post, change string) error {
			return errors.New("hook fails after " + change)
		},
	}}
	_, err := failing.Transition(f.ctx, f.T["alpha"], f.actor("alpha/chief"), p.ID, post.TransitionInput{To: post.StatusPublished})
	if err == nil {
		t.Fatal("transition succeeded although its hook failed")
	}
	got := f.get("alpha", p.ID)
	if got.Status != post.StatusApproved || got.PublishedAt != nil {
		t.Errorf("status %s published_at %v after a failed transaction", got.Status, got.PublishedAt)
	}
	ts, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.To == post.StatusPublished {
			t.Errorf("a transition to published was recorded: %+v", x)
		}
	}
	if pg := f.public("alpha", "/bai-viet/"+p.Slug); pg.status != 404 {
		t.Errorf("public page %d", pg.status)
	}
}

func TestWorkflowConcurrency(t *testing.T) {
	f := newFixture(t)
	const n = 6
	t.Run("publishing the same item at once publishes it once", func(t *testing.T) {
		p := f.atState(t, post.StatusApproved, "Bài được đăng cùng lúc")
		errc := make(chan error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			key := []string{"alpha/chief", "alpha/deputy"}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.a.Posts.Transition(f.ctx, f.T["alpha"], f.actor(key), p.ID, post.TransitionInput{To: post.StatusPublished})
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		ok := 0
		for err := range errc {
			switch {
			case err == nil:
				ok++
			case !errs.Is(err, errs.KindConflict):
				t.Errorf("a concurrent publish failed with %v, want success or 409", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d publishes succeeded, want 1", ok)
		}
		ts, err := post.Transitions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		pubs := 0
		for _, x := range ts {
			if x.To == post.StatusPublished {
				pubs++
			}
		}
		if pubs != 1 {
			t.Errorf("%d transitions to published", pubs)
		}
	})
	t.Run("concurrent edits from one version: one wins, the others are kept as conflicts", func(t *testing.T) {
		p := f.create("alpha/editor", goodInput("Bài được sửa cùng lúc"))
		errc := make(chan error, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := goodInput(fmt.Sprintf("Bài được sửa cùng lúc, bản %d", i))
				_, err := f.a.Posts.Update(f.ctx, f.T["alpha"], f.actor("alpha/editor"), p.ID, p.Version, in)
				errc <- err
			}()
		}
		wg.Wait()
		close(errc)
		ok, conflicts := 0, 0
		for err := range errc {
			var ce *post.ConflictError
			switch {
			case err == nil:
				ok++
			case errors.As(err, &ce):
				conflicts++
			default:
				t.Errorf("a concurrent edit failed with %v", err)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Errorf("%d saved, %d conflicts; want 1 and %d", ok, conflicts, n-1)
		}
		revs, err := post.Revisions(f.ctx, f.db, f.T["alpha"].ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != n+1 {
			t.Errorf("%d revisions, want %d (create, one save, %d conflicts)", len(revs), n+1, n-1)
		}
		if got := f.get("alpha", p.ID); got.Version != 2 {
			t.Errorf("version %d", got.Version)
		}
	})
	t.Run("items created at once with one title get distinct slugs", func(t *testing.T) {
		errc := make(chan error, n)
		slugs := make(chan string, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := f.a.Posts.Create(f.ctx, f.T["alpha"], f.actor("alpha/contributor"), goodInput("Thông báo tuyển sinh"))
				errc <- err
				if err == nil {
					slugs <- p.Slug
				}
			}()
		}
		wg.Wait()
		close(errc)
		close(slugs)
		for err := range errc {
			if err != nil {
				t.Errorf("BUG: a concurrent create failed: %v", err)
			}
		}
		seen := map[string]bool{}
		for s := range slugs {
			if seen[s] {
				t.Errorf("slug %q given twice", s)
			}
			seen[s] = true
		}
	})
}

// TestCreateTakesNoSlugLock: choosing a slug used to take a per-tenant
// advisory lock held until commit, so one stuck transaction stopped every
// create of its tenant. The unique index settles collisions now; a create
// goes through while that old lock is held elsewhere.
func TestCreateTakesNoSlugLock(t *testing.T) {
	if dbtest.Dialect() != "postgres" {
		t.Skip("advisory locks are PostgreSQL's")
	}
	f := newFixture(t)
	tx, err := f.db.BeginTx(f.ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(f.ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", "post-slug:"+f.T["alpha"].ID); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
	defer cancel()
	if _, err := f.a.Posts.Create(ctx, f.T["alpha"], f.actor("alpha/contributor"), goodInput("Tin không phải chờ khóa")); err != nil {
		t.Fatalf("create while another transaction holds the tenant's slug lock: %v", err)
	}
}
