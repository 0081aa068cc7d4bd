package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Password length limits, in characters.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// Params are argon2id costs. A hash keeps the parameters it was made with,
// so they can change without invalidating stored passwords.
type Params struct {
	// Memory in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the parallelism.
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams is the production cost: 64 MiB, one pass, two lanes (RFC
// 9106's second recommendation with t=1), about 50–80 ms on two cores.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}
}

// TestParams is a deliberately cheap cost for tests only.
func TestParams() Params {
	return Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// HashPassword returns the PHC string of password under p:
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash> (unpadded base64).
// The password is NFC-normalised first, so the same Vietnamese password
// typed on systems that compose diacritics differently matches.
func HashPassword(password string, p Params) (string, error) {
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.SaltLen < 8 || p.KeyLen < 16 {
		return "", fmt.Errorf("hash password: bad argon2 parameters %+v", p)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: salt: %w", err)
	}
	key := argon2.IDKey([]byte(vntext.NFC(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string encoded,
// comparing in constant time. An error means encoded is not a hash this
// package can read.
func VerifyPassword(password, encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(vntext.NFC(password)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than
// p, so a successful login can upgrade it.
func NeedsRehash(encoded string, p Params) bool {
	got, salt, key, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	return got.Memory != p.Memory || got.Time != p.Time || got.Threads != p.Threads ||
		uint32(len(salt)) != p.SaltLen || uint32(len(key)) != p.KeyLen
}

// decodeHash parses a PHC argon2id string, refusing parameters far beyond
// any we would set, so a tampered row cannot make one login eat the host.
func decodeHash(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("verify password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("verify password: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("verify password: parameters %q: %w", parts[3], err)
	}
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 || p.Threads > 16 {
		return p, nil, nil, fmt.Errorf("verify password: parameters %q out of range", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("verify password: salt: %w", err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 128 {
		return p, nil, nil, fmt.Errorf("verify password: bad key")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// CheckPasswordPolicy applies the minimum policy to a new password for the
// account with the given email: at least MinPasswordLen characters, at most
// MaxPasswordLen, not containing the email's local part, not one of the
// most common passwords. Errors are errs.Invalid on field "password".
func CheckPasswordPolicy(password, email string) error {
	pw := vntext.NFC(password)
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return errs.Invalid("password", "password_too_short",
			fmt.Sprintf("Mật khẩu phải có ít nhất %d ký tự", MinPasswordLen))
	case n > MaxPasswordLen:
		return errs.Invalid("password", "password_too_long",
			fmt.Sprintf("Mật khẩu không được dài quá %d ký tự", MaxPasswordLen))
	}
	lower := strings.ToLower(pw)
	local, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if len(local) >= 3 && strings.Contains(lower, local) {
		return errs.Invalid("password", "password_contains_email",
			"Mật khẩu không được chứa tên đăng nhập trong địa chỉ email")
	}
	if commonPassword(lower) {
		return errs.Invalid("password", "password_common",
			"Mật khẩu này quá phổ biến, dễ bị đoán. Vui lòng chọn mật khẩu khác")
	}
	return nil
}

// commonPassword reports whether lower (a lower-cased password of at least
// MinPasswordLen characters) is on a short list of the passwords most
// tried by attackers, plus local favourites. A switch keeps the list
// immutable.
func commonPassword(lower string) bool {
	switch lower {
	case "1234567890", "0123456789", "12345678910", "123456789a", "a123456789",
		"1111111111", "0000000000", "1234512345", "1234567890a", "123456789@",
		"qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t", "1qaz2wsx3edc",
		"password12", "password123", "password1234", "password@123", "passw0rd123",
		"abc1234567", "abcd123456", "abc@123456", "iloveyou12", "admin12345",
		"admin@1234", "admin@12345", "administrator", "matkhau123", "matkhau@123",
		"matkhau1234", "trangtin123", "trangtin@123", "12345678@abc", "123456@abc",
		"changeme123", "welcome123", "letmein123", "vietnam123", "vietnam@123",
		"anhyeuem123", "hanoi12345", "saigon1234":
		return true
	}
	return false
}

// temporaryAlphabet has no two signs a person reading a password aloud or
// copying it by hand could confuse (no 0/o, 1/l/i).
const temporaryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// TemporaryPassword is a random password for an account an administrator
// creates for someone else, who is handed it once and changes it: four
// groups of four signs of temporaryAlphabet, about 79 bits.
func TemporaryPassword() (string, error) {
	var b strings.Builder
	limit := big.NewInt(int64(len(temporaryAlphabet)))
	for i := range 16 {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		n, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", fmt.Errorf("temporary password: %w", err)
		}
		b.WriteByte(temporaryAlphabet[n.Int64()])
	}
	return b.String(), nil
}
