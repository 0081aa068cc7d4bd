package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/db/dbtest"
)

// cli runs the command line in-process against its own data dir and
// database (a fresh PostgreSQL database when the suite runs on PostgreSQL).
type cli struct {
	env map[string]string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	c := &cli{env: map[string]string{"TRANGTIN_DATA_DIR": t.TempDir()}}
	if os.Getenv(dbtest.EnvURL) != "" {
		c.env["TRANGTIN_DATABASE_URL"] = dbtest.Options(t).PostgresURL
	}
	return c
}

func (c *cli) getenv(k string) string { return c.env[k] }

func (c *cli) run(args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, c.getenv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// must runs args and fails the test on error.
func (c *cli) must(t *testing.T, args ...string) string {
	t.Helper()
	out, stderr, err := c.run(args...)
	if err != nil {
		t.Fatalf("trangtin %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// tenantView is the contract's Tenant shape.
type tenantView struct {
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Parent       string   `json:"parent"`
	Status       string   `json:"status"`
	Domains      []string `json:"domains"`
	HasSite      bool     `json:"has_site"`
	QuotaPerWeek int      `json:"quota_per_week"`
}

func TestTenantCreateAndList(t *testing.T) {
	c := newCLI(t)
	out := c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở Lao động Thử nghiệm", "--kind", "department")
	for _, want := range []string{"so", "Sở Lao động Thử nghiệm", "department", "so.localhost"} {
		if !strings.Contains(out, want) {
			t.Errorf("tenant create output lacks %q:\n%s", want, out)
		}
	}
	out = c.must(t, "tenant", "create", "--slug", "alpha", "--name", "Trung tâm Alpha", "--kind", "unit",
		"--parent", "so", "--domain", "alpha.gov.vn", "--domain", "WWW.Alpha.Gov.VN")
	for _, want := range []string{"alpha", "Trung tâm Alpha", "unit", "alpha.localhost", "alpha.gov.vn", "www.alpha.gov.vn"} {
		if !strings.Contains(out, want) {
			t.Errorf("tenant create output lacks %q:\n%s", want, out)
		}
	}
	c.must(t, "tenant", "create", "--slug", "vp", "--name", "Văn phòng", "--kind", "office", "--parent", "so")
	c.must(t, "tenant", "create", "--slug", "kt", "--name", "Không trang", "--kind", "unit", "--parent", "so", "--no-site")

	t.Run("list --json has the contract's shape", func(t *testing.T) {
		out := c.must(t, "tenant", "list", "--json")
		var raw []map[string]any
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatalf("not a JSON array: %v\n%s", err, out)
		}
		for _, m := range raw {
			for _, k := range []string{"slug", "name", "kind", "parent", "status", "domains", "has_site", "quota_per_week"} {
				if _, ok := m[k]; !ok {
					t.Errorf("tenant %v lacks field %q", m["slug"], k)
				}
			}
			if _, ok := m["domains"].([]any); !ok {
				t.Errorf("tenant %v: domains is %T, want a list (never null)", m["slug"], m["domains"])
			}
		}
		var got []tenantView
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		want := []tenantView{
			{Slug: "so", Name: "Sở Lao động Thử nghiệm", Kind: "department", Parent: "", Status: "active", Domains: []string{}, HasSite: true, QuotaPerWeek: 0},
			{Slug: "vp", Name: "Văn phòng", Kind: "office", Parent: "so", Status: "active", Domains: []string{}, HasSite: false, QuotaPerWeek: 1},
			{Slug: "kt", Name: "Không trang", Kind: "unit", Parent: "so", Status: "active", Domains: []string{}, HasSite: false, QuotaPerWeek: 1},
			{Slug: "alpha", Name: "Trung tâm Alpha", Kind: "unit", Parent: "so", Status: "active", Domains: []string{"alpha.gov.vn", "www.alpha.gov.vn"}, HasSite: true, QuotaPerWeek: 1},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tenant list --json (-want +got):\n%s", diff)
		}
	})

	t.Run("list as a table", func(t *testing.T) {
		out := c.must(t, "tenant", "list")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 5 {
			t.Fatalf("%d lines, want a header and 4 tenants:\n%s", len(lines), out)
		}
		for _, want := range []string{"SLUG", "alpha.gov.vn", "Trung tâm Alpha", "vp", "kt"} {
			if !strings.Contains(out, want) {
				t.Errorf("tenant list lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestBadInputIsOneClearLine(t *testing.T) {
	c := newCLI(t)
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở", "--kind", "department")
	c.must(t, "tenant", "create", "--slug", "alpha", "--name", "Alpha", "--kind", "unit", "--parent", "so", "--domain", "alpha.gov.vn")

	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		mentions []string
	}{
		{name: "unknown command", args: []string{"frobnicate"}, mentions: []string{"frobnicate"}},
		{name: "tenant without subcommand", args: []string{"tenant"}, mentions: []string{"tenant", "create", "list"}},
		{name: "tenant unknown subcommand", args: []string{"tenant", "delete"}, mentions: []string{"delete"}},
		{name: "duplicate slug", args: []string{"tenant", "create", "--slug", "alpha", "--name", "X", "--kind", "unit", "--parent", "so"}, mentions: []string{"alpha"}},
		{name: "duplicate domain", args: []string{"tenant", "create", "--slug", "beta", "--name", "X", "--kind", "unit", "--parent", "so", "--domain", "alpha.gov.vn"}, mentions: []string{"alpha.gov.vn"}},
		{name: "unknown parent", args: []string{"tenant", "create", "--slug", "beta", "--name", "X", "--kind", "unit", "--parent", "khong-co"}, mentions: []string{"khong-co"}},
		{name: "bad kind", args: []string{"tenant", "create", "--slug", "beta", "--name", "X", "--kind", "school", "--parent", "so"}, mentions: []string{"school"}},
		{name: "bad slug", args: []string{"tenant", "create", "--slug", "Phong-A", "--name", "X", "--kind", "unit", "--parent", "so"}, mentions: []string{"Phong-A"}},
		{name: "missing slug", args: []string{"tenant", "create", "--name", "X", "--kind", "unit", "--parent", "so"}, mentions: []string{"slug"}},
		{name: "move under own descendant", args: []string{"tenant", "move", "--slug", "so", "--parent", "alpha"}, mentions: []string{"alpha", "so"}},
		{name: "merge into itself", args: []string{"tenant", "merge", "--slug", "alpha", "--into", "alpha"}, mentions: []string{"into"}},
		{name: "merge into a child", args: []string{"tenant", "merge", "--slug", "so", "--into", "alpha"}, mentions: []string{"alpha"}},
		{name: "merge without --into", args: []string{"tenant", "merge", "--slug", "alpha"}, mentions: []string{"--into"}},
		{name: "slug already taken", args: []string{"tenant", "set-slug", "--slug", "alpha", "--to", "so"}, mentions: []string{"so"}},
		{name: "domain already taken", args: []string{"tenant", "domain", "add", "--slug", "so", "--domain", "alpha.gov.vn"}, mentions: []string{"alpha.gov.vn"}},
		{name: "lifecycle of an unknown tenant", args: []string{"tenant", "suspend", "--slug", "khong-co"}, mentions: []string{"khong-co"}},
		{name: "rename without a name", args: []string{"tenant", "rename", "--slug", "alpha"}, mentions: []string{"--name"}},
		{name: "bad flag", args: []string{"tenant", "create", "--bogus"}, mentions: []string{"bogus"}},
		{name: "stray argument", args: []string{"tenant", "create", "--slug", "beta", "extra"}, mentions: []string{"extra"}},
		{name: "negative quota", args: []string{"tenant", "create", "--slug", "quota-am", "--name", "X", "--kind", "unit", "--parent", "so", "--quota", "-3"}, mentions: []string{"-3"}},
		{name: "bad licence date", args: []string{"tenant", "create", "--slug", "beta", "--name", "X", "--kind", "unit", "--parent", "so", "--licence-date", "2024-13-45"}, mentions: []string{"2024-13-45"}},
		{name: "bad setting", env: map[string]string{"TRANGTIN_ADDR": "x"}, args: []string{"tenant", "list"}, mentions: []string{"TRANGTIN_ADDR"}},
		{name: "bad setting for serve", env: map[string]string{"TRANGTIN_LOG_FORMAT": "xml"}, args: []string{"serve"}, mentions: []string{"TRANGTIN_LOG_FORMAT"}},
		{name: "bad setting flag", args: []string{"tenant", "list", "--s3-secure", "maybe"}, mentions: []string{"TRANGTIN_S3_SECURE"}},
		{name: "migrate with unknown argument", args: []string{"migrate", "foo"}, mentions: []string{"foo"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := &cli{env: map[string]string{}}
			for k, v := range c.env {
				cc.env[k] = v
			}
			for k, v := range tt.env {
				cc.env[k] = v
			}
			stdout, _, err := cc.run(tt.args...)
			if err == nil {
				t.Fatalf("trangtin %s succeeded:\n%s", strings.Join(tt.args, " "), stdout)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if oneLine(err) != msg {
				t.Errorf("oneLine cut the message: %q", oneLine(err))
			}
			for _, want := range tt.mentions {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
			for _, bad := range []string{"goroutine", "panic", "SQLSTATE", "constraint"} {
				if strings.Contains(msg, bad) {
					t.Errorf("error %q shows internals (%q)", msg, bad)
				}
			}
		})
	}

	t.Run("nothing was created by the failures", func(t *testing.T) {
		var got []tenantView
		if err := json.Unmarshal([]byte(c.must(t, "tenant", "list", "--json")), &got); err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, tv := range got {
			slugs = append(slugs, tv.Slug)
		}
		if diff := cmp.Diff([]string{"so", "alpha"}, slugs); diff != "" {
			t.Errorf("tenants after failed commands (-want +got):\n%s", diff)
		}
	})
}

func TestHelp(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"tenant", "create", "--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, stderr, err := c.run(args...)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !strings.Contains(out+stderr, "tenant") && !strings.Contains(out+stderr, "slug") {
				t.Errorf("help shows nothing useful:\n%s%s", out, stderr)
			}
		})
	}
}

func TestDemo(t *testing.T) {
	c := newCLI(t)
	out := c.must(t, "demo")
	for _, want := range []string{
		"http://so-ldtbxh.localhost:8080/",
		"Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa",
		"http://trung-tam-dich-vu-viec-lam.localhost:8080/",
		"http://truong-cao-dang-nghe.localhost:8080/",
		"admin.localhost:8080",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// Offices and unions have no site, so no address is printed for them.
	for _, bad := range []string{"van-phong-so.localhost", "cong-doan-so.localhost"} {
		if strings.Contains(out, bad) {
			t.Errorf("demo output lists %s, which has no site", bad)
		}
	}

	var got []tenantView
	if err := json.Unmarshal([]byte(c.must(t, "tenant", "list", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, tv := range got {
		kinds[tv.Kind]++
	}
	if kinds["department"] != 1 || kinds["office"] < 6 || kinds["unit"] < 10 || kinds["union"] != 2 {
		t.Errorf("demo organisation by kind: %v, want 1 department, 6+ offices, 10+ units, 2 unions", kinds)
	}
	if sites := strings.Count(out, "http://") - 1; sites != kinds["department"]+kinds["unit"] {
		t.Errorf("demo printed %d site addresses, want one per department and unit (%d)", sites, kinds["department"]+kinds["unit"])
	}

	t.Run("second run refuses", func(t *testing.T) {
		_, _, err := c.run("demo")
		if err == nil {
			t.Fatal("second demo succeeded")
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") || !strings.Contains(msg, "empty database") {
			t.Errorf("second demo: %q, want one line saying the database is not empty", msg)
		}
		var again []tenantView
		if err := json.Unmarshal([]byte(c.must(t, "tenant", "list", "--json")), &again); err != nil {
			t.Fatal(err)
		}
		if len(again) != len(got) {
			t.Errorf("second demo changed the tenant count %d → %d", len(got), len(again))
		}
	})
}

func TestDemoRefusesDatabaseWithTenants(t *testing.T) {
	c := newCLI(t)
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở", "--kind", "department")
	if _, _, err := c.run("demo"); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Errorf("demo on a database with a tenant: %v", err)
	}
}

func TestMigrate(t *testing.T) {
	c := newCLI(t)
	statusLines := func() []string {
		out := c.must(t, "migrate", "status")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[0], "MIGRATION") {
			t.Fatalf("migrate status:\n%s", out)
		}
		return lines[1:]
	}
	before := statusLines()
	for _, l := range before {
		if !strings.Contains(l, "pending") {
			t.Errorf("fresh database, line %q is not pending", l)
		}
	}
	out := c.must(t, "migrate")
	if n := strings.Count(out, "applied "); n != len(before) {
		t.Errorf("migrate applied %d, want %d:\n%s", n, len(before), out)
	}
	if !strings.Contains(out, "20261127000001_tenancy") {
		t.Errorf("migrate output lacks the tenancy migration:\n%s", out)
	}
	after := statusLines()
	if len(after) != len(before) {
		t.Errorf("status lists %d migrations after, %d before", len(after), len(before))
	}
	found := false
	for _, l := range after {
		if !strings.Contains(l, "applied") || strings.Contains(l, "pending") {
			t.Errorf("after migrate, line %q is not applied", l)
		}
		if strings.HasPrefix(l, "20261127000001_tenancy") {
			found = true
		}
	}
	if !found {
		t.Errorf("status lacks 20261127000001_tenancy:\n%s", strings.Join(after, "\n"))
	}
	if out := c.must(t, "migrate"); !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: %q, want up to date", out)
	}
}

func TestPortOf(t *testing.T) {
	for addr, want := range map[string]string{":8080": ":8080", "0.0.0.0:9000": ":9000", ":80": "", "[::]:8080": ":8080"} {
		t.Run(addr, func(t *testing.T) {
			if got := portOf(addr); got != want {
				t.Errorf("portOf(%q) = %q, want %q", addr, got, want)
			}
		})
	}
}

// TestBinaryExitStatus builds the real binary and checks what a user sees
// on bad input: exit status 1 and one line on standard error.
func TestBinaryExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "trangtin")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c := newCLI(t)
	c.env["TRANGTIN_DATA_DIR"] = filepath.Join(dir, "data")
	baseEnv := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
	for k, v := range c.env {
		baseEnv = append(baseEnv, k+"="+v)
	}
	runBin := func(extraEnv []string, args ...string) (code int, stdout, stderr string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(append([]string{}, baseEnv...), extraEnv...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0, o.String(), e.String()
		case errors.As(err, &ee):
			return ee.ExitCode(), o.String(), e.String()
		}
		t.Fatalf("run %v: %v", args, err)
		return
	}
	if code, _, stderr := runBin(nil, "tenant", "create", "--slug", "so", "--name", "Sở", "--kind", "department"); code != 0 {
		t.Fatalf("create: exit %d\n%s", code, stderr)
	}
	if code, stdout, stderr := runBin(nil, "tenant", "create", "--slug", "alpha", "--name", "Alpha", "--kind", "unit", "--parent", "so"); code != 0 || stderr != "" || !strings.Contains(stdout, "alpha.localhost") {
		t.Fatalf("create: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}

	tests := []struct {
		name     string
		env      []string
		args     []string
		mentions string
	}{
		{name: "unknown command", args: []string{"frobnicate"}, mentions: "frobnicate"},
		{name: "duplicate slug", args: []string{"tenant", "create", "--slug", "alpha", "--name", "X", "--kind", "unit", "--parent", "so"}, mentions: "alpha"},
		{name: "merge into itself", args: []string{"tenant", "merge", "--slug", "alpha", "--into", "alpha"}, mentions: "into"},
		{name: "bad kind", args: []string{"tenant", "create", "--slug", "x1", "--name", "X", "--kind", "school", "--parent", "so"}, mentions: "school"},
		{name: "tenant without subcommand", args: []string{"tenant"}, mentions: "tenant"},
		{name: "bad setting", env: []string{"TRANGTIN_ADDR=x"}, args: []string{"serve"}, mentions: "TRANGTIN_ADDR"},
		{name: "bad setting for the default command", env: []string{"TRANGTIN_SECRET=short"}, args: nil, mentions: "TRANGTIN_SECRET"},
		{name: "migrate foo", args: []string{"migrate", "foo"}, mentions: "foo"},
		{name: "bad flag", args: []string{"tenant", "list", "--bogus"}, mentions: "bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runBin(tt.env, tt.args...)
			if code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "trangtin: ") {
				t.Errorf("stderr is not one line starting with \"trangtin: \":\n%s", stderr)
			}
			if !strings.Contains(stderr, tt.mentions) {
				t.Errorf("stderr does not mention %q:\n%s", tt.mentions, stderr)
			}
			for _, bad := range []string{"goroutine", "panic"} {
				if strings.Contains(stderr+stdout, bad) {
					t.Errorf("output shows %q:\n%s%s", bad, stdout, stderr)
				}
			}
		})
	}
}
