package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// TestAcceptedCopyOwnsItsPictures: accepting a unit's item gives the
// Department its own copy of the picture; the copy does not link to the
// unit's file and keeps working after the unit's object is gone.
func TestAcceptedCopyOwnsItsPictures(t *testing.T) {
	ctx := context.Background()
	a := opsApp(t, nil) // department "so"
	unit, err := newUnit(t, a)
	if err != nil {
		t.Fatal(err)
	}
	dept, _ := a.Registry.BySlug("so")
	img, err := media.DemoImage(7, "Phiên giao dịch việc làm")
	if err != nil {
		t.Fatal(err)
	}
	pic, err := a.Media.Upload(ctx, unit.ID, "u1", "phien-giao-dich.jpg", bytes.NewReader(img), "Người lao động tìm hiểu thông tin tuyển dụng", "")
	if err != nil {
		t.Fatal(err)
	}
	all := post.Actor{ID: "u1", Can: func(authz.Permission) bool { return true }}
	p, err := a.Posts.Create(ctx, unit, all, post.Input{
		Title: "Phiên giao dịch việc làm tháng 11", Summary: "Hơn 1.200 lao động tham gia phiên giao dịch.",
		Body:   `<figure><img src="` + pic.Path() + `" alt="Người lao động"><figcaption>Ảnh: Trung tâm</figcaption></figure><p>Nội dung.</p>`,
		Fields: []string{"lao-dong-viec-lam"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []post.Status{post.StatusSubmitted, post.StatusApproved, post.StatusPublished} {
		if _, err := a.Posts.Transition(ctx, unit, all, p.ID, post.TransitionInput{To: to}); err != nil {
			t.Fatalf("%s: %v", to, err)
		}
	}
	sub, err := a.Crosspost.Send(ctx, unit, all, p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	_, cp, err := a.Crosspost.Accept(ctx, dept, post.Actor{ID: "d1", Can: func(authz.Permission) bool { return true }}, sub.ID, crosspost.AcceptInput{Publish: true})
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	if strings.Contains(cp.Body, "/media/"+pic.ID+"/") {
		t.Fatal("the Department's copy links to the unit's picture")
	}
	copies, err := media.List(ctx, a.DB, dept.ID, media.Filter{})
	if err != nil || len(copies) != 1 {
		t.Fatalf("Department media = %d (%v)", len(copies), err)
	}
	if !strings.Contains(cp.Body, copies[0].Path()) {
		t.Fatalf("copy body %q does not use the Department's media %s", cp.Body, copies[0].Path())
	}
	// The unit's object disappears (deleted, lost): the copy still shows its picture.
	if err := a.Media.Store().Delete(ctx, pic.ObjectKey); err != nil {
		t.Fatal(err)
	}
	res := fetch(t, a, "so.localhost", copies[0].Path())
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || len(got) == 0 {
		t.Fatalf("the copy's picture = %d (%d bytes)", res.StatusCode, len(got))
	}
	if res := fetch(t, a, "so.localhost", pic.Path()); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the unit's picture on the Department's host = %d", res.StatusCode)
	}
}

func newUnit(t *testing.T, a *app.App) (*tenancy.Tenant, error) {
	t.Helper()
	u, err := app.NewProvisioner(a.Config, a.DB).Create(context.Background(), provision.Input{Slug: "don-vi", Name: "Trung tâm Dịch vụ việc làm", Kind: "unit", Parent: "so"})
	if err != nil {
		return nil, err
	}
	return u, a.Registry.Refresh(context.Background())
}
