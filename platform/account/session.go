package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

// Session is a console login, kept on the server so it can be revoked. The
// browser holds a random token; the database holds only its SHA-256 (ID),
// so a copy of the table logs nobody in.
type Session struct {
	bun.BaseModel `bun:"table:account_sessions"`

	// ID is the hex SHA-256 of the cookie value.
	ID         string    `bun:"id,pk" json:"id"`
	AccountID  string    `bun:"account_id" json:"account_id"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at" json:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at" json:"expires_at"`
	IP         string    `bun:"ip" json:"ip"`
	UserAgent  string    `bun:"user_agent" json:"user_agent"`
	// Pending marks a session that passed the password but still owes the
	// second factor: it authenticates nothing but CompleteMFA.
	Pending bool `bun:"pending" json:"pending"`
	// MFAPassed records that the second factor was verified at login.
	MFAPassed bool       `bun:"mfa_passed" json:"mfa_passed"`
	RevokedAt *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

// valid reports whether the session may still be used at now.
func (ss *Session) valid(now time.Time) bool {
	return ss.RevokedAt == nil && now.Before(ss.ExpiresAt) && now.Sub(ss.LastSeenAt) < IdleTimeout
}

// errSessionInvalid answers every unusable session alike.
func errSessionInvalid() error {
	return errs.Unauthenticated("session_invalid", "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")
}

// newSecret returns a random 32-byte value as unpadded base64url and the
// hex SHA-256 under which it is stored.
func newSecret() (plain, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand since Go 1.24)
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, hashSecret(plain)
}

func hashSecret(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// createSession starts a new session (always a new id: no fixation) and
// returns the token for the cookie.
func (s *Service) createSession(ctx context.Context, idb bun.IDB, accountID, ip, userAgent string, pending, mfa bool) (string, *Session, error) {
	now := s.clock()
	life := SessionLifetime
	if pending {
		life = PendingLifetime
	}
	plain, hash := newSecret()
	ss := &Session{
		ID: hash, AccountID: accountID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life),
		IP: truncate(ip, 64), UserAgent: truncate(userAgent, 512), Pending: pending, MFAPassed: mfa,
	}
	if _, err := idb.NewInsert().Model(ss).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return plain, ss, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // do not cut a UTF-8 sequence
		n--
	}
	return s[:n]
}

// SessionFromToken returns the session a cookie value names and its
// account. A missing, revoked, expired or idle session, or a disabled
// account, is errs.Unauthenticated. A pending session is returned as is:
// callers check Pending. Use refreshes last_seen_at at most once a minute.
func (s *Service) SessionFromToken(ctx context.Context, token string) (*Session, *Account, error) {
	if token == "" || len(token) > 128 {
		return nil, nil, errSessionInvalid()
	}
	now := s.clock()
	ss := new(Session)
	err := s.db.NewSelect().Model(ss).Where("id = ?", hashSecret(token)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errSessionInvalid()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	if !ss.valid(now) {
		return nil, nil, errSessionInvalid()
	}
	a, err := ByID(ctx, s.db, ss.AccountID)
	if errs.Is(err, errs.KindNotFound) || err == nil && !a.Active() {
		return nil, nil, errSessionInvalid()
	}
	if err != nil {
		return nil, nil, err
	}
	if now.Sub(ss.LastSeenAt) >= touchInterval {
		_, err := s.db.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", now).
			Where("id = ? AND revoked_at IS NULL", ss.ID).Exec(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("touch session: %w", err)
		}
		ss.LastSeenAt = now
	}
	return ss, a, nil
}

// Logout revokes the session a cookie value names. An unknown or already
// ended session is not an error: the user is logged out either way.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.revokeSession(ctx, s.db, hashSecret(token))
}

func (s *Service) revokeSession(ctx context.Context, idb bun.IDB, id string) error {
	_, err := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", s.clock()).
		Where("id = ? AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// LogoutEverywhere revokes every session of the account and, when
// withTokens, every live API token too (the owner says so explicitly: a
// token may run an unattended job), and records it in the audit log.
func (s *Service) LogoutEverywhere(ctx context.Context, accountID string, withTokens bool) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := s.revokeAll(ctx, tx, accountID, "")
		if err != nil {
			return err
		}
		detail := map[string]any{"sessions": n}
		if withTokens {
			res, err := tx.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", s.clock()).
				Where("account_id = ? AND revoked_at IS NULL", accountID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("revoke tokens: %w", err)
			}
			detail["tokens"], _ = res.RowsAffected()
		}
		return s.record(ctx, tx, audit.Event{
			ActorID: accountID, Action: audit.ActionLogoutEverywhere, Subject: accountID, Detail: detail,
		})
	})
}

// revokeAll revokes the account's live sessions except keepID.
func (s *Service) revokeAll(ctx context.Context, idb bun.IDB, accountID, keepID string) (int64, error) {
	res, err := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", s.clock()).
		Where("account_id = ? AND revoked_at IS NULL AND id <> ?", accountID, keepID).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("revoke sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// Sessions lists the account's usable sessions, newest first, for an
// "active sessions" page.
func (s *Service) Sessions(ctx context.Context, accountID string) ([]*Session, error) {
	now := s.clock()
	var all []*Session
	err := s.db.NewSelect().Model(&all).
		Where("account_id = ? AND revoked_at IS NULL AND expires_at > ?", accountID, now).
		Order("created_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	live := all[:0]
	for _, ss := range all {
		if ss.valid(now) && !ss.Pending {
			live = append(live, ss)
		}
	}
	return live, nil
}

// RevokeSession ends one of the account's sessions by its id (the hash, as
// listed by Sessions).
func (s *Service) RevokeSession(ctx context.Context, accountID, sessionID string) error {
	res, err := s.db.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", s.clock()).
		Where("id = ? AND account_id = ? AND revoked_at IS NULL", sessionID, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.NotFound("session_not_found", "Không tìm thấy phiên đăng nhập")
	}
	return nil
}

// Prune deletes sessions that ended more than a month ago and failed-login
// records older than a day; run it from a periodic job.
func (s *Service) Prune(ctx context.Context) error {
	now := s.clock()
	cut := now.Add(-30 * 24 * time.Hour)
	if _, err := s.db.NewDelete().Model((*Session)(nil)).
		Where("expires_at < ? OR revoked_at < ?", cut, cut).Exec(ctx); err != nil {
		return fmt.Errorf("prune sessions: %w", err)
	}
	if _, err := s.db.NewDelete().Model((*loginFailure)(nil)).
		Where("created_at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return fmt.Errorf("prune login failures: %w", err)
	}
	return nil
}
