package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// EnsureSecret fills c.Secret from the data dir when TRANGTIN_SECRET is
// unset, generating and keeping a random one on first use so sessions
// survive restarts of the embedded default.
func EnsureSecret(c *Config) error {
	if c.Secret != "" {
		return nil
	}
	b, err := os.ReadFile(c.SecretPath())
	if err == nil {
		s := strings.TrimSpace(string(b))
		if len(s) < 32 {
			return fmt.Errorf("secret file %s is too short; delete it to generate a new one", c.SecretPath())
		}
		c.Secret = s
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read secret: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("generate secret: %w", err)
	}
	s := hex.EncodeToString(raw)
	f, err := os.OpenFile(c.SecretPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process generated it first; use theirs.
		return EnsureSecret(c)
	}
	if err != nil {
		return fmt.Errorf("write secret: %w", err)
	}
	if _, err := f.WriteString(s + "\n"); err != nil {
		_ = f.Close()
		return fmt.Errorf("write secret: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write secret: %w", err)
	}
	c.Secret = s
	return nil
}
