package config_test

import (
	"bytes"
	"errors"
	"flag"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trangtin/trangtin/platform/config"
)

// env is a fake environment: a getenv over a map.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(), nil, nil)
	if err != nil {
		t.Fatalf("Load with no settings: %v", err)
	}
	got := map[string]any{
		"Addr":          c.Addr,
		"DataDir":       c.DataDir,
		"DatabaseURL":   c.DatabaseURL,
		"S3Endpoint":    c.S3Endpoint,
		"S3Bucket":      c.S3Bucket,
		"S3Secure":      c.S3Secure,
		"BaseDomain":    c.BaseDomain,
		"AdminHost":     c.AdminHost,
		"Secret":        c.Secret,
		"LogFormat":     c.LogFormat,
		"MetricsAddr":   c.MetricsAddr,
		"UsesPostgres":  c.UsesPostgres(),
		"UsesS3":        c.UsesS3(),
		"SQLitePath":    c.SQLitePath(),
		"MediaDir":      c.MediaDir(),
		"MediaMaxBytes": c.MediaMaxBytes,
		"PageCache":     c.PageCache,
	}
	want := map[string]any{
		"Addr":          ":8080",
		"DataDir":       "./data",
		"DatabaseURL":   "",
		"S3Endpoint":    "",
		"S3Bucket":      "trangtin",
		"S3Secure":      false,
		"BaseDomain":    "localhost",
		"AdminHost":     "admin.localhost",
		"Secret":        "",
		"LogFormat":     "text",
		"MetricsAddr":   "",
		"UsesPostgres":  false,
		"UsesS3":        false,
		"SQLitePath":    filepath.Join("data", "trangtin.db"),
		"MediaDir":      filepath.Join("data", "media"),
		"MediaMaxBytes": int64(20 << 20),
		"PageCache":     int64(64 << 20),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if len(c.TrustedProxies) != 0 {
		t.Errorf("TrustedProxies = %v, want none (trust no forwarding header)", c.TrustedProxies)
	}
	waits := []time.Duration{c.DBStatementTimeout, c.DBLockTimeout, c.DBIdleTxTimeout, c.RequestTimeout}
	if diff := cmp.Diff([]time.Duration{30 * time.Second, 5 * time.Second, 60 * time.Second, 30 * time.Second}, waits); diff != "" {
		t.Errorf("default waits (statement, lock, idle transaction, request) (-want +got):\n%s", diff)
	}
	if len(c.AdminAllow) != 0 {
		t.Errorf("AdminAllow = %v, want none (everyone)", c.AdminAllow)
	}
}

func TestLoadValues(t *testing.T) {
	tests := []struct {
		name  string
		env   func(string) string
		check func(t *testing.T, c config.Config)
	}{
		{
			name: "waits in Go durations, 0 turns a database limit off",
			env:  env("TRANGTIN_DB_STATEMENT_TIMEOUT", "2m", "TRANGTIN_DB_LOCK_TIMEOUT", "0", "TRANGTIN_DB_IDLE_TX_TIMEOUT", "500ms", "TRANGTIN_REQUEST_TIMEOUT", "45s"),
			check: func(t *testing.T, c config.Config) {
				got := []time.Duration{c.DBStatementTimeout, c.DBLockTimeout, c.DBIdleTxTimeout, c.RequestTimeout}
				if diff := cmp.Diff([]time.Duration{2 * time.Minute, 0, 500 * time.Millisecond, 45 * time.Second}, got); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "admin host follows the base domain",
			env:  env("TRANGTIN_BASE_DOMAIN", "sites.example.vn"),
			check: func(t *testing.T, c config.Config) {
				if c.BaseDomain != "sites.example.vn" || c.AdminHost != "admin.sites.example.vn" {
					t.Errorf("base %q admin %q, want sites.example.vn and admin.sites.example.vn", c.BaseDomain, c.AdminHost)
				}
			},
		},
		{
			name: "base domain is lower-cased and loses its trailing dot",
			env:  env("TRANGTIN_BASE_DOMAIN", "Sites.Example.VN."),
			check: func(t *testing.T, c config.Config) {
				if c.BaseDomain != "sites.example.vn" || c.AdminHost != "admin.sites.example.vn" {
					t.Errorf("base %q admin %q", c.BaseDomain, c.AdminHost)
				}
			},
		},
		{
			name: "explicit admin host wins over the derived one",
			env:  env("TRANGTIN_BASE_DOMAIN", "example.vn", "TRANGTIN_ADMIN_HOST", "QuanTri.Example.VN"),
			check: func(t *testing.T, c config.Config) {
				if c.AdminHost != "quantri.example.vn" {
					t.Errorf("AdminHost = %q, want quantri.example.vn", c.AdminHost)
				}
			},
		},
		{
			name: "postgres URL selects PostgreSQL",
			env:  env("TRANGTIN_DATABASE_URL", "postgres://u:p@db:5432/trangtin?sslmode=disable"),
			check: func(t *testing.T, c config.Config) {
				if !c.UsesPostgres() {
					t.Error("UsesPostgres() = false")
				}
			},
		},
		{
			name: "S3 endpoint with keys selects object storage",
			env: env("TRANGTIN_S3_ENDPOINT", "minio:9000", "TRANGTIN_S3_ACCESS_KEY", "ak",
				"TRANGTIN_S3_SECRET_KEY", "sk", "TRANGTIN_S3_SECURE", "true", "TRANGTIN_S3_BUCKET", "media-bucket"),
			check: func(t *testing.T, c config.Config) {
				if !c.UsesS3() || !c.S3Secure || c.S3Bucket != "media-bucket" {
					t.Errorf("UsesS3 %v secure %v bucket %q", c.UsesS3(), c.S3Secure, c.S3Bucket)
				}
			},
		},
		{
			name: "CIDR lists and bare addresses",
			env:  env("TRANGTIN_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7", "TRANGTIN_ADMIN_ALLOW", "172.16.5.9/16"),
			check: func(t *testing.T, c config.Config) {
				want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32")}
				if diff := cmp.Diff(want, c.TrustedProxies, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
					t.Errorf("TrustedProxies (-want +got):\n%s", diff)
				}
				if len(c.AdminAllow) != 1 || c.AdminAllow[0] != netip.MustParsePrefix("172.16.0.0/16") {
					t.Errorf("AdminAllow = %v, want [172.16.0.0/16]", c.AdminAllow)
				}
			},
		},
		{
			name: "media size with unit",
			env:  env("TRANGTIN_MEDIA_MAX_SIZE", "512KB"),
			check: func(t *testing.T, c config.Config) {
				if c.MediaMaxBytes != 512<<10 {
					t.Errorf("MediaMaxBytes = %d, want %d", c.MediaMaxBytes, 512<<10)
				}
			},
		},
		{
			name: "json logs",
			env:  env("TRANGTIN_LOG_FORMAT", "json"),
			check: func(t *testing.T, c config.Config) {
				if c.LogFormat != "json" {
					t.Errorf("LogFormat = %q", c.LogFormat)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(tt.env, nil, nil)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	tests := []struct {
		name    string
		env     func(string) string
		wantVar string
		// secret is a value that must not be echoed in the error.
		secret string
	}{
		{name: "addr without port", env: env("TRANGTIN_ADDR", "abc"), wantVar: "TRANGTIN_ADDR"},
		{name: "addr with port out of range", env: env("TRANGTIN_ADDR", ":99999"), wantVar: "TRANGTIN_ADDR"},
		{name: "database URL of another engine", env: env("TRANGTIN_DATABASE_URL", "mysql://x"), wantVar: "TRANGTIN_DATABASE_URL"},
		{name: "database URL with a password is not echoed", env: env("TRANGTIN_DATABASE_URL", "mysql://app:Hunter2-db-pass@x/db"), wantVar: "TRANGTIN_DATABASE_URL", secret: "Hunter2-db-pass"},
		{name: "S3 endpoint with a scheme", env: env("TRANGTIN_S3_ENDPOINT", "http://x:9000", "TRANGTIN_S3_ACCESS_KEY", "a", "TRANGTIN_S3_SECRET_KEY", "b"), wantVar: "TRANGTIN_S3_ENDPOINT"},
		{name: "S3 secure not a boolean", env: env("TRANGTIN_S3_SECURE", "maybe"), wantVar: "TRANGTIN_S3_SECURE"},
		{name: "S3 bucket with capitals", env: env("TRANGTIN_S3_BUCKET", "My_Bucket"), wantVar: "TRANGTIN_S3_BUCKET"},
		{name: "log format xml", env: env("TRANGTIN_LOG_FORMAT", "xml"), wantVar: "TRANGTIN_LOG_FORMAT"},
		{name: "trusted proxies bad CIDR", env: env("TRANGTIN_TRUSTED_PROXIES", "10.0.0.0/33"), wantVar: "TRANGTIN_TRUSTED_PROXIES"},
		{name: "admin allow not an address", env: env("TRANGTIN_ADMIN_ALLOW", "nope"), wantVar: "TRANGTIN_ADMIN_ALLOW"},
		{name: "secret too short is not echoed", env: env("TRANGTIN_SECRET", "short-secret-xyz"), wantVar: "TRANGTIN_SECRET", secret: "short-secret-xyz"},
		{name: "base domain with a space", env: env("TRANGTIN_BASE_DOMAIN", "bad domain"), wantVar: "TRANGTIN_BASE_DOMAIN"},
		{name: "admin host with a slash", env: env("TRANGTIN_ADMIN_HOST", "admin/x"), wantVar: "TRANGTIN_ADMIN_HOST"},
		{name: "media max size not a size", env: env("TRANGTIN_MEDIA_MAX_SIZE", "lots"), wantVar: "TRANGTIN_MEDIA_MAX_SIZE"},
		{name: "media quota negative", env: env("TRANGTIN_MEDIA_QUOTA", "-1GB"), wantVar: "TRANGTIN_MEDIA_QUOTA"},
		{name: "metrics addr without port", env: env("TRANGTIN_METRICS_ADDR", "metrics"), wantVar: "TRANGTIN_METRICS_ADDR"},
		{name: "statement timeout without unit", env: env("TRANGTIN_DB_STATEMENT_TIMEOUT", "30"), wantVar: "TRANGTIN_DB_STATEMENT_TIMEOUT"},
		{name: "lock timeout negative", env: env("TRANGTIN_DB_LOCK_TIMEOUT", "-5s"), wantVar: "TRANGTIN_DB_LOCK_TIMEOUT"},
		{name: "idle transaction timeout not a duration", env: env("TRANGTIN_DB_IDLE_TX_TIMEOUT", "long"), wantVar: "TRANGTIN_DB_IDLE_TX_TIMEOUT"},
		{name: "request timeout off", env: env("TRANGTIN_REQUEST_TIMEOUT", "0"), wantVar: "TRANGTIN_REQUEST_TIMEOUT"},
		{name: "S3 endpoint without any key", env: env("TRANGTIN_S3_ENDPOINT", "minio:9000"), wantVar: "TRANGTIN_S3_ACCESS_KEY"},
		{name: "S3 endpoint without the secret key", env: env("TRANGTIN_S3_ENDPOINT", "minio:9000", "TRANGTIN_S3_ACCESS_KEY", "ak"), wantVar: "TRANGTIN_S3_SECRET_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(tt.env, nil, nil)
			if err == nil {
				t.Fatal("Load accepted the bad value")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.wantVar) {
				t.Errorf("error %q does not name %s", msg, tt.wantVar)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *config.Error", err)
			}
			if tt.secret != "" && strings.Contains(msg, tt.secret) {
				t.Errorf("error %q echoes the secret value", msg)
			}
		})
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     func(string) string
		want    func(c config.Config) string
		wantVal string
	}{
		{name: "flag beats env", args: []string{"--addr", ":9000"}, env: env("TRANGTIN_ADDR", ":7000"),
			want: func(c config.Config) string { return c.Addr }, wantVal: ":9000"},
		{name: "flag beats default", args: []string{"--addr", ":9000"}, env: env(),
			want: func(c config.Config) string { return c.Addr }, wantVal: ":9000"},
		{name: "env kept when its flag is absent", args: []string{"--addr", ":9000"}, env: env("TRANGTIN_DATA_DIR", "/srv/trangtin"),
			want: func(c config.Config) string { return c.DataDir }, wantVal: "/srv/trangtin"},
		{name: "multi-word flag name", args: []string{"--data-dir", "/tmp/x"}, env: env("TRANGTIN_DATA_DIR", "/srv/trangtin"),
			want: func(c config.Config) string { return c.DataDir }, wantVal: "/tmp/x"},
		{name: "base domain flag derives the admin host", args: []string{"--base-domain=example.vn"}, env: env("TRANGTIN_BASE_DOMAIN", "localhost"),
			want: func(c config.Config) string { return c.AdminHost }, wantVal: "admin.example.vn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			f := config.RegisterFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatalf("parse %v: %v", tt.args, err)
			}
			c, err := config.Load(tt.env, f, fs)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := tt.want(c); got != tt.wantVal {
				t.Errorf("got %q, want %q", got, tt.wantVal)
			}
		})
	}

	t.Run("bad flag value is refused and names the setting", func(t *testing.T) {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		f := config.RegisterFlags(fs)
		if err := fs.Parse([]string{"--log-format", "xml"}); err != nil {
			t.Fatal(err)
		}
		_, err := config.Load(env(), f, fs)
		if err == nil || !strings.Contains(err.Error(), "TRANGTIN_LOG_FORMAT") {
			t.Fatalf("err = %v, want an error naming TRANGTIN_LOG_FORMAT", err)
		}
	})
}

func TestFlagName(t *testing.T) {
	for env, want := range map[string]string{
		"TRANGTIN_ADDR":            "addr",
		"TRANGTIN_DATA_DIR":        "data-dir",
		"TRANGTIN_S3_SECRET_KEY":   "s3-secret-key",
		"TRANGTIN_TRUSTED_PROXIES": "trusted-proxies",
	} {
		t.Run(env, func(t *testing.T) {
			if got := config.FlagName(env); got != want {
				t.Errorf("FlagName(%s) = %q, want %q", env, got, want)
			}
		})
	}
}

func TestLogValueMasksSecrets(t *testing.T) {
	const (
		sessionSecret = "session-secret-0123456789abcdef-XYZ"
		s3Secret      = "minio-secret-key-QWERTY"
		dbPassword    = "pg-password-Hunter2"
	)
	c, err := config.Load(env(
		"TRANGTIN_SECRET", sessionSecret,
		"TRANGTIN_S3_ENDPOINT", "minio:9000",
		"TRANGTIN_S3_ACCESS_KEY", "access-key-id",
		"TRANGTIN_S3_SECRET_KEY", s3Secret,
		"TRANGTIN_DATABASE_URL", "postgres://trangtin:"+dbPassword+"@db.internal:5432/trangtin?sslmode=disable",
	), nil, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for name, h := range handlers {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(h(&buf)).Info("starting trangtin", "config", c)
			out := buf.String()
			for _, secret := range []string{sessionSecret, s3Secret, dbPassword} {
				if strings.Contains(out, secret) {
					t.Errorf("log line shows secret %q:\n%s", secret, out)
				}
			}
			// The rest is still there, so the line is useful.
			for _, want := range []string{"db.internal:5432", "minio:9000", ":8080", "admin.localhost"} {
				if !strings.Contains(out, want) {
					t.Errorf("log line lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestLogValueMasksPasswordInQueryString(t *testing.T) {
	// pgx accepts the password as a URL parameter too
	// (postgres://host/db?password=...); it must be masked as well.
	const dbPassword = "pg-query-password-Hunter3"
	c, err := config.Load(env("TRANGTIN_DATABASE_URL", "postgres://trangtin@db.internal:5432/trangtin?sslmode=disable&password="+dbPassword), nil, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting trangtin", "config", c)
	if strings.Contains(buf.String(), dbPassword) {
		t.Errorf("log line shows the database password given as a URL parameter:\n%s", buf.String())
	}
}

func TestLogValueWithoutDatabaseURL(t *testing.T) {
	c, err := config.Load(env(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "config", c)
	if !strings.Contains(buf.String(), "sqlite") {
		t.Errorf("log line does not say the embedded database is used:\n%s", buf.String())
	}
}

func TestEnsureSecret(t *testing.T) {
	t.Run("generated once and reused", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data") // does not exist yet
		c1 := config.Config{DataDir: dir}
		if err := config.EnsureSecret(&c1); err != nil {
			t.Fatalf("first EnsureSecret: %v", err)
		}
		if len(c1.Secret) < 32 {
			t.Fatalf("generated secret %q is shorter than 32 characters", c1.Secret)
		}
		info, err := os.Stat(c1.SecretPath())
		if err != nil {
			t.Fatalf("secret not kept in the data dir: %v", err)
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("secret file mode %v is readable by others", perm)
		}
		c2 := config.Config{DataDir: dir}
		if err := config.EnsureSecret(&c2); err != nil {
			t.Fatalf("second EnsureSecret: %v", err)
		}
		if c2.Secret != c1.Secret {
			t.Errorf("second start got a different secret: %q vs %q", c2.Secret, c1.Secret)
		}
	})
	t.Run("each data dir gets its own", func(t *testing.T) {
		a, b := config.Config{DataDir: t.TempDir()}, config.Config{DataDir: t.TempDir()}
		if err := config.EnsureSecret(&a); err != nil {
			t.Fatal(err)
		}
		if err := config.EnsureSecret(&b); err != nil {
			t.Fatal(err)
		}
		if a.Secret == b.Secret {
			t.Error("two data dirs got the same secret")
		}
	})
	t.Run("configured secret is kept and nothing is written", func(t *testing.T) {
		dir := t.TempDir()
		want := strings.Repeat("k", 40)
		c := config.Config{DataDir: dir, Secret: want}
		if err := config.EnsureSecret(&c); err != nil {
			t.Fatal(err)
		}
		if c.Secret != want {
			t.Errorf("Secret = %q, want the configured one", c.Secret)
		}
		if _, err := os.Stat(c.SecretPath()); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a secret file was written although TRANGTIN_SECRET is set (stat err %v)", err)
		}
	})
	t.Run("truncated secret file is refused", func(t *testing.T) {
		dir := t.TempDir()
		c := config.Config{DataDir: dir}
		if err := os.WriteFile(c.SecretPath(), []byte("abc\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := config.EnsureSecret(&c)
		if err == nil {
			t.Fatalf("EnsureSecret accepted a 3-character secret file (Secret %q)", c.Secret)
		}
		if c.Secret != "" {
			t.Errorf("Secret = %q after the error", c.Secret)
		}
	})
}
