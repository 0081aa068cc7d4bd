package account

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// Login error codes a caller may want to tell apart. login_throttled is an
// errs.Forbidden the console and API map to 429.
const (
	CodeLoginFailed     = "login_failed"
	CodeLoginThrottled  = "login_throttled"
	CodeAccountDisabled = "account_disabled"
	// CodeTemporaryPasswordExpired: the right password, handed over by an
	// administrator more than TemporaryPasswordLifetime ago and never
	// replaced.
	CodeTemporaryPasswordExpired = "temporary_password_expired"
)

// errLoginFailed is the one answer to an unknown email and a wrong
// password, so the form does not tell which emails have accounts.
func errLoginFailed() error {
	return errs.Unauthenticated(CodeLoginFailed, "Email hoặc mật khẩu không đúng")
}

// Login checks email and password and starts a new session: always a new
// id (no fixation). needsMFA says the account has a second factor: the
// token then names a pending session, good only for CompleteMFA within
// PendingLifetime. ip and userAgent are the client's, kept with the session
// and used for throttling (per email and per ip).
//
// Errors: errs.Unauthenticated login_failed for an unknown email or a wrong
// password (alike, and in similar time); errs.Forbidden login_throttled
// after too many failures, even for the right password; errs.Forbidden
// account_disabled for a disabled account's right password.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (sessionToken string, needsMFA bool, err error) {
	email = truncate(NormalizeEmail(email), 254) // it is stored with failures
	if email == "" || password == "" {
		return "", false, errs.Invalid("email", "login_missing", "Vui lòng nhập email và mật khẩu")
	}
	if err := s.checkThrottle(ctx, email, ip); err != nil {
		return "", false, s.refuse(ctx, err, email, "", ip, "throttled")
	}
	a, err := ByEmail(ctx, s.db, email)
	if err != nil && !errs.Is(err, errs.KindNotFound) {
		return "", false, err
	}
	hash := ""
	if a != nil {
		hash = a.PasswordHash
	}
	ok, verr := s.verify(ctx, password, hash)
	if verr != nil && ctx.Err() != nil {
		return "", false, verr
	}
	if !ok {
		actor, reason := "", "unknown_email"
		if a != nil {
			actor, reason = a.ID, "wrong_password"
		}
		return "", false, s.fail(ctx, email, actor, ip, reason)
	}
	if !a.Active() {
		return "", false, s.refuse(ctx, errs.Forbidden(CodeAccountDisabled,
			"Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên."), email, a.ID, ip, "disabled")
	}
	if a.PasswordTemporaryUntil != nil && !s.clock().Before(*a.PasswordTemporaryUntil) {
		return "", false, s.refuse(ctx, errs.Forbidden(CodeTemporaryPasswordExpired,
			"Mật khẩu tạm thời đã hết hạn. Vui lòng liên hệ quản trị hệ thống để được cấp lại."), email, a.ID, ip, "temporary_password_expired")
	}
	s.upgradeHash(ctx, a, password)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		sessionToken, _, err = s.createSession(ctx, tx, a.ID, ip, userAgent, a.TOTPEnabled, false)
		if err != nil || a.TOTPEnabled {
			return err
		}
		return s.succeed(ctx, tx, a, ip, false)
	})
	if err != nil {
		return "", false, err
	}
	return sessionToken, a.TOTPEnabled, nil
}

// CompleteMFA finishes a login that needs the second factor: it checks
// code (a TOTP code or a recovery code) for the pending session named by
// pendingToken, ends that session and returns the token of a new, full
// session (a fresh id again: the privilege changed).
func (s *Service) CompleteMFA(ctx context.Context, pendingToken, code, ip, userAgent string) (string, error) {
	ss, a, err := s.SessionFromToken(ctx, pendingToken)
	if err != nil {
		return "", err
	}
	if !ss.Pending {
		return "", errs.Conflict("mfa_not_pending", "Phiên đăng nhập này không chờ mã xác thực")
	}
	if err := s.checkThrottle(ctx, a.Email, ip); err != nil {
		return "", s.refuse(ctx, err, a.Email, a.ID, ip, "throttled")
	}
	if err := s.VerifySecondFactor(ctx, a.ID, code, ip); err != nil {
		if errs.Is(err, errs.KindInvalid) {
			if ferr := s.fail(ctx, a.Email, a.ID, ip, "wrong_mfa_code"); !errs.Is(ferr, errs.KindUnauthenticated) {
				return "", ferr
			}
		}
		return "", err
	}
	var token string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.revokeSession(ctx, tx, ss.ID); err != nil {
			return err
		}
		var err error
		if token, _, err = s.createSession(ctx, tx, a.ID, ip, userAgent, false, true); err != nil {
			return err
		}
		return s.succeed(ctx, tx, a, ip, true)
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ChangePassword checks the current password, sets the new one and ends
// every other session of the account (keepSessionID, a Session.ID, stays).
func (s *Service) ChangePassword(ctx context.Context, accountID, current, next, keepSessionID, ip string) error {
	a, err := ByID(ctx, s.db, accountID)
	if err != nil {
		return err
	}
	ok, err := s.verify(ctx, current, a.PasswordHash)
	if err != nil && ctx.Err() != nil {
		return err
	}
	if !ok {
		return errs.Invalid("current_password", "password_wrong", "Mật khẩu hiện tại không đúng")
	}
	if err := CheckPasswordPolicy(next, a.Email); err != nil {
		return err
	}
	hash, err := HashPassword(next, s.params)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := storeHash(ctx, tx, a.ID, hash, s.clock()); err != nil {
			return err
		}
		// The password is now the person's own.
		_, err := tx.NewUpdate().Model((*Account)(nil)).Set("password_temporary_until = NULL").Where("id = ?", a.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		n, err := s.revokeAll(ctx, tx, a.ID, keepSessionID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, audit.Event{ActorID: a.ID, Action: audit.ActionPasswordChanged,
			Subject: a.Email, IP: ip, Detail: map[string]any{"sessions_ended": n}})
	})
}

// upgradeHash rehashes a verified password made with other costs. A
// failure only delays the upgrade to a later login.
func (s *Service) upgradeHash(ctx context.Context, a *Account, password string) {
	if !NeedsRehash(a.PasswordHash, s.params) {
		return
	}
	if hash, err := HashPassword(password, s.params); err == nil {
		_ = storeHash(ctx, s.db, a.ID, hash, s.clock())
	}
}

// succeed clears the email's failures from the account count and records
// the login in tx.
func (s *Service) succeed(ctx context.Context, tx bun.IDB, a *Account, ip string, mfa bool) error {
	_, err := tx.NewUpdate().Model((*loginFailure)(nil)).Set("account_cleared = ?", true).
		Where("email = ? AND account_cleared = ?", a.Email, false).Exec(ctx)
	if err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return s.record(ctx, tx, audit.Event{ActorID: a.ID, Action: audit.ActionLoginSuccess,
		Subject: a.Email, IP: ip, Detail: map[string]any{"mfa": mfa}})
}

// loginFailure is one failed attempt, counted for throttling.
type loginFailure struct {
	bun.BaseModel `bun:"table:login_failures"`

	ID             string    `bun:"id,pk"`
	Email          string    `bun:"email"`
	IP             string    `bun:"ip"`
	AccountCleared bool      `bun:"account_cleared"`
	CreatedAt      time.Time `bun:"created_at"`
}

// fail counts a failed attempt against email and ip, records it, and
// returns the login_failed error (or what went wrong writing it).
func (s *Service) fail(ctx context.Context, email, actorID, ip, reason string) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row := &loginFailure{ID: db.NewID(), Email: email, IP: ip, CreatedAt: s.clock()}
		_, err := tx.NewInsert().Model(row).Exec(ctx)
		if err != nil {
			return fmt.Errorf("count login failure: %w", err)
		}
		return s.record(ctx, tx, audit.Event{ActorID: actorID, Action: audit.ActionLoginFailure,
			Subject: email, IP: ip, Detail: map[string]any{"reason": reason}})
	})
	if err != nil {
		return err
	}
	return errLoginFailed()
}

// refuse records a refused attempt that does not count as a failure (a
// throttled or disabled login) and returns cause.
func (s *Service) refuse(ctx context.Context, cause error, email, actorID, ip, reason string) error {
	err := s.record(ctx, s.db, audit.Event{ActorID: actorID, Action: audit.ActionLoginFailure,
		Subject: email, IP: ip, Detail: map[string]any{"reason": reason}})
	if err != nil {
		return err
	}
	return cause
}

// checkThrottle refuses the attempt when the email has MaxFailuresPerAccount
// failures, or the ip MaxFailuresPerIP, within ThrottleWindow. Throttled
// attempts are not counted, so the wait announced is the real one.
func (s *Service) checkThrottle(ctx context.Context, email, ip string) error {
	now := s.clock()
	since := now.Add(-ThrottleWindow)
	until, err := s.lockedUntil(ctx, "email = ? AND account_cleared = ?", []any{email, false}, since, MaxFailuresPerAccount)
	if err != nil {
		return err
	}
	if ip != "" {
		ipUntil, err := s.lockedUntil(ctx, "ip = ?", []any{ip}, since, MaxFailuresPerIP)
		if err != nil {
			return err
		}
		if ipUntil.After(until) {
			until = ipUntil
		}
	}
	if !until.After(now) {
		return nil
	}
	minutes := max(1, int(math.Ceil(until.Sub(now).Minutes())))
	return errs.Throttled("", CodeLoginThrottled,
		fmt.Sprintf("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %d phút.", minutes))
}

// lockedUntil returns when the failures matching where drop below limit
// inside the window: the limit-th newest failure's time plus the window,
// or the zero time when there are fewer than limit.
func (s *Service) lockedUntil(ctx context.Context, where string, args []any, since time.Time, limit int) (time.Time, error) {
	var times []time.Time
	err := s.db.NewSelect().Model((*loginFailure)(nil)).Column("created_at").
		Where(where, args...).Where("created_at > ?", since).
		OrderExpr("created_at DESC").Limit(int64(limit)).Scan(ctx, &times)
	if err != nil {
		return time.Time{}, fmt.Errorf("count login failures: %w", err)
	}
	if len(times) < limit {
		return time.Time{}, nil
	}
	return times[limit-1].Add(ThrottleWindow), nil
}
