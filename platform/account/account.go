// Package account holds the platform's accounts (one per person, across
// every tenant), their passwords (argon2id) and TOTP second factor, the
// console's server-side sessions, API tokens, login throttling, CSRF tokens
// and the Fiber middleware that turns a cookie or a bearer token into a
// web.Principal. What an account may do in a tenant is platform/authz's
// business, not this package's.
package account

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Status is the life-cycle state of an account.
type Status string

// The account states. A disabled account cannot log in, and its sessions
// and tokens stop working at once.
const (
	StatusActive   Status = "active"
	StatusDisabled Status = "disabled"
)

// Valid reports whether s is a known state.
func (s Status) Valid() bool { return s == StatusActive || s == StatusDisabled }

// Account is one person who may use the console or the API.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID     string `bun:"id,pk" json:"id"`
	Email  string `bun:"email" json:"email"`
	Name   string `bun:"name" json:"name"`
	Phone  string `bun:"phone" json:"phone"`
	Status Status `bun:"status" json:"status"`
	// PasswordHash is an argon2id PHC string; "" means no password login.
	PasswordHash string `bun:"password_hash" json:"-"`
	// PasswordTemporaryUntil is set while the password is one an
	// administrator handed over (TemporaryPassword): until its holder
	// chooses their own, the console opens only its account page, and
	// after this time the password no longer signs in.
	PasswordTemporaryUntil *time.Time `bun:"password_temporary_until" json:"-"`
	// TOTPSecret is the sealed TOTP secret, set from BeginEnrolment on;
	// TOTPEnabled turns true at ConfirmEnrolment.
	TOTPSecret    string     `bun:"totp_secret" json:"-"`
	TOTPEnabled   bool       `bun:"totp_enabled" json:"mfa_enabled"`
	TOTPLastStep  int64      `bun:"totp_last_step" json:"-"`
	TOTPEnabledAt *time.Time `bun:"totp_enabled_at" json:"mfa_enabled_at,omitempty"`
	CreatedAt     time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at" json:"updated_at"`
}

// TemporaryPasswordLifetime is how long a handed-over password signs in:
// a week, for a person told it by telephone on a Friday.
const TemporaryPasswordLifetime = 7 * 24 * time.Hour

// PasswordTemporary reports whether the account's password is one an
// administrator handed over and its holder has not replaced.
func (a *Account) PasswordTemporary() bool { return a.PasswordTemporaryUntil != nil }

// Active reports whether the account may log in.
func (a *Account) Active() bool { return a.Status == StatusActive }

// MFAEnabled reports whether the account has a confirmed second factor.
func (a *Account) MFAEnabled() bool { return a.TOTPEnabled }

// MFARequired reports whether a caller whose tenant or platform policy
// makes the second factor mandatory (mandatory = true) must send the
// account to enrolment before anything else. The policy is the caller's.
func MFARequired(a *Account, mandatory bool) bool { return mandatory && !a.TOTPEnabled }

// NormalizeEmail trims and lower-cases an email address, the form stored
// and looked up.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidateEmail checks a normalised address: plain ASCII addr-spec, no
// display name, at most 254 characters.
func ValidateEmail(email string) error {
	bad := errs.Invalid("email", "email_invalid", "Địa chỉ email không hợp lệ")
	if email == "" || len(email) > 254 {
		return bad
	}
	for i := 0; i < len(email); i++ {
		if c := email[i]; c <= ' ' || c >= 0x7f {
			return bad
		}
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return bad
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return bad
	}
	return nil
}

func normalizeName(name string) (string, error) {
	name = strings.Join(strings.Fields(vntext.NFC(name)), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", errs.Invalid("name", "name_required", "Chưa nhập họ và tên")
	case n > 200:
		return "", errs.Invalid("name", "name_too_long", "Họ và tên không được dài quá 200 ký tự")
	}
	return name, nil
}

func normalizePhone(phone string) (string, error) {
	phone = strings.TrimSpace(phone)
	if phone == "" {
		return "", nil
	}
	digits := 0
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-. ()", r):
		default:
			return "", errs.Invalid("phone", "phone_invalid", "Số điện thoại không hợp lệ")
		}
	}
	if digits < 8 || digits > 15 || len(phone) > 30 {
		return "", errs.Invalid("phone", "phone_invalid", "Số điện thoại không hợp lệ")
	}
	return phone, nil
}

// Create adds an active account with the password hashed at DefaultParams.
// The email is normalised and must be unused (errs.Conflict otherwise); the
// name is NFC-normalised; the password must pass CheckPasswordPolicy.
func Create(ctx context.Context, idb bun.IDB, email, name, password string) (*Account, error) {
	return CreateWithParams(ctx, idb, DefaultParams(), email, name, password)
}

// CreateWithParams is Create with explicit argon2 costs (cheap ones in
// tests).
func CreateWithParams(ctx context.Context, idb bun.IDB, p Params, email, name, password string) (*Account, error) {
	a, err := Prepare(p, email, name, password)
	if err != nil {
		return nil, err
	}
	if err := Insert(ctx, idb, a); err != nil {
		return nil, err
	}
	return a, nil
}

// Prepare checks a new account as CreateWithParams does and hashes its
// password, without writing it. A caller that creates the account in a
// transaction of its own prepares it first, so that the hash, slow by
// design, does not hold the transaction (SQLite's one writer) open.
func Prepare(p Params, email, name, password string) (*Account, error) {
	email = NormalizeEmail(email)
	if err := ValidateEmail(email); err != nil {
		return nil, err
	}
	name, err := normalizeName(name)
	if err != nil {
		return nil, err
	}
	if err := CheckPasswordPolicy(password, email); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password, p)
	if err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	return &Account{
		ID: db.NewID(), Email: email, Name: name, Status: StatusActive,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now,
	}, nil
}

// Insert writes an account Prepare made; errs.Conflict when its email is
// taken.
func Insert(ctx context.Context, idb bun.IDB, a *Account) error {
	// Look first, so a duplicate inside the caller's PostgreSQL transaction
	// is a clean Conflict rather than an aborted transaction.
	n, err := idb.NewSelect().Model((*Account)(nil)).Where("email = ?", a.Email).Count(ctx)
	if err != nil {
		return fmt.Errorf("create account: %w", err)
	}
	if n > 0 {
		return errEmailTaken()
	}
	if _, err := idb.NewInsert().Model(a).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return errEmailTaken()
		}
		return fmt.Errorf("create account: %w", err)
	}
	return nil
}

func errEmailTaken() error {
	return errs.Conflict("email_taken", "Email này đã được dùng cho một tài khoản khác")
}

// ByID loads one account.
func ByID(ctx context.Context, idb bun.IDB, id string) (*Account, error) {
	a := new(Account)
	if err := idb.NewSelect().Model(a).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load account", "account_not_found", "Không tìm thấy tài khoản")
	}
	return a, nil
}

// ByEmail loads the account with that email (normalised first).
func ByEmail(ctx context.Context, idb bun.IDB, email string) (*Account, error) {
	a := new(Account)
	if err := idb.NewSelect().Model(a).Where("email = ?", NormalizeEmail(email)).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load account by email", "account_not_found", "Không tìm thấy tài khoản")
	}
	return a, nil
}

// List returns every account, by email.
func List(ctx context.Context, idb bun.IDB) ([]*Account, error) {
	var as []*Account
	if err := idb.NewSelect().Model(&as).Order("email").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return as, nil
}

// SetPassword replaces the account's password (hashed at DefaultParams)
// after checking the policy. It does not end sessions; the Service's
// ChangePassword does.
func SetPassword(ctx context.Context, idb bun.IDB, id, password string) error {
	return SetPasswordWithParams(ctx, idb, DefaultParams(), id, password)
}

// SetPasswordWithParams is SetPassword with explicit argon2 costs.
func SetPasswordWithParams(ctx context.Context, idb bun.IDB, p Params, id, password string) error {
	a, err := ByID(ctx, idb, id)
	if err != nil {
		return err
	}
	if err := CheckPasswordPolicy(password, a.Email); err != nil {
		return err
	}
	hash, err := HashPassword(password, p)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return storeHash(ctx, idb, id, hash, time.Now())
}

// HandOver makes a's password one an administrator hands over, temporary
// for TemporaryPasswordLifetime from now. Call it before Insert.
func HandOver(a *Account, now time.Time) {
	until := now.Add(TemporaryPasswordLifetime).UTC().Truncate(time.Microsecond)
	a.PasswordTemporaryUntil = &until
}

// SetTemporaryPassword gives account id a new password that an
// administrator hands over (HandOver), for someone who lost theirs, and
// ends every session of the account: whoever was signed in with the old
// password is signed out. It returns the number of sessions ended. Run it
// in the caller's transaction, with its audit event.
func SetTemporaryPassword(ctx context.Context, idb bun.IDB, p Params, id, password string, now time.Time) (int64, error) {
	a, err := ByID(ctx, idb, id)
	if err != nil {
		return 0, err
	}
	if err := CheckPasswordPolicy(password, a.Email); err != nil {
		return 0, err
	}
	hash, err := HashPassword(password, p)
	if err != nil {
		return 0, fmt.Errorf("set temporary password: %w", err)
	}
	HandOver(a, now)
	now = now.UTC().Truncate(time.Microsecond)
	_, err = idb.NewUpdate().Model((*Account)(nil)).
		Set("password_hash = ?", hash).Set("password_temporary_until = ?", *a.PasswordTemporaryUntil).
		Set("updated_at = ?", now).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("set temporary password: %w", err)
	}
	res, err := idb.NewUpdate().Model((*Session)(nil)).Set("revoked_at = ?", now).
		Where("account_id = ? AND revoked_at IS NULL", id).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("set temporary password: end sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func storeHash(ctx context.Context, idb bun.IDB, id, hash string, now time.Time) error {
	_, err := idb.NewUpdate().Model((*Account)(nil)).
		Set("password_hash = ?", hash).Set("updated_at = ?", now.UTC().Truncate(time.Microsecond)).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("store password hash: %w", err)
	}
	return nil
}

// UpdateProfile sets the account's name (NFC) and phone.
func UpdateProfile(ctx context.Context, idb bun.IDB, id, name, phone string) error {
	name, err := normalizeName(name)
	if err != nil {
		return err
	}
	phone, err = normalizePhone(phone)
	if err != nil {
		return err
	}
	return update(ctx, idb, id, "update profile", map[string]any{"name": name, "phone": phone})
}

// SetStatus enables or disables the account. A disabled account's sessions
// and tokens are refused from the next request on.
func SetStatus(ctx context.Context, idb bun.IDB, id string, s Status) error {
	if !s.Valid() {
		return errs.Invalid("status", "status_invalid", "Trạng thái tài khoản không hợp lệ")
	}
	return update(ctx, idb, id, "set account status", map[string]any{"status": string(s)})
}

func update(ctx context.Context, idb bun.IDB, id, op string, cols map[string]any) error {
	q := idb.NewUpdate().Model((*Account)(nil)).Where("id = ?", id).
		Set("updated_at = ?", time.Now().UTC().Truncate(time.Microsecond))
	for col, v := range cols {
		q = q.Set("? = ?", bun.Ident(col), v)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return errs.NotFound("account_not_found", "Không tìm thấy tài khoản")
	}
	return nil
}
