package app_test

// The API of what the console does — the board, roles, settings, quotas,
// exempt weeks, snapshots, the agreement register — through the same
// service calls as the console's forms: each write succeeds with its audit
// event, is refused (403) to a role that may not, and answers 404 for
// another tenant's object, leaving nothing changed. Every answer is
// validated against the description.

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/tenants/apptest"
)

// oaCall is one request of a write's case.
type oaCall struct {
	who, method, target string
	body                any
}

// oaWrite is a write with its three answers.
type oaWrite struct {
	name string
	ok   oaCall
	// okStatus is the success status; audit the action it records in tenant auditIn.
	okStatus       int
	audit, auditIn string
	// forbidden answers 403 with code forbiddenCode; foreign 404.
	forbidden     oaCall
	forbiddenCode string
	foreign       oaCall
}

func TestAPIOfTheConsoleWrites(t *testing.T) {
	w := newOAWorld(t)
	alpha, beta := "/api/v1/tenants/alpha", "/api/v1/tenants/beta"
	member := map[string]any{"name": "Nguyễn Thị Hoa", "position": "bien-tap-vien", "fields": []string{"lao-dong-viec-lam"}}
	// Objects of beta, the other tenant, to aim at.
	var bMember, bAgreement, aAgreement, aMember, exemption struct{ ID string }
	w.must(201, "tbBeta", "POST", beta+"/board/members", member).decode(t, &bMember)
	w.must(201, "tbBeta", "POST", beta+"/agreements", map[string]any{"outlet": "Báo Beta", "reference": "1/B", "signed_on": "2026-01-01"}).decode(t, &bAgreement)
	w.must(201, "tbAlpha", "POST", alpha+"/agreements", map[string]any{"outlet": "Báo Thanh Hóa", "reference": "12/TT-BTH", "signed_on": "01/01/2026"}).decode(t, &aAgreement)
	w.must(201, "tbAlpha", "POST", alpha+"/board/members", member).decode(t, &aMember)
	w.must(201, "vp", "POST", "/api/v1/reports/quota/exemptions?parent=so", map[string]any{"week": "2027-W06", "reason": "Tết"}).decode(t, &exemption)
	decision := map[string]any{"number": "125/QĐ-TTA", "date": "15/03/2024", "signer_name": "Lê Văn Bình", "signer_title": "Giám đốc"}
	grant := map[string]any{"email": "hoa.nt@ttdvvl.gov.vn", "role": "editor"}

	writes := []oaWrite{
		{name: "board decision", ok: oaCall{"tbAlpha", "PUT", alpha + "/board/decision", decision}, okStatus: 200, audit: "board.changed", auditIn: "alpha",
			forbidden: oaCall{"ctvAlpha", "PUT", alpha + "/board/decision", decision}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "PUT", beta + "/board/decision", decision}},
		{name: "board member added", ok: oaCall{"tbAlpha", "POST", alpha + "/board/members", map[string]any{"name": "Trần Văn Nam", "position": "cong-tac-vien"}}, okStatus: 201, audit: "board.changed", auditIn: "alpha",
			forbidden: oaCall{"btvAlpha", "POST", alpha + "/board/members", member}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "POST", beta + "/board/members", member}},
		{name: "board member replaced", ok: oaCall{"tbAlpha", "PUT", alpha + "/board/members/" + aMember.ID, map[string]any{"name": "Nguyễn Thị Hoa", "position": "thu-ky", "duties": "Thư ký Ban Biên tập"}}, okStatus: 200, audit: "board.changed", auditIn: "alpha",
			forbidden: oaCall{"ctvAlpha", "PUT", alpha + "/board/members/" + aMember.ID, member}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "PUT", alpha + "/board/members/" + bMember.ID, member}},
		{name: "board member removed", ok: oaCall{"tbAlpha", "DELETE", alpha + "/board/members/" + aMember.ID, nil}, okStatus: 204, audit: "board.changed", auditIn: "alpha",
			forbidden: oaCall{"ctvAlpha", "DELETE", alpha + "/board/members/" + aMember.ID, nil}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "DELETE", alpha + "/board/members/" + bMember.ID, nil}},
		{name: "role granted", ok: oaCall{"tbAlpha", "POST", alpha + "/roles", grant}, okStatus: 200, audit: "role.granted", auditIn: "alpha",
			// An editor-in-chief manages the board but hands out no site-admin.
			forbidden: oaCall{"tbAlpha", "POST", alpha + "/roles", map[string]any{"email": "hoa.nt@ttdvvl.gov.vn", "role": "site-admin"}}, forbiddenCode: "role_not_assignable",
			foreign: oaCall{"tbAlpha", "POST", beta + "/roles", grant}},
		{name: "role revoked", ok: oaCall{"tbAlpha", "POST", alpha + "/roles/revoke", grant}, okStatus: 200, audit: "role.revoked", auditIn: "alpha",
			// Nobody revokes a role of their own.
			forbidden: oaCall{"qtAlpha", "POST", alpha + "/roles/revoke", map[string]any{"email": oaEmail("qtAlpha"), "role": "site-admin"}}, forbiddenCode: "own_role",
			foreign: oaCall{"qtAlpha", "POST", beta + "/roles/revoke", map[string]any{"email": oaEmail("qtBeta"), "role": "site-admin"}}},
		{name: "settings", ok: oaCall{"qtAlpha", "PATCH", alpha + "/settings", map[string]any{"always_second_reviewer": true, "republish_delay_min": 30}}, okStatus: 200, audit: "settings.changed", auditIn: "alpha",
			forbidden: oaCall{"tbAlpha", "PATCH", alpha + "/settings", map[string]any{"republish_delay_min": 0}}, forbiddenCode: "forbidden",
			foreign: oaCall{"qtAlpha", "PATCH", beta + "/settings", map[string]any{"republish_delay_min": 0}}},
		{name: "quota", ok: oaCall{"vp", "POST", "/api/v1/reports/quota/quotas?parent=so", map[string]any{"tenant": "alpha", "quota_per_week": 2, "from": "2027-W01", "reason": "Kế hoạch 2027"}}, okStatus: 200, audit: "quota.set", auditIn: "alpha",
			// The Department's editor-in-chief reads the report but changes no quota.
			forbidden: oaCall{"tbSo", "POST", "/api/v1/reports/quota/quotas?parent=so", map[string]any{"tenant": "alpha", "quota_per_week": 0, "from": "2027-W01"}}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "POST", "/api/v1/reports/quota/quotas?parent=so", map[string]any{"tenant": "alpha", "quota_per_week": 0, "from": "2027-W01"}}},
		{name: "exemption added", ok: oaCall{"vp", "POST", "/api/v1/reports/quota/exemptions?parent=so", map[string]any{"tenant": "beta", "week": "2027-W10", "reason": "Di dời trụ sở"}}, okStatus: 201, audit: "quota.exempt", auditIn: "so",
			forbidden: oaCall{"tbSo", "POST", "/api/v1/reports/quota/exemptions?parent=so", map[string]any{"week": "2027-W11", "reason": "x"}}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "POST", "/api/v1/reports/quota/exemptions?parent=so", map[string]any{"week": "2027-W11", "reason": "x"}}},
		{name: "exemption removed", ok: oaCall{"vp", "DELETE", "/api/v1/reports/quota/exemptions/" + exemption.ID + "?parent=so", nil}, okStatus: 204, audit: "quota.exempt_removed", auditIn: "so",
			forbidden: oaCall{"tbSo", "DELETE", "/api/v1/reports/quota/exemptions/" + exemption.ID + "?parent=so", nil}, forbiddenCode: "forbidden",
			// Another parent's exemption does not exist for this one.
			foreign: oaCall{"vp", "DELETE", "/api/v1/reports/quota/exemptions/" + exemption.ID + "?parent=alpha", nil}},
		{name: "snapshot", ok: oaCall{"vp", "POST", "/api/v1/reports/quota/snapshots?parent=so", map[string]any{"month": "2026-11", "reason": "Bổ sung tin gửi muộn"}}, okStatus: 201, audit: "quota.snapshot", auditIn: "so",
			forbidden: oaCall{"tbSo", "POST", "/api/v1/reports/quota/snapshots?parent=so", map[string]any{"month": "2026-11", "reason": "x"}}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "POST", "/api/v1/reports/quota/snapshots?parent=so", map[string]any{"month": "2026-11", "reason": "x"}}},
		{name: "agreement edited", ok: oaCall{"tbAlpha", "PATCH", alpha + "/agreements/" + aAgreement.ID, map[string]any{"expires_on": "2028-06-30"}}, okStatus: 200, audit: "agreement.changed", auditIn: "alpha",
			forbidden: oaCall{"ctvAlpha", "PATCH", alpha + "/agreements/" + aAgreement.ID, map[string]any{"scope": "x"}}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "PATCH", alpha + "/agreements/" + bAgreement.ID, map[string]any{"scope": "x"}}},
		{name: "agreement expired", ok: oaCall{"tbAlpha", "POST", alpha + "/agreements/" + aAgreement.ID + "/expire", nil}, okStatus: 200, audit: "agreement.expired", auditIn: "alpha",
			forbidden: oaCall{"btvAlpha", "POST", alpha + "/agreements/" + aAgreement.ID + "/expire", nil}, forbiddenCode: "forbidden",
			foreign: oaCall{"tbAlpha", "POST", alpha + "/agreements/" + bAgreement.ID + "/expire", nil}},
	}
	for _, c := range writes {
		t.Run(c.name, func(t *testing.T) {
			before := len(w.auditActions(""))
			r := w.send(c.forbidden.who, c.forbidden.method, c.forbidden.target, c.forbidden.body)
			if r.status != http.StatusForbidden || r.errorCode() != c.forbiddenCode {
				t.Errorf("%s as %s: want 403 %s, got %s", c.forbidden.target, c.forbidden.who, c.forbiddenCode, r)
			}
			r = w.send(c.foreign.who, c.foreign.method, c.foreign.target, c.foreign.body)
			if r.status != http.StatusNotFound {
				t.Errorf("%s as %s: want 404, got %s", c.foreign.target, c.foreign.who, r)
			}
			if strings.Contains(string(r.body), "Beta") || strings.Contains(string(r.body), "beta") {
				t.Errorf("the 404 names the other tenant: %s", r)
			}
			if n := len(w.auditActions("")); n != before {
				t.Errorf("refused calls recorded %d audit events", n-before)
			}
			w.must(c.okStatus, c.ok.who, c.ok.method, c.ok.target, c.ok.body)
			if got := w.auditActions(c.auditIn); len(got) == 0 || got[len(got)-1] != c.audit {
				t.Errorf("last audit action in %s = %v, want %s", c.auditIn, got, c.audit)
			}
		})
	}
	t.Run("the effects", func(t *testing.T) {
		var b struct {
			Decision struct{ Number string }
			Members  []struct{ Name, Position string }
		}
		w.must(200, "ctvAlpha", "GET", alpha+"/board", nil).decode(t, &b)
		if b.Decision.Number != "125/QĐ-TTA" || len(b.Members) != 1 || b.Members[0].Name != "Trần Văn Nam" {
			t.Errorf("alpha's board: %+v", b)
		}
		var bb struct{ Decision *struct{ Number string } }
		w.must(200, "tbBeta", "GET", beta+"/board", nil).decode(t, &bb)
		if bb.Decision != nil {
			t.Errorf("beta's board got a decision: %+v", bb.Decision)
		}
		var roles struct {
			Items []struct {
				Email string
				Roles []string
			}
		}
		w.must(200, "qtAlpha", "GET", alpha+"/roles", nil).decode(t, &roles)
		for _, h := range roles.Items {
			if h.Email == "hoa.nt@ttdvvl.gov.vn" || h.Email == oaEmail("qtAlpha") && !slices.Contains(h.Roles, "site-admin") {
				t.Errorf("roles after the writes: %+v", h)
			}
		}
		var s struct {
			AlwaysSecondReviewer bool `json:"always_second_reviewer"`
			Delay                int  `json:"republish_delay_min"`
		}
		w.must(200, "ctvAlpha", "GET", alpha+"/settings", nil).decode(t, &s)
		if !s.AlwaysSecondReviewer || s.Delay != 30 {
			t.Errorf("alpha's settings: %+v", s)
		}
		w.must(200, "tbBeta", "GET", beta+"/settings", nil).decode(t, &s)
		if s.AlwaysSecondReviewer || s.Delay != 0 {
			t.Errorf("beta's settings changed: %+v", s)
		}
		var ag struct {
			Valid     bool
			ExpiresOn *string `json:"expires_on"`
		}
		w.must(200, "ctvAlpha", "GET", alpha+"/agreements/"+aAgreement.ID, nil).decode(t, &ag)
		if ag.Valid || ag.ExpiresOn == nil || *ag.ExpiresOn == "2028-06-30" {
			t.Errorf("the expired agreement: %+v", ag)
		}
		w.must(200, "tbBeta", "GET", beta+"/agreements/"+bAgreement.ID, nil).decode(t, &ag)
		if !ag.Valid || ag.ExpiresOn != nil {
			t.Errorf("beta's agreement changed: %+v", ag)
		}
	})
}

// Bad input answers 400 with the field at fault, as the console's forms
// show the same message.
func TestAPIOfTheConsoleErrors(t *testing.T) {
	w := newOAWorld(t)
	alpha := "/api/v1/tenants/alpha"
	for _, c := range []struct {
		name, method, target, who string
		body                      any
		status                    int
		code, field               string
	}{
		{"decision number", "PUT", alpha + "/board/decision", "tbAlpha", map[string]any{"number": "125", "date": "2024-03-15", "signer_name": "A", "signer_title": "B"}, 400, "decision_no_format", "number"},
		{"member position", "POST", alpha + "/board/members", "tbAlpha", map[string]any{"name": "A", "position": "giam-doc"}, 400, "position_invalid", "position"},
		{"member unknown field", "POST", alpha + "/board/members", "tbAlpha", map[string]any{"name": "A", "position": "thu-ky", "chuc_vu": "x"}, 400, "json_invalid", "body"},
		{"member account", "POST", alpha + "/board/members", "tbAlpha", map[string]any{"name": "A", "position": "thu-ky", "account_email": "khong-co@oa.gov.vn"}, 400, "account_unknown", "account_email"},
		{"role unknown", "POST", alpha + "/roles", "qtAlpha", map[string]any{"email": "hoa.nt@ttdvvl.gov.vn", "role": "chu-tich"}, 400, "role_invalid", "role"},
		{"role account", "POST", alpha + "/roles", "qtAlpha", map[string]any{"email": "khong-co@oa.gov.vn", "role": "editor"}, 400, "account_unknown", "email"},
		{"settings delay", "PATCH", alpha + "/settings", "qtAlpha", map[string]any{"republish_delay_min": 20000}, 400, "republish_delay_range", "republish_delay_min"},
		{"quota range", "POST", "/api/v1/reports/quota/quotas?parent=so", "vp", map[string]any{"tenant": "alpha", "quota_per_week": 51, "from": "2027-W01"}, 400, "quota_range", "quota_per_week"},
		{"quota missing", "POST", "/api/v1/reports/quota/quotas?parent=so", "vp", map[string]any{"tenant": "alpha", "from": "2027-W01"}, 400, "quota_range", "quota_per_week"},
		{"quota week", "POST", "/api/v1/reports/quota/quotas?parent=so", "vp", map[string]any{"tenant": "alpha", "quota_per_week": 1, "from": "2027-W60"}, 400, "week_invalid", "from"},
		{"quota not a child", "POST", "/api/v1/reports/quota/quotas?parent=alpha", "vp", map[string]any{"tenant": "beta", "quota_per_week": 1, "from": "2027-W01"}, 400, "tenant_unknown", "tenant"},
		{"exemption reason", "POST", "/api/v1/reports/quota/exemptions?parent=so", "vp", map[string]any{"week": "2027-W06", "reason": " "}, 400, "reason_required", "reason"},
		{"snapshot of an open month", "POST", "/api/v1/reports/quota/snapshots?parent=so", "vp", map[string]any{"month": "2099-01", "reason": "x"}, 400, "month_open", "month"},
		{"agreement dates", "PATCH", alpha + "/agreements/{ag}", "tbAlpha", map[string]any{"expires_on": "2020-01-01"}, 400, "expiry_before_signing", "expires_on"},
	} {
		t.Run(c.name, func(t *testing.T) {
			target := c.target
			if strings.Contains(target, "{ag}") {
				var ag struct{ ID string }
				w.must(201, "tbAlpha", "POST", alpha+"/agreements", map[string]any{"outlet": "Báo Lao động", "reference": "7/LĐ", "signed_on": "2026-02-01"}).decode(t, &ag)
				target = strings.ReplaceAll(target, "{ag}", ag.ID)
			}
			r := w.sendBad(c.who, c.method, target, c.body)
			var e struct {
				Error struct{ Code, Message, Field string }
			}
			r.decode(t, &e)
			if r.status != c.status || e.Error.Code != c.code || e.Error.Field != c.field || e.Error.Message == "" {
				t.Errorf("want %d %s on %s, got %s", c.status, c.code, c.field, r)
			}
		})
	}
}

// The console's forms and the API go through one service call: the same
// refusal reads the same, and the same change records the same audit event.
func TestConsoleAndAPIShareTheService(t *testing.T) {
	w := newOAWorld(t)
	api := w.send("tbAlpha", "POST", "/api/v1/tenants/alpha/roles", map[string]any{"email": "hoa.nt@ttdvvl.gov.vn", "role": "site-admin"})
	var e struct{ Error struct{ Message string } }
	api.decode(t, &e)
	browser := newVisitor(t, w.a)
	browser.login(oaEmail("tbAlpha"), apptest.Password)
	r := browser.post("/t/alpha/vai-tro/giao", url.Values{"email": {"hoa.nt@ttdvvl.gov.vn"}, "role": {"site-admin"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("console form: %s", r)
	}
	page := browser.do(http.MethodGet, "/t/alpha/vai-tro", nil)
	if e.Error.Message == "" || !strings.Contains(page.body, e.Error.Message) {
		t.Errorf("the console does not show the API's refusal %q:\n%s", e.Error.Message, page.body)
	}
	if r := browser.post("/t/alpha/ban-bien-tap/quyet-dinh", url.Values{"number": {"9/QĐ-A"}, "date": {"01/02/2024"}, "signer_name": {"Lê Bình"}, "signer_title": {"Giám đốc"}}); r.status != http.StatusSeeOther {
		t.Fatalf("console decision: %s", r)
	}
	// The register's new edit and end, from the console's page.
	var ag struct {
		ID    string
		Valid bool
		Scope string
	}
	w.must(201, "tbAlpha", "POST", "/api/v1/tenants/alpha/agreements", map[string]any{"outlet": "Báo Lao động", "reference": "7/LĐ", "signed_on": "2026-02-01"}).decode(t, &ag)
	if r := browser.post("/t/alpha/thoa-thuan/"+ag.ID, url.Values{"outlet": {"Báo Lao động"}, "reference": {"7/LĐ"}, "signed_on": {"01/02/2026"}, "scope": {"Tin về an toàn lao động"}}); r.status != http.StatusSeeOther {
		t.Fatalf("console edit: %s", r)
	}
	if r := browser.post("/t/alpha/thoa-thuan/"+ag.ID+"/cham-dut", nil); r.status != http.StatusSeeOther {
		t.Fatalf("console end: %s", r)
	}
	w.must(200, "ctvAlpha", "GET", "/api/v1/tenants/alpha/agreements/"+ag.ID, nil).decode(t, &ag)
	if ag.Valid || ag.Scope != "Tin về an toàn lao động" {
		t.Errorf("after the console's edit and end: %+v", ag)
	}
	if got := w.auditActions("alpha"); !slices.Contains(got, "agreement.changed") || got[len(got)-1] != "agreement.expired" {
		t.Errorf("audit after the console's edit and end: %v", got)
	}
	if r := browser.post("/t/beta/thoa-thuan/"+ag.ID+"/cham-dut", nil); r.status != http.StatusNotFound {
		t.Errorf("console end in another tenant: %s", r)
	}
	w.must(200, "tbAlpha", "PUT", "/api/v1/tenants/alpha/board/decision", map[string]any{"number": "10/QĐ-A", "date": "2024-02-02", "signer_name": "Lê Bình", "signer_title": "Giám đốc"})
	var events []struct{ Action, Subject, ActorID string }
	if err := w.a.DB.NewSelect().Table("audit_events").Column("action", "subject", "actor_id").
		Where("tenant_id = ? AND action = ?", w.tenants["alpha"].ID, "board.changed").OrderExpr("created_at").Scan(t.Context(), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Subject != "decision 9/QĐ-A" || events[1].Subject != "decision 10/QĐ-A" ||
		events[0].ActorID != w.accounts["tbAlpha"].ID || events[1].ActorID != events[0].ActorID {
		t.Errorf("audit events of the console's and the API's decision: %+v", events)
	}
}
