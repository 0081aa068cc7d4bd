package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// Exchange is what the demo needs to send items to the Department.
type Exchange struct {
	DB        *bun.DB
	Posts     *post.Service
	Crosspost *crosspost.Service
	Media     *media.Service
}

// habit is how diligent a contributor is in the demo: the share of weeks
// in which it sends an item to the Department.
func habit(slug string) float64 {
	switch slug {
	case "trung-tam-dich-vu-viec-lam", "trung-tam-cong-tac-xa-hoi", "phong-lao-dong-viec-lam", "doan-thanh-nien-so":
		return 1.0 // always on time (one union among them)
	case "cong-doan-so", "ban-quan-ly-nghia-trang", "thanh-tra-so":
		return 0.15
	}
	return 0.6
}

// SeedExchange makes the quota report interesting: every tenant was
// onboarded ten weeks ago, contributors sent items to the Department's
// board over the last eight weeks (some always on time, some missing
// weeks, one union active), the Department accepted most, returned some
// and refused one; no item covers gender equality, so the report shows an
// uncovered field. Items of the Department get generated pictures.
func (e *Exchange) SeedExchange(ctx context.Context, ts map[string]*tenancy.Tenant, now time.Time) (int, error) {
	onboarded := now.AddDate(0, 0, -70)
	if _, err := e.DB.NewUpdate().Table("tenants").Set("onboarded_at = ?", onboarded).Where("1 = 1").Exec(ctx); err != nil {
		return 0, fmt.Errorf("demo onboarding dates: %w", err)
	}
	if _, err := e.DB.NewUpdate().Table("tenant_history").Set("valid_from = ?", onboarded).Where("op = 'create'").Exec(ctx); err != nil {
		return 0, fmt.Errorf("demo onboarding dates: %w", err)
	}
	dept := ts[DepartmentSlug]
	all := func(authz.Permission) bool { return true }
	authors, err := LoadAuthors(ctx, e.DB)
	if err != nil {
		return 0, err
	}
	var clock time.Time
	posts := *e.Posts
	posts.Now = func() time.Time { return clock }
	cp := *e.Crosspost
	cp.Posts = &posts
	cp.Now = func() time.Time { return clock }
	rng := rand.New(rand.NewPCG(11, 2024))
	var pool []story
	for _, s := range stories() {
		if s.Field != "binh-dang-gioi" {
			pool = append(pool, s)
		}
	}
	monday := weekStart(now)
	sent := 0
	refused := false
	for _, o := range Organisation() {
		if o.Kind == tenancy.KindDepartment {
			continue
		}
		t := ts[o.Slug]
		actor := post.Actor{ID: authors[o.Slug].Writer, Can: all}
		chief := post.Actor{ID: authors[DepartmentSlug].Chief, Can: all}
		for w := 8; w >= 1; w-- {
			if rng.Float64() >= habit(o.Slug) {
				continue
			}
			clock = monday.AddDate(0, 0, -7*w+rng.IntN(5)).Add(time.Duration(8+rng.IntN(8)) * time.Hour)
			st := pool[rng.IntN(len(pool))]
			event := clock.Add(-time.Duration(1+rng.IntN(3)) * 24 * time.Hour)
			in := post.Input{Title: st.Title + " tại " + shortName(o), Summary: st.Summary, Type: st.Type,
				Fields: []string{st.Field}, EventDate: &event,
				Body: fmt.Sprintf("<p>%s</p><p>%s</p>", st.Summary, demoParagraph(st.Field))}
			p, err := posts.Create(ctx, t, actor, in)
			if err != nil {
				return sent, fmt.Errorf("demo exchange item of %s: %w", o.Slug, err)
			}
			if t.HasSite {
				for _, to := range []post.Status{post.StatusSubmitted, post.StatusApproved, post.StatusPublished} {
					if _, err := posts.Transition(ctx, t, actor, p.ID, post.TransitionInput{To: to}); err != nil {
						return sent, fmt.Errorf("demo exchange %s: %w", to, err)
					}
				}
			}
			clock = clock.Add(30 * time.Minute)
			sub, err := cp.Send(ctx, t, actor, p.ID, "Kính gửi Ban Biên tập Sở.")
			if err != nil {
				return sent, fmt.Errorf("demo send of %s: %w", o.Slug, err)
			}
			sent++
			clock = clock.Add(time.Duration(3+rng.IntN(30)) * time.Hour)
			if clock.After(now) {
				continue // still waiting in the inbox
			}
			switch r := rng.IntN(10); {
			case r == 0 && !refused:
				refused = true
				_, err = cp.Refuse(ctx, dept, chief, sub.ID, crosspost.ReasonDuplicate, "Trùng nội dung với tin đã đăng.")
			case r <= 1:
				_, err = cp.Return(ctx, dept, chief, sub.ID, "Đề nghị bổ sung số liệu và ảnh minh họa.")
			default:
				_, _, err = cp.Accept(ctx, dept, chief, sub.ID, crosspost.AcceptInput{Publish: true})
			}
			if err != nil {
				return sent, fmt.Errorf("demo decision for %s: %w", o.Slug, err)
			}
		}
	}
	return sent, nil
}

// weekStart is Monday 00:00 (Vietnam time) of the week containing t.
func weekStart(t time.Time) time.Time {
	v := t.In(vntext.Location())
	d := (int(v.Weekday()) + 6) % 7
	return time.Date(v.Year(), v.Month(), v.Day()-d, 0, 0, 0, 0, vntext.Location())
}

func shortName(o Org) string {
	if o.Short != "" {
		return o.Short
	}
	return o.Name
}

// SeedPictures gives the Department's published items a generated
// featured picture (renditions are made by the job worker once the
// platform serves).
func (e *Exchange) SeedPictures(ctx context.Context, ts map[string]*tenancy.Tenant) (int, error) {
	if e.Media == nil {
		return 0, nil
	}
	n := 0
	for _, slug := range []string{DepartmentSlug, "trung-tam-dich-vu-viec-lam", "trung-tam-cong-tac-xa-hoi"} {
		t := ts[slug]
		ps, err := post.List(ctx, e.DB, t.ID, post.Filter{Public: true, Limit: 12})
		if err != nil {
			return n, err
		}
		for i, p := range ps {
			if p.Type == post.TypeRepublished {
				continue
			}
			img, err := media.DemoImage(i+len(slug), p.Title)
			if err != nil {
				return n, err
			}
			m, err := e.Media.Upload(ctx, t.ID, "demo", fmt.Sprintf("anh-%d.jpg", i+1), bytes.NewReader(img), "Ảnh minh họa: "+p.Title, "Ảnh: Ban Biên tập")
			if err != nil {
				return n, fmt.Errorf("demo picture: %w", err)
			}
			if _, err := e.DB.NewUpdate().Table("posts").Set("featured_media_id = ?", m.ID).
				Where("tenant_id = ? AND id = ?", t.ID, p.ID).Exec(ctx); err != nil {
				return n, fmt.Errorf("demo featured picture: %w", err)
			}
			n++
		}
	}
	return n, nil
}
