package account

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// CSRFToken is the form token of a session: an HMAC-SHA256 of the session
// id (Session.ID, the stored hash) under the platform secret. It needs no
// storage, changes with every login, and cannot be made without the secret.
func CSRFToken(secret, sessionID string) string {
	return base64.RawURLEncoding.EncodeToString(csrfMAC(secret, sessionID))
}

// CheckCSRF reports, in constant time, whether token is the session's
// form token.
func CheckCSRF(secret, sessionID, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || token == "" || sessionID == "" {
		return false
	}
	return hmac.Equal(got, csrfMAC(secret, sessionID))
}

func csrfMAC(secret, sessionID string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("trangtin/csrf\x00" + sessionID))
	return m.Sum(nil)
}
