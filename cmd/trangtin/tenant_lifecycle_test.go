package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// TestTenantLifecycleCommands runs every lifecycle command of the contract
// and checks the tenant list and the audit log from the outside.
func TestTenantLifecycleCommands(t *testing.T) {
	c := newCLI(t)
	c.env["USER"] = "vanhanh"
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở Lao động", "--kind", "department")
	c.must(t, "tenant", "create", "--slug", "syt", "--name", "Sở Y tế", "--kind", "department")
	for _, s := range []string{"alpha", "beta", "gamma"} {
		c.must(t, "tenant", "create", "--slug", s, "--name", "Trung tâm "+s, "--kind", "unit", "--parent", "so", "--domain", s+".gov.vn")
	}
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"tenant", "rename", "--slug", "so", "--name", "Sở Nội vụ", "--name-en", "Department of Home Affairs", "--reason", "Nghị quyết hợp nhất"}, "Sở Nội vụ"},
		{[]string{"tenant", "set-slug", "--slug", "so", "--to", "snv"}, "snv.localhost"},
		{[]string{"tenant", "domain", "add", "--slug", "alpha", "--domain", "anphu.gov.vn"}, "anphu.gov.vn"},
		{[]string{"tenant", "domain", "remove", "--slug", "alpha", "--domain", "alpha.gov.vn"}, "alpha.localhost, anphu.gov.vn"},
		{[]string{"tenant", "move", "--slug", "alpha", "--parent", "syt", "--reason", "Chuyển về Sở Y tế"}, "parent:         syt"},
		{[]string{"tenant", "merge", "--slug", "beta", "--into", "gamma"}, "merged into:    gamma"},
		{[]string{"tenant", "suspend", "--slug", "gamma", "--reason", "Bảo trì"}, "status:         suspended"},
		{[]string{"tenant", "resume", "--slug", "gamma"}, "status:         active"},
		{[]string{"tenant", "archive", "--slug", "gamma", "--reason", "Giải thể"}, "status:         archived"},
	}
	for _, s := range steps {
		if out := c.must(t, s.args...); !strings.Contains(out, s.want) {
			t.Errorf("trangtin %s: output lacks %q:\n%s", strings.Join(s.args, " "), s.want, out)
		}
	}
	var list []tenancy.View
	if err := json.Unmarshal([]byte(c.must(t, "tenant", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range list {
		got[v.Slug] = string(v.Status) + " " + v.Parent + " " + v.MergedInto
	}
	for slug, want := range map[string]string{"snv": "active  ", "syt": "active  ", "alpha": "active syt ", "beta": "merged snv gamma", "gamma": "archived snv "} {
		if got[slug] != want {
			t.Errorf("%s: %q, want %q", slug, got[slug], want)
		}
	}
	bdb := c.platform(t).DB
	page, err := audit.List(context.Background(), bdb, audit.Filter{Action: "tenant.move"})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("move audited: %v %v", page, err)
	}
	if d := page.Items[0].Detail; d["reason"] != "Chuyển về Sở Y tế" || d["via"] != "cli (vanhanh)" {
		t.Errorf("move audit detail: %v", d)
	}
	if out, _, err := c.run("tenant", "suspend", "--slug", "beta"); err == nil || !strings.Contains(err.Error(), "beta") {
		t.Errorf("suspending a merged tenant: %v %s", err, out)
	}

	// Office staff of one organisation, and of the whole platform.
	if _, _, err := runStdin(c, userTestPassword, "user", "create", "--email", "vp@snv.gov.vn", "--name", "Văn phòng", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if out := c.must(t, "user", "grant", "--email", "vp@snv.gov.vn", "--tenant", "snv", "--role", "office-staff"); !strings.Contains(out, "tenant snv") {
		t.Errorf("organisation office staff: %s", out)
	}
	c.must(t, "user", "grant", "--email", "vp@snv.gov.vn", "--platform-role", "office-staff")
	_, _, err = c.run("user", "grant", "--email", "vp@snv.gov.vn", "--tenant", "alpha", "--role", "office-staff")
	oneClearLine(t, err, "", "office-staff")
}
