// Package config loads the platform's settings from the environment (and
// kebab-case flags of the same names), validates every value at start-up and
// renders them for logs with secrets masked. There is no package-level
// state: callers pass the Config they loaded.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the platform, validated.
type Config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	S3Endpoint     string
	S3AccessKey    string
	S3SecretKey    string
	S3Bucket       string
	S3Secure       bool
	BaseDomain     string
	AdminHost      string
	Secret         string
	LogFormat      string
	TrustedProxies []netip.Prefix
	MetricsAddr    string
	AdminAllow     []netip.Prefix
	MediaMaxBytes  int64
	MediaQuota     int64
	// PageCache is the memory for cached public pages in bytes
	// (TRANGTIN_PAGE_CACHE); 0 turns the page cache off.
	PageCache int64

	// SMTP sends e-mail (quota reminders and digests); empty SMTPHost is off.
	SMTPHost     string
	SMTPPort     int
	SMTPUser     string
	SMTPPassword string
	SMTPFrom     string
	// SMTPTLS is none, starttls or tls.
	SMTPTLS string
	// ReminderSchedule lists the weekly moments (Vietnam time) at which
	// contributors behind their quota are reminded.
	ReminderSchedule []WeeklySlot
	// MFARequired makes the second factor mandatory for every account
	// that holds a role (TRANGTIN_MFA_REQUIRED); tenants can also require
	// it for their own board.
	MFARequired bool

	// DBStatementTimeout, DBLockTimeout and DBIdleTxTimeout bound how long
	// one PostgreSQL session of `serve` may run a statement, wait for a
	// lock and sit idle inside a transaction (0 = off). RequestTimeout is
	// the deadline of every HTTP request's work.
	DBStatementTimeout time.Duration
	DBLockTimeout      time.Duration
	DBIdleTxTimeout    time.Duration
	RequestTimeout     time.Duration
}

// UsesSMTP reports whether e-mail is configured.
func (c Config) UsesSMTP() bool { return c.SMTPHost != "" }

// UsesPostgres reports whether the database URL selects PostgreSQL.
func (c Config) UsesPostgres() bool { return c.DatabaseURL != "" }

// UsesS3 reports whether media go to an S3-compatible store.
func (c Config) UsesS3() bool { return c.S3Endpoint != "" }

// SQLitePath is the embedded database file.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "trangtin.db") }

// MediaDir is where the embedded default keeps media files.
func (c Config) MediaDir() string { return filepath.Join(c.DataDir, "media") }

// SecretPath is where a generated secret is kept when TRANGTIN_SECRET is unset.
func (c Config) SecretPath() string { return filepath.Join(c.DataDir, "secret") }

// setting describes one variable: its name, default and how it lands in Config.
type setting struct {
	env    string
	def    string
	secret bool
	usage  string
	apply  func(c *Config, v string) error
}

// Error names the variable whose value is wrong.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Var, e.Msg) }

func settings() []setting {
	return []setting{
		{env: "TRANGTIN_ADDR", def: ":8080", usage: "HTTP listener for every host", apply: func(c *Config, v string) error {
			if err := checkListenAddr(v); err != nil {
				return err
			}
			c.Addr = v
			return nil
		}},
		{env: "TRANGTIN_DATA_DIR", def: "./data", usage: "home of the embedded default", apply: func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
		{env: "TRANGTIN_DATABASE_URL", secret: true, usage: "postgres:// URL; empty selects SQLite in the data dir", apply: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
				return errors.New("must be a postgres://user:pass@host:5432/db URL")
			}
			c.DatabaseURL = v
			return nil
		}},
		{env: "TRANGTIN_S3_ENDPOINT", usage: "host:port of MinIO; empty keeps media on disk", apply: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if strings.Contains(v, "://") {
				return errors.New("must be host:port without a scheme (use TRANGTIN_S3_SECURE for TLS)")
			}
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("must be host:port")
			}
			c.S3Endpoint = v
			return nil
		}},
		{env: "TRANGTIN_S3_ACCESS_KEY", usage: "S3 access key", apply: func(c *Config, v string) error { c.S3AccessKey = v; return nil }},
		{env: "TRANGTIN_S3_SECRET_KEY", secret: true, usage: "S3 secret key", apply: func(c *Config, v string) error { c.S3SecretKey = v; return nil }},
		{env: "TRANGTIN_S3_BUCKET", def: "trangtin", usage: "bucket, created at start if missing", apply: func(c *Config, v string) error {
			if !validBucket(v) {
				return errors.New("must be 3-63 lower-case letters, digits, dots or hyphens")
			}
			c.S3Bucket = v
			return nil
		}},
		{env: "TRANGTIN_S3_SECURE", def: "false", usage: "TLS to the S3 endpoint", apply: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return errors.New("must be true or false")
			}
			c.S3Secure = b
			return nil
		}},
		{env: "TRANGTIN_BASE_DOMAIN", def: "localhost", usage: "tenants answer at <slug>.<base domain>", apply: func(c *Config, v string) error {
			v = strings.ToLower(strings.TrimSuffix(v, "."))
			if !ValidHostname(v) {
				return errors.New("must be a host name such as localhost or sites.example.vn")
			}
			c.BaseDomain = v
			return nil
		}},
		{env: "TRANGTIN_ADMIN_HOST", usage: "host of the console and the API (default admin.<base domain>)", apply: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			v = strings.ToLower(strings.TrimSuffix(v, "."))
			if !ValidHostname(v) {
				return errors.New("must be a host name")
			}
			c.AdminHost = v
			return nil
		}},
		{env: "TRANGTIN_SECRET", secret: true, usage: "signs sessions and CSRF tokens (generated in the data dir when empty)", apply: func(c *Config, v string) error {
			if v != "" && len(v) < 32 {
				return errors.New("must be at least 32 characters")
			}
			c.Secret = v
			return nil
		}},
		{env: "TRANGTIN_LOG_FORMAT", def: "text", usage: "text or json", apply: func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return errors.New("must be text or json")
			}
			c.LogFormat = v
			return nil
		}},
		{env: "TRANGTIN_TRUSTED_PROXIES", usage: "CIDRs whose X-Forwarded-* headers are believed", apply: func(c *Config, v string) (err error) {
			c.TrustedProxies, err = parseCIDRs(v)
			return err
		}},
		{env: "TRANGTIN_METRICS_ADDR", usage: "listener for Prometheus /metrics; empty is off", apply: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if err := checkListenAddr(v); err != nil {
				return err
			}
			c.MetricsAddr = v
			return nil
		}},
		{env: "TRANGTIN_ADMIN_ALLOW", usage: "CIDRs allowed to reach the admin host; empty is everyone", apply: func(c *Config, v string) (err error) {
			c.AdminAllow, err = parseCIDRs(v)
			return err
		}},
		{env: "TRANGTIN_MEDIA_MAX_SIZE", def: "20MB", usage: "largest accepted upload", apply: func(c *Config, v string) (err error) {
			c.MediaMaxBytes, err = parseSize(v)
			return err
		}},
		{env: "TRANGTIN_MEDIA_QUOTA", def: "2GB", usage: "media storage per tenant (0 = unlimited)", apply: func(c *Config, v string) (err error) {
			c.MediaQuota, err = parseSize(v)
			return err
		}},
		{env: "TRANGTIN_PAGE_CACHE", def: "64MB", usage: "memory for cached public pages (0 = off)", apply: func(c *Config, v string) (err error) {
			c.PageCache, err = parseSize(v)
			return err
		}},
		{env: "TRANGTIN_SMTP_HOST", usage: "SMTP server for reminders; empty sends no e-mail", apply: func(c *Config, v string) error {
			if v != "" && net.ParseIP(v) == nil && !ValidHostname(v) {
				return errors.New("must be a host name or IP address")
			}
			c.SMTPHost = v
			return nil
		}},
		{env: "TRANGTIN_SMTP_PORT", def: "587", usage: "SMTP port", apply: func(c *Config, v string) error {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return errors.New("must be a port number from 1 to 65535")
			}
			c.SMTPPort = p
			return nil
		}},
		{env: "TRANGTIN_SMTP_USER", usage: "SMTP user (PLAIN auth when set)", apply: func(c *Config, v string) error { c.SMTPUser = v; return nil }},
		{env: "TRANGTIN_SMTP_PASSWORD", secret: true, usage: "SMTP password", apply: func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
		{env: "TRANGTIN_SMTP_FROM", usage: "sender address (default no-reply@<base domain>)", apply: func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if _, err := mail.ParseAddress(v); err != nil {
				return errors.New("must be an e-mail address such as Trangtin <no-reply@so.gov.vn>")
			}
			c.SMTPFrom = v
			return nil
		}},
		{env: "TRANGTIN_SMTP_TLS", def: "starttls", usage: "none, starttls or tls", apply: func(c *Config, v string) error {
			if v != "none" && v != "starttls" && v != "tls" {
				return errors.New("must be none, starttls or tls")
			}
			c.SMTPTLS = v
			return nil
		}},
		{env: "TRANGTIN_MFA_REQUIRED", def: "false", usage: "require a second factor of every account with a role", apply: func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return errors.New("must be true or false")
			}
			c.MFARequired = b
			return nil
		}},
		{env: "TRANGTIN_DB_STATEMENT_TIMEOUT", def: "30s", usage: "longest one PostgreSQL statement may run (0 = no limit)", apply: func(c *Config, v string) (err error) {
			c.DBStatementTimeout, err = parseDuration(v, 0)
			return err
		}},
		{env: "TRANGTIN_DB_LOCK_TIMEOUT", def: "5s", usage: "longest a PostgreSQL statement waits for a lock (0 = no limit)", apply: func(c *Config, v string) (err error) {
			c.DBLockTimeout, err = parseDuration(v, 0)
			return err
		}},
		{env: "TRANGTIN_DB_IDLE_TX_TIMEOUT", def: "60s", usage: "PostgreSQL ends a transaction left idle this long (0 = never)", apply: func(c *Config, v string) (err error) {
			c.DBIdleTxTimeout, err = parseDuration(v, 0)
			return err
		}},
		{env: "TRANGTIN_REQUEST_TIMEOUT", def: "30s", usage: "deadline of an HTTP request's work", apply: func(c *Config, v string) (err error) {
			c.RequestTimeout, err = parseDuration(v, time.Second)
			return err
		}},
		{env: "TRANGTIN_REMINDER_SCHEDULE", def: "thu 09:00, sat 09:00", usage: "weekly reminder times, Vietnam time (off: none)", apply: func(c *Config, v string) (err error) {
			c.ReminderSchedule, err = ParseSchedule(v)
			return err
		}},
	}
}

// FlagName is the kebab-case flag for an environment variable:
// TRANGTIN_DATA_DIR → data-dir.
func FlagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(env, "TRANGTIN_")), "_", "-")
}

// Flags holds the flag overrides registered on one command's FlagSet.
type Flags struct {
	values map[string]*string
	set    map[string]bool
}

// RegisterFlags adds one string flag per setting to fs.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{values: map[string]*string{}, set: map[string]bool{}}
	for _, s := range settings() {
		f.values[s.env] = fs.String(FlagName(s.env), "", s.usage+" (overrides "+s.env+")")
	}
	return f
}

// Load reads every setting from getenv, lets flags that were given override
// it, validates, and fills derived defaults. fs may be nil.
func Load(getenv func(string) string, flags *Flags, fs *flag.FlagSet) (Config, error) {
	given := map[string]bool{}
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	}
	var c Config
	for _, s := range settings() {
		v, ok := lookup(getenv, s.env)
		if flags != nil && given[FlagName(s.env)] {
			v, ok = *flags.values[s.env], true
		}
		if !ok {
			v = s.def
		}
		if err := s.apply(&c, strings.TrimSpace(v)); err != nil {
			return Config{}, &Error{Var: s.env, Msg: err.Error()}
		}
	}
	if c.AdminHost == "" {
		c.AdminHost = "admin." + c.BaseDomain
	}
	if c.SMTPFrom == "" {
		c.SMTPFrom = "no-reply@" + c.BaseDomain
	}
	if c.UsesS3() && (c.S3AccessKey == "" || c.S3SecretKey == "") {
		return Config{}, &Error{Var: "TRANGTIN_S3_ACCESS_KEY", Msg: "TRANGTIN_S3_ACCESS_KEY and TRANGTIN_S3_SECRET_KEY are required with TRANGTIN_S3_ENDPOINT"}
	}
	return c, nil
}

func lookup(getenv func(string) string, name string) (string, bool) {
	v := getenv(name)
	return v, v != ""
}

// LogValue renders the settings for slog with secrets masked, so a start-up
// line can show what the process runs with.
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "********"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("data_dir", c.DataDir),
		slog.String("database", RedactURL(c.DatabaseURL)),
		slog.String("s3_endpoint", c.S3Endpoint),
		slog.String("s3_bucket", c.S3Bucket),
		slog.String("s3_secret_key", mask(c.S3SecretKey)),
		slog.String("base_domain", c.BaseDomain),
		slog.String("admin_host", c.AdminHost),
		slog.String("secret", mask(c.Secret)),
		slog.String("log_format", c.LogFormat),
		slog.Int("trusted_proxies", len(c.TrustedProxies)),
		slog.String("metrics_addr", c.MetricsAddr),
		slog.Int("admin_allow", len(c.AdminAllow)),
		slog.String("smtp_host", c.SMTPHost),
		slog.Int("smtp_port", c.SMTPPort),
		slog.String("smtp_user", c.SMTPUser),
		slog.String("smtp_password", mask(c.SMTPPassword)),
		slog.String("smtp_from", c.SMTPFrom),
		slog.String("smtp_tls", c.SMTPTLS),
		slog.String("reminder_schedule", FormatSchedule(c.ReminderSchedule)),
		slog.Duration("db_statement_timeout", c.DBStatementTimeout),
		slog.Duration("db_lock_timeout", c.DBLockTimeout),
		slog.Duration("db_idle_tx_timeout", c.DBIdleTxTimeout),
		slog.Duration("request_timeout", c.RequestTimeout),
	)
}

// RedactURL hides the password of a database URL.
func RedactURL(raw string) string {
	if raw == "" {
		return "sqlite (embedded)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "********"
	}
	// pgx also reads the password from the query string.
	q := u.Query()
	for k := range q {
		if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}

// Variables lists the settings with default and meaning, for the README and --help.
func Variables() []string {
	var out []string
	for _, s := range settings() {
		out = append(out, fmt.Sprintf("%s (default %q): %s", s.env, s.def, s.usage))
	}
	sort.Strings(out)
	return out
}

func checkListenAddr(v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("must be [host]:port, e.g. :8080")
	}
	if host != "" && net.ParseIP(host) == nil && !ValidHostname(host) {
		return errors.New("has a bad host part")
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return errors.New("has a bad port")
	}
	return nil
}

func parseCIDRs(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			addr, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR", part)
			}
			out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func parseSize(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errors.New("must be a size such as 20MB, 512KB or 1GB")
	}
	return n * mult, nil
}

// parseDuration reads a Go duration ("30s", "2m", "500ms"); "0" is zero,
// allowed only when min is 0.
func parseDuration(v string, min time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if v == "0" {
		d, err = 0, nil
	}
	switch {
	case err != nil || d < 0:
		return 0, errors.New("must be a duration such as 30s, 2m or 500ms")
	case d < min:
		return 0, fmt.Errorf("must be at least %s", min)
	case d > 0 && d < time.Millisecond:
		return 0, errors.New("must be at least 1ms")
	}
	return d, nil
}

func validBucket(v string) bool {
	if len(v) < 3 || len(v) > 63 {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// ValidHostname reports whether h is a DNS name (ASCII labels of letters,
// digits and hyphens). Internationalised names must be given in punycode.
func ValidHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// WeeklySlot is one moment of the week in Vietnam time, such as Thursday
// 09:00 (TRANGTIN_REMINDER_SCHEDULE).
type WeeklySlot struct {
	Day    time.Weekday
	Hour   int
	Minute int
}

// Key names the slot in job keys: "thu-0900".
func (s WeeklySlot) Key() string {
	return fmt.Sprintf("%s-%02d%02d", strings.ToLower(s.Day.String()[:3]), s.Hour, s.Minute)
}

// String is the slot as written in the setting: "thu 09:00".
func (s WeeklySlot) String() string {
	return fmt.Sprintf("%s %02d:%02d", strings.ToLower(s.Day.String()[:3]), s.Hour, s.Minute)
}

// ParseSchedule reads a comma-separated list of "<day> HH:MM" (days as
// mon, tue, wed, thu, fri, sat, sun), sorted from Monday and without
// duplicates. "off" (or an empty value) is no schedule.
func ParseSchedule(v string) ([]WeeklySlot, error) {
	if strings.EqualFold(strings.TrimSpace(v), "off") {
		return nil, nil
	}
	days := map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}
	var out []WeeklySlot
	seen := map[WeeklySlot]bool{}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		fields := strings.Fields(strings.ToLower(part))
		if len(fields) != 2 {
			return nil, fmt.Errorf("%q is not \"<day> HH:MM\" such as \"thu 09:00\"", part)
		}
		d, ok := days[fields[0]]
		if !ok {
			return nil, fmt.Errorf("%q: day must be mon, tue, wed, thu, fri, sat or sun", part)
		}
		hm, err := time.Parse("15:04", fields[1])
		if err != nil {
			return nil, fmt.Errorf("%q: time must be HH:MM from 00:00 to 23:59", part)
		}
		s := WeeklySlot{Day: d, Hour: hm.Hour(), Minute: hm.Minute()}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return slotMinutes(out[i]) < slotMinutes(out[j]) })
	return out, nil
}

// slotMinutes orders slots from Monday 00:00.
func slotMinutes(s WeeklySlot) int { return ((int(s.Day)+6)%7)*24*60 + s.Hour*60 + s.Minute }

// FormatSchedule writes slots back as the setting reads them.
func FormatSchedule(slots []WeeklySlot) string {
	parts := make([]string, len(slots))
	for i, s := range slots {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}
