package account

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"fmt"
	"runtime"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
)

// Timeouts and limits of sessions and login throttling.
const (
	// SessionLifetime is the absolute life of a console session.
	SessionLifetime = 12 * time.Hour
	// IdleTimeout ends a session nobody used for that long.
	IdleTimeout = 2 * time.Hour
	// PendingLifetime is how long a password-checked login may wait for
	// its second factor.
	PendingLifetime = 10 * time.Minute
	// ThrottleWindow is the sliding window failed logins are counted in.
	ThrottleWindow = 15 * time.Minute
	// MaxFailuresPerAccount failed logins of one email within the window
	// refuse every further attempt for it, even with the right password.
	MaxFailuresPerAccount = 10
	// MaxFailuresPerIP is the same limit for one client address.
	MaxFailuresPerIP = 30
	// touchInterval is how stale last_seen_at / last_used_at may get
	// before a request writes it, so busy clients do not write on every
	// request.
	touchInterval = time.Minute
)

// Service runs logins, sessions, the second factor and API tokens on one
// database. It is safe for concurrent use.
type Service struct {
	db     *bun.DB
	secret string
	seal   cipher.AEAD
	audit  *audit.Log
	now    func() time.Time
	params Params
	issuer string
	// hashSlots bounds concurrent argon2 computations, so a burst of logins
	// cannot allocate 64 MiB per request without limit.
	hashSlots chan struct{}
	// dummyHash is verified for unknown emails so they take as long as a
	// wrong password.
	dummyHash string
}

// Option tunes a Service.
type Option func(*Service)

// WithParams sets the argon2 cost of passwords the Service hashes (cheap
// ones in tests). Existing hashes with other costs are upgraded at login.
func WithParams(p Params) Option { return func(s *Service) { s.params = p } }

// WithIssuer sets the issuer shown by authenticator apps (default
// "Trangtin").
func WithIssuer(issuer string) Option { return func(s *Service) { s.issuer = issuer } }

// NewService returns a Service on db. secret (the platform secret) keys CSRF
// tokens and seals TOTP secrets; it must not be empty. auditLog receives
// security events; now is the clock (time.Now when nil).
func NewService(db *bun.DB, secret string, auditLog *audit.Log, now func() time.Time, opts ...Option) *Service {
	if secret == "" {
		panic("account.NewService: empty secret")
	}
	if now == nil {
		now = time.Now
	}
	s := &Service{
		db:        db,
		secret:    secret,
		audit:     auditLog,
		now:       now,
		params:    DefaultParams(),
		issuer:    "Trangtin",
		hashSlots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
	}
	for _, o := range opts {
		o(s)
	}
	key := sha256.Sum256([]byte("trangtin/totp-seal\x00" + s.secret))
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(fmt.Sprintf("account.NewService: %v", err))
	}
	if s.seal, err = cipher.NewGCM(block); err != nil {
		panic(fmt.Sprintf("account.NewService: %v", err))
	}
	if s.dummyHash, err = HashPassword("trangtin dummy password", s.params); err != nil {
		panic(fmt.Sprintf("account.NewService: %v", err))
	}
	return s
}

// Params returns the argon2 cost the Service hashes with.
func (s *Service) Params() Params { return s.params }

// clock is the current time as stored: UTC, microseconds.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// verify checks a password against a stored hash, holding a hash slot.
// A missing or unreadable hash, or an overlong password, verifies the dummy
// instead, so the answer takes the same time and is false.
func (s *Service) verify(ctx context.Context, password, encoded string) (bool, error) {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return false, fmt.Errorf("verify password: %w", ctx.Err())
	}
	defer func() { <-s.hashSlots }()
	if encoded == "" || len(password) > 4*MaxPasswordLen {
		_, _ = VerifyPassword(password[:min(len(password), 4*MaxPasswordLen)], s.dummyHash)
		return false, nil
	}
	ok, err := VerifyPassword(password, encoded)
	if err != nil {
		_, _ = VerifyPassword(password, s.dummyHash)
		return false, err
	}
	return ok, nil
}

// record writes an audit event with the Service's clock inside idb.
func (s *Service) record(ctx context.Context, idb bun.IDB, e audit.Event) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = s.clock()
	}
	return s.audit.Record(ctx, idb, e)
}
