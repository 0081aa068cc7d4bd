package app_test

// The board edits its agency pages in the console (/t/<slug>/trang-thong-tin)
// and a visitor of its site sees the change: the Decree 42 profile in the
// footer, the functions and duties, the leaders, the block order.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAgencyPagesEditedInTheConsole(t *testing.T) {
	w := newIsoWorld(t)
	admin := w.session("qtA")
	page := "/t/" + isoSlugA + "/trang-thong-tin"

	r := admin.do(http.MethodGet, page, nil)
	if r.status != http.StatusOK {
		t.Fatalf("editor: %s", r)
	}
	for _, want := range []string{"Nghị định 42/2022 còn thiếu", "Người chịu trách nhiệm quản lý nội dung", "Thư điện tử"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the checklist lacks %q", want)
		}
	}
	if d := admin.do(http.MethodGet, "/", nil); !strings.Contains(d.body, "trang thông tin còn thiếu theo Nghị định 42/2022") {
		t.Error("the dashboard does not show the Decree 42 checklist")
	}

	form := url.Values{
		"governing_body": {"Sở Lao động Cách Ly"}, "responsible_person": {"Phan Văn Trọng"}, "responsible_title": {"Giám đốc"},
		"licence": {"77/GP-TTĐT"}, "licence_date": {"05/04/2019"}, "address": {"9 Trần Phú, Đông Hà"},
		"phone": {"0233 385 0000"}, "email": {"anhdao@quangtri.gov.vn"}, "hotline": {""}, "fax": {""},
		"address_en": {"9 Tran Phu Street, Dong Ha"}, "name_en": {"Anh Dao Centre"},
		"about": {"Chăm sóc, nuôi dưỡng đối tượng bảo trợ xã hội."}, "about_en": {"Cares for people in need."},
		"place_lao-dong-viec-lam": {"1"},
	}
	if r := admin.post(page, form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %s", r)
	}
	if r := admin.post(page+"/lanh-dao", url.Values{"name": {"Phan Văn Trọng"}, "title": {"Giám đốc"}, "title_en": {"Director"}, "email": {"trong@quangtri.gov.vn"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add leader: %s", r)
	}
	if r := admin.do(http.MethodGet, page, nil); strings.Contains(r.body, "Nghị định 42/2022 còn thiếu") || !strings.Contains(r.body, "Phan Văn Trọng") {
		t.Error("after saving, the checklist remains or the leader is missing")
	}

	site := &visitor{t: t, a: w.a, host: "anhdao.gov.vn", jar: map[string]string{}}
	home := site.do(http.MethodGet, "/", nil)
	footer := home.body[strings.Index(home.body, `<footer`):]
	for _, want := range []string{"Phan Văn Trọng", "77/GP-TTĐT", "9 Trần Phú, Đông Hà", "0233 385 0000", "anhdao@quangtri.gov.vn"} {
		if !strings.Contains(footer, want) {
			t.Errorf("the site's footer lacks %q", want)
		}
	}
	if r := site.do(http.MethodGet, "/gioi-thieu", nil); !strings.Contains(r.body, "Chăm sóc, nuôi dưỡng đối tượng bảo trợ xã hội.") {
		t.Error("/gioi-thieu lacks the functions and duties")
	}
	if r := site.do(http.MethodGet, "/en", nil); !strings.Contains(r.body, "Anh Dao Centre") || !strings.Contains(r.body, "Cares for people in need.") || !strings.Contains(r.body, "Director") {
		t.Error("/en lacks the English name, text or leader")
	}
	// Data kept in Vietnamese only is marked so, for a screen reader on /en.
	if r := site.do(http.MethodGet, "/en", nil); !strings.Contains(r.body, `<span lang="vi">Sở Lao động Cách Ly</span>`) ||
		!strings.Contains(r.body, `<span lang="vi">Phan Văn Trọng – Giám đốc</span>`) {
		t.Error("/en does not mark the Vietnamese data of its footer lang=\"vi\"")
	}

	t.Run("bad input comes back as a message", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("email", "không phải thư")
		bad.Set("responsible_person", "Người Mới Gõ")
		r := admin.post(page, bad)
		// The form comes back with the message and what was typed, so
		// nothing typed is lost to one mistake.
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không hợp lệ") ||
			!strings.Contains(r.body, `value="Người Mới Gõ"`) || !strings.Contains(r.body, `value="không phải thư" maxlength="254" aria-invalid="true"`) {
			t.Errorf("a bad e-mail: want 422 with the message and the typed values: %s", r)
		}
		bad.Set("email", "anhdao@quangtri.gov.vn")
		bad.Set("licence_date", "31/02/2024")
		if r := admin.post(page, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "31/02/2024 không có trong lịch") ||
			!strings.Contains(r.body, `value="31/02/2024"`) {
			t.Errorf("a day not in the calendar: %s", r)
		}
		if r := admin.do(http.MethodGet, page, nil); strings.Contains(r.body, "Người Mới Gõ") || !strings.Contains(r.body, `value="05/04/2019"`) {
			t.Errorf("a refused save changed the profile, or the licence date is not shown as dd/mm/yyyy: %s", r)
		}
		r = admin.post(page+"/lanh-dao", url.Values{"name": {"Lê Thị Gõ Dở"}, "title": {"Phó Giám đốc"}, "phone": {"gọi tôi"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="Lê Thị Gõ Dở"`) || !strings.Contains(r.body, `value="Phó Giám đốc"`) {
			t.Errorf("a refused leader: want 422 with what was typed: %s", r)
		}
	})
	t.Run("only the board's admins, only their own tenant", func(t *testing.T) {
		if r := w.session("ctvA").do(http.MethodGet, page, nil); r.status != http.StatusForbidden {
			t.Errorf("a contributor opens the editor: %d", r.status)
		}
		if r := admin.do(http.MethodGet, "/t/"+isoSlugB+"/trang-thong-tin", nil); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("A's admin opens B's editor: %d", r.status)
		}
		if r := admin.post("/t/"+isoSlugB+"/trang-thong-tin", url.Values{"about": {"x"}}); r.status != http.StatusForbidden && r.status != http.StatusNotFound {
			t.Errorf("A's admin saves B's pages: %d", r.status)
		}
	})
}
