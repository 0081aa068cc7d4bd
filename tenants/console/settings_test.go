package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// A Department and one unit with its site-admin and an editor, none of
// them enrolled in the second factor.
var (
	mfaOrg = []provision.Input{
		{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment},
		{Slug: "don-vi", Name: "Đơn vị A", Kind: tenancy.KindUnit, Parent: "so"},
	}
	mfaPeople = []apptest.Person{
		{Key: "admin", Email: "qt@example.vn", Name: "Quản trị", Tenant: "don-vi", Role: authz.RoleSiteAdmin},
		{Key: "editor", Email: "btv@example.vn", Name: "Biên tập", Tenant: "don-vi", Role: authz.RoleEditor},
		{Key: "deptEditor", Email: "btv.so@example.vn", Name: "Biên tập Sở", Tenant: "so", Role: authz.RoleEditor},
	}
)

// TestMandatorySecondFactor: once a site-admin makes 2FA mandatory for a
// tenant, a board member without it can only reach the account page.
func TestMandatorySecondFactor(t *testing.T) {
	w := apptest.New(t, apptest.Options{Org: mfaOrg, People: mfaPeople})
	// Sessions opened before the rule are held to it too.
	before := map[string]*apptest.Browser{"editor": w.SignedIn("editor"), "admin": w.SignedIn("admin")}
	w.Run(t, []apptest.Scenario{
		{Name: "before the rule the editor opens the unit", As: "editor", Path: "/t/don-vi"},
		{Name: "the site-admin makes it mandatory", As: "admin", Path: "/t/don-vi/cai-dat",
			Form: url.Values{"mfa_required": {"on"}, "republish_delay_min": {"60"}}, Status: http.StatusSeeOther},
		{Name: "the account page says why", As: "editor", Path: "/tai-khoan?2fa=bat-buoc", Present: []string{"yêu cầu xác thực hai lớp"}},
		{Name: "another tenant's member is not held", As: "deptEditor", Path: "/t/so"},
	})
	for who, b := range before {
		for _, b := range []*apptest.Browser{b, w.SignedIn(who)} {
			r := b.Get("/t/don-vi")
			if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/tai-khoan") {
				t.Errorf("with mandatory 2FA, %s without it got %s", who, r)
			}
		}
	}
	st, err := post.SettingsOf(context.Background(), w.DB, w.Tenants["don-vi"].ID)
	if err != nil || !st.MFARequired || st.RepublishDelayMin != 60 {
		t.Fatalf("stored settings = %+v, %v", st, err)
	}
}

// TestPlatformMandatorySecondFactor: TRANGTIN_MFA_REQUIRED holds every
// account with a role to its account page until it enrols.
func TestPlatformMandatorySecondFactor(t *testing.T) {
	w := apptest.New(t, apptest.Options{Org: mfaOrg, People: mfaPeople, Config: func(c *config.Config) { c.MFARequired = true }})
	r := w.SignedIn("deptEditor").Get("/t/so")
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "/tai-khoan") {
		t.Fatalf("platform-wide 2FA: editor without it got %s", r)
	}
}
