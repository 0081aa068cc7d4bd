package app_test

// The tenant profile of Decree 42/2022 through the API: its site-admin and
// a platform admin edit it, nobody else does, another tenant's profile is
// not even seen, bad values are refused naming their field, and every
// change lands in the audit log.

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

func decodeDetail(t *testing.T, r isoReply) tenancy.Detail {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("want 200: %s", r)
	}
	var d tenancy.Detail
	if err := json.Unmarshal([]byte(r.body), &d); err != nil {
		t.Fatalf("decode tenant: %v\n%s", err, r.body)
	}
	return d
}

func TestTenantProfileAPI(t *testing.T) {
	w := newIsoWorld(t)
	pathA := "/api/v1/tenants/" + isoSlugA

	before := decodeDetail(t, w.api("btvA").do(http.MethodGet, pathA, nil))
	if diff := cmp.Diff([]string{"responsible_person", "licence", "address", "phone", "email"}, before.Missing); diff != "" {
		t.Errorf("a new unit's missing profile fields (-want +got):\n%s", diff)
	}

	patch := map[string]any{
		"name_en": "Anh Dao Centre",
		"profile": map[string]any{
			"governing_body": "Sở Lao động Cách Ly", "responsible_person": "  Nguyễn   Văn An ",
			"responsible_title": "Giám đốc", "licence": "12/GP-TTĐT", "licence_date": "05/04/2019",
			"address": "Số 1 đường Hạc Thành, phường Điện Biên", "phone": "0237 3852 123",
			"email": "anhdao@sotest.gov.vn", "hotline": "1900 1234", "about_en": "Job services.\nTraining.",
		},
	}
	got := decodeDetail(t, w.api("qtA").doJSON(http.MethodPatch, pathA, patch))
	want := tenancy.Profile{
		GoverningBody: "Sở Lao động Cách Ly", ResponsiblePerson: "Nguyễn Văn An", ResponsibleTitle: "Giám đốc",
		Licence: "12/GP-TTĐT", LicenceDate: "2019-04-05", Address: "Số 1 đường Hạc Thành, phường Điện Biên",
		Phone: "0237 3852 123", Email: "anhdao@sotest.gov.vn", Hotline: "1900 1234", AboutEN: "Job services.\nTraining.",
	}
	if diff := cmp.Diff(want, got.Profile); diff != "" {
		t.Errorf("profile after PATCH (-want +got):\n%s", diff)
	}
	if got.NameEN != "Anh Dao Centre" || got.Name != isoNameA || len(got.Missing) != 0 {
		t.Errorf("after PATCH: name %q, name_en %q, missing %v", got.Name, got.NameEN, got.Missing)
	}
	// A second reader sees the stored values, and the registry (which the
	// public site reads) has them at once.
	if again := decodeDetail(t, w.api("btvA").do(http.MethodGet, pathA, nil)); !cmp.Equal(again.Profile, want) {
		t.Errorf("GET after PATCH: %+v", again.Profile)
	}
	if tn, _ := w.a.Registry.BySlug(isoSlugA); tn == nil || tn.ResponsiblePerson != "Nguyễn Văn An" {
		t.Errorf("registry after PATCH: %+v", tn)
	}

	// Only the fields sent change; an empty string clears one.
	got = decodeDetail(t, w.api("admin").doJSON(http.MethodPatch, pathA, map[string]any{"profile": map[string]any{"hotline": ""}}))
	if got.Profile.Hotline != "" || got.Profile.Phone != want.Phone {
		t.Errorf("partial PATCH: hotline %q phone %q", got.Profile.Hotline, got.Profile.Phone)
	}

	for _, c := range []struct {
		name, key, path string
		body            any
		status          int
		field           string
	}{
		{"editor may not", "btvA", pathA, map[string]any{"name_en": "X"}, http.StatusForbidden, ""},
		{"office staff read only", "vp", pathA, map[string]any{"name_en": "X"}, http.StatusForbidden, ""},
		{"another tenant is not found", "qtA", "/api/v1/tenants/" + isoSlugB, map[string]any{"name_en": "X"}, http.StatusNotFound, ""},
		{"bad e-mail", "qtA", pathA, map[string]any{"profile": map[string]any{"email": "not-an-address"}}, http.StatusBadRequest, "email"},
		{"bad phone", "qtA", pathA, map[string]any{"profile": map[string]any{"phone": "call me"}}, http.StatusBadRequest, "phone"},
		{"bad date", "qtA", pathA, map[string]any{"profile": map[string]any{"licence_date": "31/02/2019"}}, http.StatusBadRequest, "licence_date"},
		{"empty name", "qtA", pathA, map[string]any{"name": "  "}, http.StatusBadRequest, "name"},
		{"control character", "qtA", pathA, map[string]any{"profile": map[string]any{"address": "a\x01b"}}, http.StatusBadRequest, "address"},
		{"unknown field", "qtA", pathA, map[string]any{"colour": "#ffffff"}, http.StatusBadRequest, "body"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := w.api(c.key).doJSON(http.MethodPatch, c.path, c.body)
			e := decodeError(t, r, c.status)
			if e.Error.Field != c.field {
				t.Errorf("field %q, want %q", e.Error.Field, c.field)
			}
			mustNotReveal(t, r, c.name)
		})
	}
	if r := w.api("qtA").do(http.MethodGet, "/api/v1/tenants/"+isoSlugB, nil); r.status != http.StatusNotFound {
		t.Errorf("GET another tenant: %s", r)
	}
	if d := decodeDetail(t, w.api("btvA").do(http.MethodGet, pathA, nil)); d.Profile.Email != want.Email {
		t.Errorf("a refused PATCH changed the profile: %+v", d.Profile)
	}

	aID := w.tenants[isoSlugA].ID
	page, err := audit.List(context.Background(), w.bdb, audit.Filter{TenantID: &aID, Action: provision.ActionProfileChanged})
	if err != nil {
		t.Fatal(err)
	}
	if changes := len(page.Items); changes != 2 {
		t.Errorf("%d profile changes in the audit log, want 2", changes)
	}
}
