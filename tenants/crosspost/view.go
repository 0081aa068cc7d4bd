package crosspost

import (
	"context"
	"time"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// Detail is a submission with what pages and the API show about it.
type Detail struct {
	Submission
	From, To *tenancy.Tenant
	// Post is the original item (nil if it no longer exists).
	Post *post.Post
	// Copy is the receiving tenant's copy, once accepted or pulled.
	Copy *post.Post
	// History is filled by Detailed (one submission) only.
	History []Event
}

// Waited is how long the submission waited (or has waited) for a decision.
func (d *Detail) Waited(now time.Time) time.Duration {
	if d.DecidedAt != nil {
		return d.DecidedAt.Sub(d.SentAt)
	}
	if d.State != StateSent {
		return d.UpdatedAt.Sub(d.SentAt)
	}
	return now.Sub(d.SentAt)
}

// Details completes submissions with their tenants, originals and copies.
// Items are loaded per tenant (originals by the sender, copies by the
// receiver), never across tenants in one query.
func (s *Service) Details(ctx context.Context, subs []Submission) ([]Detail, error) {
	originals, copies := map[string][]string{}, map[string][]string{}
	for _, sub := range subs {
		originals[sub.ChildTenantID] = append(originals[sub.ChildTenantID], sub.PostID)
		if sub.AcceptedPostID != nil {
			copies[sub.ParentTenantID] = append(copies[sub.ParentTenantID], *sub.AcceptedPostID)
		}
	}
	load := func(byTenant map[string][]string) (map[string]map[string]*post.Post, error) {
		out := map[string]map[string]*post.Post{}
		for tid, ids := range byTenant {
			m, err := loadPosts(ctx, s.DB, tid, ids)
			if err != nil {
				return nil, err
			}
			out[tid] = m
		}
		return out, nil
	}
	op, err := load(originals)
	if err != nil {
		return nil, err
	}
	cp, err := load(copies)
	if err != nil {
		return nil, err
	}
	out := make([]Detail, 0, len(subs))
	for _, sub := range subs {
		d := Detail{Submission: sub, Post: op[sub.ChildTenantID][sub.PostID]}
		if sub.AcceptedPostID != nil {
			d.Copy = cp[sub.ParentTenantID][*sub.AcceptedPostID]
		}
		if d.From, err = s.tenant(ctx, s.DB, sub.ChildTenantID); err != nil {
			return nil, err
		}
		if d.To, err = s.tenant(ctx, s.DB, sub.ParentTenantID); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Detailed loads one submission of a parent's inbox with its history.
func (s *Service) Detailed(ctx context.Context, parentID, id string) (*Detail, error) {
	sub, err := Get(ctx, s.DB, parentID, id)
	if err != nil {
		return nil, err
	}
	ds, err := s.Details(ctx, []Submission{*sub})
	if err != nil {
		return nil, err
	}
	d := ds[0]
	if d.History, err = History(ctx, s.DB, parentID, id); err != nil {
		return nil, err
	}
	return &d, nil
}

// TenantRef names a tenant in the API.
type TenantRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// PostRef is the sent item in the API.
type PostRef struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Type         post.Type `json:"type"`
	Status       string    `json:"status"`
	Fields       []string  `json:"fields"`
	EventDate    string    `json:"event_date"`
	LintErrors   int       `json:"lint_errors"`
	LintWarnings int       `json:"lint_warnings"`
}

// CopyRef is the receiving tenant's copy in the API.
type CopyRef struct {
	ID            string `json:"id"`
	URL           string `json:"url"`
	Status        string `json:"status"`
	SourceChanged bool   `json:"source_changed"`
}

// EventView is one history step in the API.
type EventView struct {
	Kind      string    `json:"kind"`
	Label     string    `json:"label"`
	ActorID   string    `json:"actor_id"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// View is the contract's Submission shape, with what the inbox adds.
type View struct {
	ID            string      `json:"id"`
	State         State       `json:"state"`
	Origin        Origin      `json:"origin"`
	From          TenantRef   `json:"from"`
	To            TenantRef   `json:"to"`
	Post          PostRef     `json:"post"`
	SentAt        time.Time   `json:"sent_at"`
	FirstSentAt   time.Time   `json:"first_sent_at"`
	DecidedAt     *time.Time  `json:"decided_at"`
	Note          string      `json:"note"`
	DecisionNote  string      `json:"decision_note"`
	Reason        string      `json:"reason,omitempty"`
	Counts        bool        `json:"counts"`
	WaitedSeconds int64       `json:"waited_seconds"`
	AcceptedPost  *CopyRef    `json:"accepted_post"`
	History       []EventView `json:"history,omitempty"`
}

// ViewOf returns the API shape of d; url builds a copy's public address.
func ViewOf(d *Detail, now time.Time, url func(t *tenancy.Tenant, p *post.Post) string) View {
	v := View{ID: d.ID, State: d.State, Origin: d.Origin, SentAt: d.SentAt, FirstSentAt: d.FirstSentAt,
		DecidedAt: d.DecidedAt, Note: d.Note, DecisionNote: d.DecisionNote, Counts: d.Counts,
		WaitedSeconds: int64(d.Waited(now) / time.Second), Post: PostRef{ID: d.PostID, Type: d.PostType, Fields: []string{}}}
	if d.RefuseReason != nil {
		v.Reason = *d.RefuseReason
	}
	if d.From != nil {
		v.From = TenantRef{d.From.Slug, d.From.Name}
	}
	if d.To != nil {
		v.To = TenantRef{d.To.Slug, d.To.Name}
	}
	if p := d.Post; p != nil {
		v.Post = PostRef{ID: p.ID, Title: p.Title, Type: p.Type, Status: string(p.Status), Fields: p.Fields,
			LintErrors: p.LintErrors, LintWarnings: p.LintWarnings}
		if p.EventDate != nil {
			v.Post.EventDate = p.EventDate.Format("2006-01-02")
		}
	}
	if c := d.Copy; c != nil {
		v.AcceptedPost = &CopyRef{ID: c.ID, URL: url(d.To, c), Status: string(c.Status), SourceChanged: c.SourceChanged}
	}
	for _, e := range d.History {
		v.History = append(v.History, EventView{e.Kind, EventLabel(e.Kind), e.ActorID, e.Note, e.CreatedAt})
	}
	return v
}
