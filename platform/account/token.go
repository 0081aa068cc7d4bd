package account

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// TokenPrefix starts every API token, so a leaked one is easy to spot
// (secret scanners, logs).
const TokenPrefix = "tt_"

// Token is a named API token of an account. The token itself is shown once
// at creation; only its SHA-256 is kept.
type Token struct {
	bun.BaseModel `bun:"table:account_tokens"`

	ID        string `bun:"id,pk" json:"id"`
	AccountID string `bun:"account_id" json:"account_id"`
	Name      string `bun:"name" json:"name"`
	// Prefix is the token's first characters, to tell tokens apart.
	Prefix     string     `bun:"prefix" json:"prefix"`
	Hash       string     `bun:"hash" json:"-"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

func errTokenInvalid() error {
	return errs.Unauthenticated("token_invalid", "Mã truy cập API không hợp lệ hoặc đã bị thu hồi")
}

// CreateToken makes a new API token for the account inside idb (the
// caller's transaction) and records it in the audit log. plain is the
// token to show once; it is not kept.
func (s *Service) CreateToken(ctx context.Context, idb bun.IDB, accountID, name string) (string, *Token, error) {
	name = strings.Join(strings.Fields(vntext.NFC(name)), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", nil, errs.Invalid("name", "token_name_required", "Chưa đặt tên cho mã truy cập")
	case n > 100:
		return "", nil, errs.Invalid("name", "token_name_too_long", "Tên mã truy cập không được dài quá 100 ký tự")
	}
	a, err := ByID(ctx, idb, accountID)
	if err != nil {
		return "", nil, err
	}
	secret, _ := newSecret()
	plain := TokenPrefix + secret
	t := &Token{
		ID: db.NewID(), AccountID: a.ID, Name: name, Prefix: plain[:len(TokenPrefix)+6],
		Hash: hashSecret(plain), CreatedAt: s.clock(),
	}
	if _, err := idb.NewInsert().Model(t).Exec(ctx); err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	err = s.record(ctx, idb, audit.Event{ActorID: a.ID, Action: audit.ActionTokenCreated, Subject: t.ID,
		Detail: map[string]any{"name": name, "prefix": t.Prefix}})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// TokenFromBearer returns the token and account a bearer credential names.
// An unknown or revoked token, or a disabled account, is
// errs.Unauthenticated token_invalid. last_used_at is written at most once
// a minute per token.
func (s *Service) TokenFromBearer(ctx context.Context, plain string) (*Token, *Account, error) {
	if !strings.HasPrefix(plain, TokenPrefix) || len(plain) > 128 {
		return nil, nil, errTokenInvalid()
	}
	t := new(Token)
	err := s.db.NewSelect().Model(t).Where("hash = ?", hashSecret(plain)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errTokenInvalid()
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load token: %w", err)
	}
	if t.RevokedAt != nil {
		return nil, nil, errTokenInvalid()
	}
	a, err := ByID(ctx, s.db, t.AccountID)
	if errs.Is(err, errs.KindNotFound) || err == nil && !a.Active() {
		return nil, nil, errTokenInvalid()
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.clock()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchInterval {
		_, err := s.db.NewUpdate().Model((*Token)(nil)).Set("last_used_at = ?", now).
			Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", t.ID, now.Add(-touchInterval)).Exec(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("touch token: %w", err)
		}
		t.LastUsedAt = &now
	}
	return t, a, nil
}

// RevokeToken revokes one of the account's tokens inside idb and records
// it. A token of another account is errs.NotFound, as if it did not exist.
func (s *Service) RevokeToken(ctx context.Context, idb bun.IDB, accountID, tokenID, ip string) error {
	res, err := idb.NewUpdate().Model((*Token)(nil)).Set("revoked_at = ?", s.clock()).
		Where("id = ? AND account_id = ? AND revoked_at IS NULL", tokenID, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.NotFound("token_not_found", "Không tìm thấy mã truy cập")
	}
	return s.record(ctx, idb, audit.Event{ActorID: accountID, Action: audit.ActionTokenRevoked, Subject: tokenID, IP: ip})
}

// Tokens lists the account's tokens, revoked ones included, newest first.
func Tokens(ctx context.Context, idb bun.IDB, accountID string) ([]*Token, error) {
	var ts []*Token
	if err := idb.NewSelect().Model(&ts).Where("account_id = ?", accountID).
		OrderExpr("created_at DESC, id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}
