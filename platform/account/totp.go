package account

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
)

// TOTP settings (RFC 6238 defaults every authenticator app accepts).
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew accepts the codes of one step either side of now, for
	// phones whose clocks drift.
	totpSkew = 1
	// RecoveryCodeCount is how many one-time recovery codes an enrolment
	// hands out.
	RecoveryCodeCount = 10
)

// Enrolment is what BeginEnrolment hands to the person enrolling, once.
type Enrolment struct {
	// Secret is the base32 TOTP secret, for typing into an app by hand.
	Secret string
	// URL is the otpauth:// URL the QR code encodes.
	URL string
	// QRCode is a PNG image of URL as a data: URL, ready for <img src>.
	QRCode string
	// RecoveryCodes are one-time codes for when the phone is lost; only
	// their hashes are kept.
	RecoveryCodes []string
}

func errCodeInvalid() error {
	return errs.Invalid("code", "mfa_code_invalid", "Mã xác thực không đúng hoặc đã được dùng")
}

// BeginEnrolment starts (or restarts) setting up the second factor: a new
// secret, its QR code, and new recovery codes replacing any earlier ones.
// Nothing changes for login until ConfirmEnrolment. An account that already
// has the second factor must disable it first (errs.Conflict).
func (s *Service) BeginEnrolment(ctx context.Context, accountID string) (*Enrolment, error) {
	a, err := ByID(ctx, s.db, accountID)
	if err != nil {
		return nil, err
	}
	if a.TOTPEnabled {
		return nil, errs.Conflict("mfa_already_enabled", "Xác thực hai bước đã được bật cho tài khoản này")
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: s.issuer, AccountName: a.Email, Period: totpPeriod, SecretSize: 20,
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		return nil, fmt.Errorf("generate totp secret: %w", err)
	}
	qr, err := qrDataURL(key)
	if err != nil {
		return nil, err
	}
	sealed, err := s.sealSecret(key.Secret())
	if err != nil {
		return nil, err
	}
	codes := newRecoveryCodes()
	now := s.clock()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*Account)(nil)).
			Set("totp_secret = ?", sealed).Set("totp_last_step = 0").Set("updated_at = ?", now).
			Where("id = ? AND totp_enabled = ?", a.ID, false).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store totp secret: %w", err)
		}
		return replaceRecoveryCodes(ctx, tx, a.ID, codes, now)
	})
	if err != nil {
		return nil, err
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QRCode: qr, RecoveryCodes: codes}, nil
}

func qrDataURL(key *otp.Key) (string, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return "", fmt.Errorf("draw totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("encode totp qr code: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// ConfirmEnrolment turns the second factor on once code, from the app the
// person just set up, matches the secret from BeginEnrolment.
func (s *Service) ConfirmEnrolment(ctx context.Context, accountID, code, ip string) error {
	a, err := ByID(ctx, s.db, accountID)
	if err != nil {
		return err
	}
	if a.TOTPEnabled {
		return errs.Conflict("mfa_already_enabled", "Xác thực hai bước đã được bật cho tài khoản này")
	}
	if a.TOTPSecret == "" {
		return errs.Conflict("mfa_not_enrolling", "Chưa bắt đầu thiết lập xác thực hai bước")
	}
	secret, err := s.openSecret(a.TOTPSecret)
	if err != nil {
		return err
	}
	now := s.clock()
	step, ok := matchTOTP(secret, code, now)
	if !ok {
		return errCodeInvalid()
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Account)(nil)).
			Set("totp_enabled = ?", true).Set("totp_enabled_at = ?", now).
			Set("totp_last_step = ?", step).Set("updated_at = ?", now).
			Where("id = ? AND totp_enabled = ? AND totp_secret = ?", a.ID, false, a.TOTPSecret).Exec(ctx)
		if err != nil {
			return fmt.Errorf("enable totp: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.Conflict("mfa_enrolment_changed", "Việc thiết lập đã thay đổi ở nơi khác. Vui lòng làm lại.")
		}
		return s.record(ctx, tx, audit.Event{ActorID: a.ID, Action: audit.ActionMFAEnabled, Subject: a.Email, IP: ip})
	})
}

// DisableMFA turns the second factor off and forgets its secret and
// recovery codes. actorID is who did it: the account itself (after the
// caller re-checked a password or code) or an administrator resetting a
// lost phone.
func (s *Service) DisableMFA(ctx context.Context, accountID, actorID, ip string) error {
	a, err := ByID(ctx, s.db, accountID)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*Account)(nil)).
			Set("totp_enabled = ?", false).Set("totp_enabled_at = NULL").Set("totp_secret = ''").
			Set("totp_last_step = 0").Set("updated_at = ?", s.clock()).
			Where("id = ?", a.ID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("disable totp: %w", err)
		}
		if _, err := tx.NewDelete().Model((*recoveryCode)(nil)).Where("account_id = ?", a.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete recovery codes: %w", err)
		}
		if !a.TOTPEnabled {
			return nil
		}
		return s.record(ctx, tx, audit.Event{ActorID: actorID, Action: audit.ActionMFADisabled, Subject: a.Email, IP: ip})
	})
}

// VerifySecondFactor checks a TOTP code (six digits) or a recovery code
// for an account with the second factor on. A TOTP code is good once: a
// step at or before the last one used is refused, so a code seen over a
// shoulder cannot be replayed. A recovery code is spent by its use. A
// wrong code is errs.Invalid mfa_code_invalid.
func (s *Service) VerifySecondFactor(ctx context.Context, accountID, code, ip string) error {
	a, err := ByID(ctx, s.db, accountID)
	if err != nil {
		return err
	}
	if !a.TOTPEnabled {
		return errs.Conflict("mfa_not_enabled", "Tài khoản chưa bật xác thực hai bước")
	}
	code = strings.Join(strings.Fields(code), "")
	if len(code) == int(totpDigits) && strings.Trim(code, "0123456789") == "" {
		return s.useTOTP(ctx, a, code)
	}
	return s.useRecoveryCode(ctx, a, code, ip)
}

func (s *Service) useTOTP(ctx context.Context, a *Account, code string) error {
	secret, err := s.openSecret(a.TOTPSecret)
	if err != nil {
		return err
	}
	step, ok := matchTOTP(secret, code, s.clock())
	if !ok || step <= a.TOTPLastStep {
		return errCodeInvalid()
	}
	// The conditional update makes two concurrent uses of one code race
	// for a single row change: one wins, the other is refused.
	res, err := s.db.NewUpdate().Model((*Account)(nil)).Set("totp_last_step = ?", step).
		Where("id = ? AND totp_enabled = ? AND totp_last_step < ?", a.ID, true, step).Exec(ctx)
	if err != nil {
		return fmt.Errorf("use totp code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errCodeInvalid()
	}
	return nil
}

func (s *Service) useRecoveryCode(ctx context.Context, a *Account, code, ip string) error {
	norm := normalizeRecoveryCode(code)
	if len(norm) != 16 {
		return errCodeInvalid()
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*recoveryCode)(nil)).Set("used_at = ?", s.clock()).
			Where("account_id = ? AND code_hash = ? AND used_at IS NULL", a.ID, recoveryHash(a.ID, norm)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("use recovery code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errCodeInvalid()
		}
		left, err := tx.NewSelect().Model((*recoveryCode)(nil)).
			Where("account_id = ? AND used_at IS NULL", a.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("count recovery codes: %w", err)
		}
		return s.record(ctx, tx, audit.Event{ActorID: a.ID, Action: audit.ActionMFARecoveryUsed,
			Subject: a.Email, IP: ip, Detail: map[string]any{"left": left}})
	})
}

// RecoveryCodesLeft counts the account's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, accountID string) (int, error) {
	n, err := s.db.NewSelect().Model((*recoveryCode)(nil)).
		Where("account_id = ? AND used_at IS NULL", accountID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return int(n), nil
}

// matchTOTP returns the time step whose code equals code, looking totpSkew
// steps either side of now.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != int(totpDigits) {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}
	current := now.Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := current + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// newRecoveryCodes returns RecoveryCodeCount codes of 80 random bits each,
// written XXXX-XXXX-XXXX-XXXX in base32 (A–Z and 2–7: no 0/O or 1/I mix-ups).
func newRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		s := base32.StdEncoding.EncodeToString(b)
		codes[i] = s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
	}
	return codes
}

func normalizeRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// recoveryCode is a stored (hashed) recovery code.
type recoveryCode struct {
	bun.BaseModel `bun:"table:account_recovery_codes"`

	AccountID string     `bun:"account_id,pk"`
	CodeHash  string     `bun:"code_hash,pk"`
	CreatedAt time.Time  `bun:"created_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// recoveryHash is the stored form of a recovery code: with 80 random bits,
// a plain salted SHA-256 cannot be reversed by search.
func recoveryHash(accountID, norm string) string {
	sum := sha256.Sum256([]byte("trangtin/recovery\x00" + accountID + "\x00" + norm))
	return hex.EncodeToString(sum[:])
}

func replaceRecoveryCodes(ctx context.Context, idb bun.IDB, accountID string, codes []string, now time.Time) error {
	if _, err := idb.NewDelete().Model((*recoveryCode)(nil)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
		return fmt.Errorf("replace recovery codes: %w", err)
	}
	for _, c := range codes {
		rc := &recoveryCode{AccountID: accountID, CodeHash: recoveryHash(accountID, normalizeRecoveryCode(c)), CreatedAt: now}
		_, err := idb.NewInsert().Model(rc).Exec(ctx)
		if err != nil {
			return fmt.Errorf("store recovery code: %w", err)
		}
	}
	return nil
}

// sealSecret encrypts a TOTP secret with the platform secret (AES-GCM), so
// a copy of the database alone does not yield anyone's second factor.
func (s *Service) sealSecret(secret string) (string, error) {
	nonce := make([]byte, s.seal.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal totp secret: %w", err)
	}
	out := s.seal.Seal(nonce, nonce, []byte(secret), []byte("totp"))
	return "v1:" + base64.RawStdEncoding.EncodeToString(out), nil
}

func (s *Service) openSecret(sealed string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", fmt.Errorf("open totp secret: unknown format")
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(b) < s.seal.NonceSize() {
		return "", fmt.Errorf("open totp secret: bad encoding")
	}
	n := s.seal.NonceSize()
	plain, err := s.seal.Open(nil, b[:n], b[n:], []byte("totp"))
	if err != nil {
		// The platform secret changed since enrolment: recovery codes
		// still work, and an administrator can reset the second factor.
		return "", fmt.Errorf("open totp secret (was TRANGTIN_SECRET changed?): %w", err)
	}
	return string(plain), nil
}
