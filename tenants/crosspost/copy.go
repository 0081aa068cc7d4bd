package crosspost

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// copyOpts are the editor's choices for a copy.
type copyOpts struct {
	publish   bool
	agreement string
	note      string // the copy's first revision note
}

// copyInto makes the parent's copy of orig as it stood at revision rev
// (the current text when rev is 0 or gone): media copied into the
// parent's storage, provenance recorded. A republished original stays
// republished (and locked) and must cite an agreement of the parent.
func (s *Service) copyInto(ctx context.Context, tx bun.Tx, to, from *tenancy.Tenant, orig *post.Post, rev int, actor post.Actor, o copyOpts) (*post.Post, error) {
	in := post.Input{Title: orig.Title, Summary: orig.Summary, Body: orig.Body, Type: orig.Type, Section: orig.SectionSlug,
		Fields: orig.Fields, EventDate: orig.EventDate, Byline: orig.Byline}
	changed := false
	if r, err := post.GetRevision(ctx, tx, from.ID, orig.ID, rev); err == nil && rev > 0 && orig.Type != post.TypeRepublished {
		changed = r.Title != orig.Title || r.Summary != orig.Summary || r.Body != orig.Body
		in.Title, in.Summary, in.Body, in.EventDate, in.Byline = r.Title, r.Summary, r.Body, r.EventDate, r.Byline
		if r.Fields != "" {
			in.Fields = strings.Split(r.Fields, ",")
		}
	} else if rev, err = latestRevision(ctx, tx, from.ID, orig.ID); err != nil {
		return nil, err
	}
	body, featured, err := s.copyMedia(ctx, tx, from.ID, to.ID, in.Body, orig.FeaturedMediaID)
	if err != nil {
		return nil, err
	}
	in.Body = body
	if orig.Type == post.TypeRepublished {
		agID, err := s.agreementFor(ctx, tx, to, orig.SourceOutlet, o.agreement)
		if err != nil {
			return nil, err
		}
		in.Source = &post.SourceInput{Outlet: orig.SourceOutlet, URL: orig.SourceURL, Author: orig.SourceAuthor,
			PublishedAt: orig.SourcePublishedAt, AgreementID: agID}
	}
	return s.Posts.CreateCopy(ctx, tx, to, actor, post.CopyInput{Input: in, FeaturedMediaID: featured,
		OriginTenantID: from.ID, OriginPostID: orig.ID, OriginRevision: rev, SourceChanged: changed,
		PublishStraight: o.publish, Note: o.note})
}

// copyMedia copies the item's media through CopyMedia. Without it, an
// item with images cannot be copied: the copy would hot-link the sender.
func (s *Service) copyMedia(ctx context.Context, tx bun.Tx, from, to, body string, featured *string) (string, *string, error) {
	if s.CopyMedia != nil {
		return s.CopyMedia(ctx, tx, from, to, body, featured)
	}
	if featured != nil || strings.Contains(body, "<img") {
		return "", nil, errs.Unavailable("media_copy_unavailable", "Chưa sao chép được ảnh của bài sang kho của đơn vị nhận; vui lòng thử lại sau", errMediaUnwired)
	}
	return body, nil, nil
}

// agreementFor picks the receiving tenant's agreement for a republished
// item: the one chosen, or a valid one with the item's outlet.
func (s *Service) agreementFor(ctx context.Context, tx bun.Tx, to *tenancy.Tenant, outlet, chosen string) (string, error) {
	if chosen != "" {
		return chosen, nil // applySource checks it exists, is valid and matches the outlet
	}
	ags, err := post.Agreements(ctx, tx, to.ID)
	if err != nil {
		return "", err
	}
	for _, a := range ags {
		if post.SameOutlet(a.Outlet, outlet) && a.ValidAt(s.now()) {
			return a.ID, nil
		}
	}
	return "", errs.Unprocessable("agreement", "agreement_required", fmt.Sprintf(
		"Bài đăng lại từ %s: %s chưa có thỏa thuận còn hiệu lực với %s trong sổ thỏa thuận; hãy bổ sung trước khi nhận bài", outlet, to.Name, outlet))
}

// PullInput is a parent editor's pull of a descendant's published item.
type PullInput struct {
	Tenant    string // the descendant's slug
	Post      string
	Publish   bool
	Note      string
	Agreement string
}

// Pull copies a published item of any descendant into the tenant, recorded
// as a submission of origin "pulled" (accepted at once, never counted for
// the sender's quota). A tenant that is not a descendant, or an item that
// is not published, does not exist for the puller.
func (s *Service) Pull(ctx context.Context, to *tenancy.Tenant, actor post.Actor, in PullInput) (*Submission, *post.Post, error) {
	if !actor.Can(authz.PullCreate) || (in.Publish && !actor.Can(authz.PostPublish)) {
		return nil, nil, errs.Forbidden("forbidden", "Bạn không có quyền lấy bài của đơn vị cấp dưới")
	}
	from, ok := s.Registry.BySlug(strings.TrimSpace(in.Tenant))
	if !ok || !s.isAncestor(to.ID, from) {
		return nil, nil, errs.NotFound("post_not_found", "Không tìm thấy bài viết")
	}
	note, err := cleanNote("note", in.Note)
	if err != nil {
		return nil, nil, err
	}
	var sub *Submission
	var cp *post.Post
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		orig, err := post.GetForUpdate(ctx, tx, from.ID, in.Post)
		if err == nil && orig.Status != post.StatusPublished {
			err = errs.NotFound("post_not_found", "Không tìm thấy bài viết đã đăng")
		}
		if err != nil {
			return err
		}
		if cur, err := liveByItem(ctx, tx, from.ID, orig.ID, true); err != nil || cur != nil {
			if err != nil {
				return err
			}
			return alreadyLive(cur, to)
		}
		if cp, err = s.copyInto(ctx, tx, to, from, orig, 0, actor, copyOpts{in.Publish, in.Agreement, "Lấy bài từ " + from.Name}); err != nil {
			return err
		}
		now := s.now()
		sub = &Submission{ParentTenantID: to.ID, ID: db.NewID(), ChildTenantID: from.ID, PostID: orig.ID, Origin: OriginPulled,
			State: StateAccepted, PostType: orig.Type, FirstSentAt: now, SentAt: now, SentBy: actor.ID, Note: note,
			DecidedAt: &now, DecidedBy: &actor.ID, AcceptedPostID: &cp.ID, OriginRevision: cp.OriginRevision, CreatedAt: now, UpdatedAt: now}
		if err := insert(ctx, tx, sub); err != nil {
			return err
		}
		if err := record(ctx, tx, sub, "pulled", actor.ID, note, now); err != nil {
			return err
		}
		return post.Notify(ctx, tx, from.ID, "", "submission_pulled",
			fmt.Sprintf("%s đã lấy bài “%s” về trang của mình", to.Name, orig.Title), "/t/"+from.Slug+"/da-gui")
	})
	if err != nil {
		return nil, nil, err
	}
	return sub, cp, nil
}

// Candidate is a descendant's published item a parent may pull.
type Candidate struct {
	Post   *post.Post
	From   *tenancy.Tenant
	Taken  *Submission // its live submission, if any
	Pulled bool        // Taken belongs to this tenant
}

// CandidateFilter narrows the items offered for pulling.
type CandidateFilter struct {
	Tenant, Query, Field string
	Type                 post.Type
	Limit, Offset        int
}

// Candidates lists published items of the tenant's descendants, newest
// first.
func (s *Service) Candidates(ctx context.Context, to *tenancy.Tenant, f CandidateFilter) ([]Candidate, error) {
	byID := map[string]*tenancy.Tenant{}
	for _, d := range s.descendants(to.ID) {
		if f.Tenant == "" || d.Slug == f.Tenant {
			byID[d.ID] = d
		}
	}
	if len(byID) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	var ps []*post.Post
	q := s.DB.NewSelect().Model(&ps).Where("p.tenant_id IN (?) AND p.status = ?", bun.List(ids), post.StatusPublished)
	if f.Type != "" {
		q = q.Where("p.type = ?", f.Type)
	}
	if f.Field != "" {
		q = q.Where("EXISTS (SELECT 1 FROM post_fields AS pf WHERE pf.tenant_id = p.tenant_id AND pf.post_id = p.id AND pf.field_code = ?)", f.Field)
	}
	if t := strings.ToLower(strings.TrimSpace(f.Query)); t != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t) + "%"
		q = q.Where("(LOWER(p.title) LIKE ? ESCAPE '\\' OR LOWER(p.summary) LIKE ? ESCAPE '\\')", like, like)
	}
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 30
	}
	if err := q.OrderExpr("p.published_at DESC, p.id DESC").Limit(int64(limit)).Offset(int64(max(f.Offset, 0))).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list pull candidates: %w", err)
	}
	out := make([]Candidate, 0, len(ps))
	for _, p := range ps {
		c := Candidate{Post: p, From: byID[p.TenantID]}
		cur, err := liveByItem(ctx, s.DB, p.TenantID, p.ID, false)
		if err != nil {
			return nil, err
		}
		c.Taken, c.Pulled = cur, cur != nil && cur.ParentTenantID == to.ID
		out = append(out, c)
	}
	return out, nil
}
