package site_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/document"
	"github.com/trangtin/trangtin/tenants/post"
)

// publishDocument writes and publishes in alpha a document numbered number.
func (f *fixture) publishDocument(title, number string) *post.Post {
	f.t.Helper()
	in := input(title, "van-ban-phap-luat")
	in.Type = post.TypeDocument
	in.Extension = &document.Input{Fields: &document.Fields{Number: number, Kind: "quyet-dinh", Issuer: "UBND tỉnh"}}
	return f.publish(f.alpha, in)
}

// TestDocumentNumberSearch: a citizen finds a document by its number (số,
// ký hiệu) in the site's document library and in the site search, typed
// as printed (125/QĐ-UBND), without diacritics, in lower case, or only a
// part of it. Most numbers hold a Đ (QĐ, NĐ, SLĐTBXH), which neither
// SQLite's LOWER nor any LIKE folds to d. The number also follows the
// document through the workflow: every step rewrites the item's row.
func TestDocumentNumberSearch(t *testing.T) {
	f := newFixture(t)
	qd := f.publishDocument("Quyết định ban hành Kế hoạch giải quyết việc làm năm 2026", "125/QĐ-UBND")
	kh := f.publishDocument("Kế hoạch tổ chức Tháng hành động vì trẻ em năm 2026", "88/KH-SLĐTBXH")
	ct := f.publishDocument("Chỉ thị về tăng cường công tác an toàn lao động", "04/CT-UBND")
	news := f.publish(f.alpha, input("Tin tức về giải quyết việc làm", "tin-tuc-su-kien"))
	all := []*post.Post{qd, kh, ct}

	// found lists which of ps the page at path names.
	found := func(t *testing.T, path string, ps []*post.Post) []string {
		t.Helper()
		body := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f.alphaPage(path).body)
		var out []string
		for _, p := range ps {
			if strings.Contains(body, p.Title) {
				out = append(out, p.Title)
			}
		}
		return out
	}
	check := func(t *testing.T, q string, want ...*post.Post) {
		t.Helper()
		var titles []string
		for _, p := range want {
			titles = append(titles, p.Title)
		}
		for _, path := range []string{"/van-ban?q=" + url.QueryEscape(q), "/search?q=" + url.QueryEscape(q)} {
			if got := found(t, path, append(all, news)); strings.Join(got, "|") != strings.Join(titles, "|") {
				t.Errorf("%s lists %q, want %q", path, got, titles)
			}
		}
	}
	for _, tt := range []struct {
		q    string
		want []*post.Post
	}{
		{"125/QĐ-UBND", []*post.Post{qd}},
		{"125/QD-UBND", []*post.Post{qd}},
		{"125/qd-ubnd", []*post.Post{qd}},
		{"125/qđ-ubnd", []*post.Post{qd}},
		{"QĐ-UBND", []*post.Post{qd}},
		{"qđ", []*post.Post{qd}},
		{"88/KH-SLĐTBXH", []*post.Post{kh}},
		{"SLĐTBXH", []*post.Post{kh}},
		{"sldtbxh", []*post.Post{kh}},
		{"04/CT-UBND", []*post.Post{ct}},
		{"UBND", []*post.Post{qd, ct}},
		{"2150/SLĐTBXH", nil},
		// Every word, in any order, each with or without its marks.
		{"tháng hành động trẻ em", []*post.Post{kh}},
		{"quyết định việc làm", []*post.Post{qd}},
		{"viec lam   quyet dinh 2026", []*post.Post{qd}},
		{"QĐ 125", []*post.Post{qd}},
		{"UBND an toàn", []*post.Post{ct}},
		{"trẻ em việc làm", nil},
	} {
		t.Run(tt.q, func(t *testing.T) { check(t, tt.q, tt.want...) })
	}

	t.Run("a new number replaces the old one, through the edition's review", func(t *testing.T) {
		in := input(qd.Title, "van-ban-phap-luat")
		in.Type = post.TypeDocument
		in.Extension = &document.Input{Fields: &document.Fields{Number: "126/QĐ-UBND", Kind: "quyet-dinh", Issuer: "UBND tỉnh"}}
		p, err := f.a.Posts.Update(f.ctx, f.alpha, f.boss, qd.ID, qd.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "126/QĐ-UBND", qd)
		check(t, "125/QĐ-UBND")
		for _, to := range []post.Status{post.StatusSubmitted, post.StatusApproved, post.StatusPublished} {
			p = f.move(f.alpha, p, post.TransitionInput{To: to})
			check(t, "126/qd-ubnd", qd)
		}
	})
	t.Run("a withdrawn document keeps its number in the library", func(t *testing.T) {
		f.move(f.alpha, kh, post.TransitionInput{To: post.StatusWithdrawn, Note: "Thay thế bằng văn bản khác"})
		body := f.alphaPage("/van-ban?q=" + url.QueryEscape("88/KH-SLĐTBXH")).body
		if !strings.Contains(body, kh.Title) || !strings.Contains(body, "Đã gỡ bỏ") {
			t.Error("the withdrawn document is not listed with its notice")
		}
	})
}
