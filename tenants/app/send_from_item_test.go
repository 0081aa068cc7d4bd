package app_test

// An office (no site of its own) sends its draft to the Department's
// board from the item's page. An item without a field is refused by the
// board's rules: the page says so before the click, and the refusal comes
// back to the item's page, where the field can be chosen, not to the list
// of sent items.

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/provision"
)

func TestOfficeSendsFromTheItemPage(t *testing.T) {
	w := apptest.New(t, apptest.Options{
		Org: []provision.Input{
			{Slug: "so", Name: nameDept, Kind: tenancy.KindDepartment},
			{Slug: "vp", Name: nameOffice, Kind: tenancy.KindOffice, Parent: "so"},
		},
		People: []apptest.Person{{Key: "ctv", Email: "ctv@vp.gov.vn", Name: "Cộng tác viên Văn phòng", Tenant: "vp", Role: authz.RoleContributor}},
	})
	b := w.SignedIn("ctv")
	r := b.Post("/t/vp/bai-viet/moi", url.Values{"title": {"Văn phòng Sở họp giao ban tháng 12"}, "summary": {"Giao ban công tác tháng 12."},
		"body": {"<p>Sáng nay, Văn phòng Sở họp giao ban công tác tháng 12.</p>"}, "type": {"news"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create a draft: %s", r)
	}
	itemURL := r.Header.Get("Location")
	if m := regexp.MustCompile(`^/t/vp/bai-viet/[^/?]+$`).MatchString(strings.SplitN(itemURL, "?", 2)[0]); !m {
		t.Fatalf("created item at %q", itemURL)
	}
	itemURL = strings.SplitN(itemURL, "?", 2)[0]
	page := b.Get(itemURL)
	if !strings.Contains(page.Body, "Gửi bài này lên Ban Biên tập Sở (tính vào chỉ tiêu tuần)") || !strings.Contains(page.Body, "Bài chưa có lĩnh vực") {
		t.Fatalf("the item's page does not say a field is needed before sending:\n%s", page)
	}
	r = b.Post(itemURL+"/gui-so", url.Values{"from": {"item"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), itemURL) {
		t.Fatalf("a refused send goes back to the item's page: %s", r)
	}
	if back := b.Get(r.Header.Get("Location")); !strings.Contains(back.Body, "Cần chọn ít nhất một lĩnh vực trước khi gửi bài") {
		t.Errorf("the item's page does not say why the send was refused:\n%s", back)
	}
	// With a field, the same button sends it, and the list of sent items
	// shows it.
	edit := b.Get(itemURL + "/sua")
	v := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(edit.Body)
	if v == nil {
		t.Fatalf("no version in the edit form:\n%s", edit)
	}
	if r := b.Post(itemURL+"/sua", url.Values{"version": {v[1]}, "title": {"Văn phòng Sở họp giao ban tháng 12"}, "summary": {"Giao ban công tác tháng 12."},
		"body": {"<p>Sáng nay, Văn phòng Sở họp giao ban công tác tháng 12.</p>"}, "type": {"news"}, "fields": {"lao-dong-viec-lam"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("choose a field: %s", r)
	}
	if page := b.Get(itemURL); strings.Contains(page.Body, "Bài chưa có lĩnh vực") {
		t.Error("the hint stays once the item has a field")
	}
	r = b.Post(itemURL+"/gui-so", url.Values{"from": {"item"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/t/vp/da-gui") {
		t.Fatalf("send: %s", r)
	}
	if sent := b.Get("/t/vp/da-gui"); !strings.Contains(sent.Body, "Văn phòng Sở họp giao ban tháng 12") {
		t.Errorf("the sent list lacks the item:\n%s", sent)
	}
}
