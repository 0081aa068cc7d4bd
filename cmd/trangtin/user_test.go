package main

// `trangtin user create`, `user grant` and `token create`, run in-process
// through run(), then checked from the outside: an app built on the same
// database accepts the printed token and shows the granted roles.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/app"
)

// userTestSecret is the platform secret the CLI and the app share.
const userTestSecret = "f00dbabe" + "0123456789abcdef0123456789abcdef0123456789abcdef01234567"

const userTestPassword = "Hoa-sen-nở-giữa-hè-2024"

// runStdin runs the command line with stdin as standard input.
func runStdin(c *cli, stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, c.getenv, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// oneClearLine checks a failure is one line, names what it should and
// shows no internals.
func oneClearLine(t *testing.T, err error, stdout string, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("succeeded, want an error; stdout:\n%s", stdout)
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || oneLine(err) != msg {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, want := range mentions {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	for _, bad := range []string{"goroutine", "panic", "SQLSTATE", "constraint", "sql:", "UNIQUE"} {
		if strings.Contains(msg, bad) {
			t.Errorf("error %q shows internals (%q)", msg, bad)
		}
	}
}

// userCLI is a CLI with a shared secret and an organisation of two tenants.
func userCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t)
	c.env["TRANGTIN_SECRET"] = userTestSecret
	if len(userTestSecret) != 64 {
		t.Fatalf("test secret has %d characters", len(userTestSecret))
	}
	c.must(t, "tenant", "create", "--slug", "so", "--name", "Sở Thử Nghiệm", "--kind", "department")
	c.must(t, "tenant", "create", "--slug", "alpha", "--name", "Trung tâm Alpha", "--kind", "unit", "--parent", "so")
	return c
}

// appOn builds the platform on the CLI's database, as `trangtin serve`
// would with the same settings.
func appOn(t *testing.T, c *cli) *app.App {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(c.getenv, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Secret != userTestSecret {
		t.Fatalf("app secret %q is not the CLI's", cfg.Secret)
	}
	bdb, err := db.Open(ctx, db.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	return a
}

func adminRequest(t *testing.T, a *app.App, method, path string, body io.Reader, headers ...string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = "admin.localhost"
	req.RequestURI = ""
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.HTTP.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

func TestUserCreate(t *testing.T) {
	c := userCLI(t)
	email := "nguyen.van.a@sotest.gov.vn"
	out, stderr, err := runStdin(c, userTestPassword+"\n", "user", "create", "--email", email, "--name", "Nguyễn Văn A", "--password-stdin")
	if err != nil {
		t.Fatalf("user create: %v\nstderr: %s", err, stderr)
	}
	t.Run("prints the account", func(t *testing.T) {
		if !strings.Contains(out, email) || !strings.Contains(out, "Nguyễn Văn A") {
			t.Errorf("output lacks the account:\n%s", out)
		}
		if strings.Contains(out, userTestPassword) || strings.Contains(stderr, userTestPassword) {
			t.Error("the password is echoed")
		}
	})
	t.Run("the password from stdin logs in on the console", func(t *testing.T) {
		a := appOn(t, c)
		form := url.Values{"email": {email}, "password": {userTestPassword}}.Encode()
		status, h, body := adminRequest(t, a, http.MethodPost, "/login", strings.NewReader(form), "Content-Type", "application/x-www-form-urlencoded")
		if status != http.StatusSeeOther || h.Get("Location") != "/" {
			t.Errorf("login with the CLI password: %d %s\n%s", status, h.Get("Location"), body)
		}
		form = url.Values{"email": {email}, "password": {userTestPassword + "x"}}.Encode()
		if status, _, _ := adminRequest(t, a, http.MethodPost, "/login", strings.NewReader(form), "Content-Type", "application/x-www-form-urlencoded"); status != http.StatusUnauthorized {
			t.Errorf("login with a wrong password: %d", status)
		}
	})

	tests := []struct {
		name     string
		stdin    string
		args     []string
		mentions []string
	}{
		{"weak password", "ngan-qua\n", []string{"user", "create", "--email", "b@sotest.gov.vn", "--name", "B", "--password-stdin"}, []string{"10"}},
		{"common password", "1234567890\n", []string{"user", "create", "--email", "b@sotest.gov.vn", "--name", "B", "--password-stdin"}, []string{"Mật khẩu"}},
		{"password containing the e-mail", "nguyenthib-2024\n", []string{"user", "create", "--email", "nguyenthib@sotest.gov.vn", "--name", "B", "--password-stdin"}, []string{"Mật khẩu"}},
		{"duplicate email", userTestPassword + "\n", []string{"user", "create", "--email", email, "--name", "Kẻ Trùng", "--password-stdin"}, []string{"Email"}},
		{"duplicate email in other case", userTestPassword + "\n", []string{"user", "create", "--email", strings.ToUpper(email), "--name", "Kẻ Trùng", "--password-stdin"}, []string{"Email"}},
		{"missing --password-stdin", userTestPassword + "\n", []string{"user", "create", "--email", "c@sotest.gov.vn", "--name", "C"}, []string{"--password-stdin"}},
		{"nothing on stdin", "", []string{"user", "create", "--email", "c@sotest.gov.vn", "--name", "C", "--password-stdin"}, []string{"password"}},
		{"bad email", userTestPassword + "\n", []string{"user", "create", "--email", "khong-phai-email", "--name", "C", "--password-stdin"}, []string{"email"}},
		{"missing name", userTestPassword + "\n", []string{"user", "create", "--email", "d@sotest.gov.vn", "--password-stdin"}, []string{"tên"}},
		{"password on the command line", "", []string{"user", "create", "--email", "c@sotest.gov.vn", "--name", "C", "--password", userTestPassword}, []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runStdin(c, tt.stdin, tt.args...)
			oneClearLine(t, err, out, tt.mentions...)
			if err != nil && strings.Contains(err.Error(), userTestPassword) {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
	t.Run("the failures created nothing", func(t *testing.T) {
		a := appOn(t, c)
		all, err := account.List(context.Background(), a.DB)
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, acc := range all {
			emails = append(emails, acc.Email)
		}
		if diff := cmp.Diff([]string{email}, emails); diff != "" {
			t.Errorf("accounts (-want +got):\n%s", diff)
		}
	})
}

// meShape is the contract's Account shape.
type meShape struct {
	ID            string   `json:"id"`
	Email         string   `json:"email"`
	Name          string   `json:"name"`
	PlatformRoles []string `json:"platform_roles"`
	Tenants       []struct {
		Slug  string   `json:"slug"`
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	} `json:"tenants"`
}

func TestUserGrantAndToken(t *testing.T) {
	c := userCLI(t)
	email := "tran.thi.b@sotest.gov.vn"
	if _, stderr, err := runStdin(c, userTestPassword+"\n", "user", "create", "--email", email, "--name", "Trần Thị B", "--password-stdin"); err != nil {
		t.Fatalf("user create: %v\n%s", err, stderr)
	}

	t.Run("grant a board role", func(t *testing.T) {
		out := c.must(t, "user", "grant", "--email", email, "--tenant", "alpha", "--role", "editor")
		for _, want := range []string{"editor", email, "alpha"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q: %s", want, out)
			}
		}
	})
	t.Run("grant a platform role", func(t *testing.T) {
		out := c.must(t, "user", "grant", "--email", email, "--platform-role", "office-staff")
		if !strings.Contains(out, "office-staff") {
			t.Errorf("output lacks the role: %s", out)
		}
	})
	t.Run("granting again is harmless", func(t *testing.T) {
		c.must(t, "user", "grant", "--email", email, "--tenant", "alpha", "--role", "editor")
	})

	bad := []struct {
		name     string
		args     []string
		mentions []string
	}{
		{"unknown role", []string{"--email", email, "--tenant", "alpha", "--role", "chu-bien"}, []string{"chu-bien"}},
		{"platform role as board role", []string{"--email", email, "--tenant", "alpha", "--role", "platform-admin"}, []string{"platform-admin"}},
		{"unknown platform role", []string{"--email", email, "--platform-role", "sieu-quan-tri"}, []string{"sieu-quan-tri"}},
		{"board role as platform role", []string{"--email", email, "--platform-role", "editor"}, []string{"editor"}},
		{"unknown tenant", []string{"--email", email, "--tenant", "khong-co", "--role", "editor"}, []string{"khong-co"}},
		{"unknown email", []string{"--email", "khong.ai@sotest.gov.vn", "--tenant", "alpha", "--role", "editor"}, []string{"khong.ai@sotest.gov.vn"}},
		{"unknown email, platform role", []string{"--email", "khong.ai@sotest.gov.vn", "--platform-role", "office-staff"}, []string{"khong.ai@sotest.gov.vn"}},
		{"--role with --platform-role", []string{"--email", email, "--tenant", "alpha", "--role", "editor", "--platform-role", "office-staff"}, []string{"--platform-role"}},
		{"--tenant with --platform-role", []string{"--email", email, "--tenant", "alpha", "--platform-role", "office-staff"}, []string{"--platform-role"}},
		{"role without tenant", []string{"--email", email, "--role", "editor"}, []string{"--tenant"}},
		{"nothing to grant", []string{"--email", email}, []string{"--role"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := runStdin(c, "", append([]string{"user", "grant"}, tt.args...)...)
			oneClearLine(t, err, out, tt.mentions...)
		})
	}

	var token string
	t.Run("token create prints one tt_ token", func(t *testing.T) {
		out := c.must(t, "token", "create", "--email", email)
		token = strings.TrimSpace(out)
		if strings.Count(out, "\n") != 1 || !strings.HasPrefix(token, "tt_") || len(token) < 20 {
			t.Fatalf("token output %q", out)
		}
		out2 := strings.TrimSpace(c.must(t, "token", "create", "--email", email, "--name", "máy chủ thống kê"))
		if out2 == token || !strings.HasPrefix(out2, "tt_") {
			t.Errorf("second token %q", out2)
		}
	})
	t.Run("token create for an unknown email", func(t *testing.T) {
		out, _, err := runStdin(c, "", "token", "create", "--email", "khong.ai@sotest.gov.vn")
		oneClearLine(t, err, out, "khong.ai@sotest.gov.vn")
	})
	t.Run("the token authenticates /api/v1/me with the granted roles", func(t *testing.T) {
		if token == "" {
			t.Skip("no token")
		}
		a := appOn(t, c)
		status, _, body := adminRequest(t, a, http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+token)
		if status != http.StatusOK {
			t.Fatalf("GET /api/v1/me: %d %s", status, body)
		}
		var me meShape
		if err := json.Unmarshal([]byte(body), &me); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, body)
		}
		if me.Email != email || me.Name != "Trần Thị B" || me.ID == "" {
			t.Errorf("me = %+v", me)
		}
		if !cmp.Equal(me.PlatformRoles, []string{"office-staff"}) {
			t.Errorf("platform_roles = %v", me.PlatformRoles)
		}
		if len(me.Tenants) != 1 || me.Tenants[0].Slug != "alpha" || me.Tenants[0].Name != "Trung tâm Alpha" || !cmp.Equal(me.Tenants[0].Roles, []string{"editor"}) {
			t.Errorf("tenants = %+v", me.Tenants)
		}
		status, _, body = adminRequest(t, a, http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+token+"x")
		if status != http.StatusUnauthorized || !strings.Contains(body, `"error"`) {
			t.Errorf("wrong token: %d %s", status, body)
		}
	})
	t.Run("revoke through the CLI", func(t *testing.T) {
		c.must(t, "user", "grant", "--email", email, "--tenant", "alpha", "--role", "editor", "--revoke")
		a := appOn(t, c)
		status, _, body := adminRequest(t, a, http.MethodGet, "/api/v1/me", nil, "Authorization", "Bearer "+token)
		var me meShape
		if err := json.Unmarshal([]byte(body), &me); err != nil || status != http.StatusOK {
			t.Fatalf("GET /api/v1/me: %d %s", status, body)
		}
		if len(me.Tenants) != 0 {
			t.Errorf("tenants after revocation: %+v", me.Tenants)
		}
	})
}
