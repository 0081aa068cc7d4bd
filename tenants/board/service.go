package board

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// Service runs the board's operations on a database, each change in a
// transaction of its own with its audit event. The console's forms and the
// API call the same methods, so both check, record and refuse alike.
// Callers that must commit a board change together with other writes call
// the package functions with their own bun.Tx.
type Service struct {
	DB *bun.DB
	// Audit records each change; nil records with the package clock.
	Audit *audit.Log
	// Authz grants and revokes board roles (roles.go).
	Authz *authz.Enforcer
	// AccountParams are the password hashing costs of the accounts
	// GrantNewAccount creates (account.DefaultParams when zero).
	AccountParams account.Params
}

// Actor is who makes a change, and from where (for the audit log).
type Actor struct {
	ID string
	IP string
}

// Get returns a tenant's board (see Get).
func (s *Service) Get(ctx context.Context, tenantID string) (*Board, error) {
	return Get(ctx, s.DB, tenantID)
}

// Member returns one member of a tenant's board (see GetMember).
func (s *Service) Member(ctx context.Context, tenantID, memberID string) (*Member, error) {
	return GetMember(ctx, s.DB, tenantID, memberID)
}

// record writes the board.changed audit event of a change in tx.
func (s *Service) record(ctx context.Context, tx bun.Tx, tenantID string, actor Actor, subject string) error {
	return s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actor.ID, Action: audit.ActionBoardChanged, Subject: subject, IP: actor.IP})
}

// SetDecision records the decision that set up a tenant's board (see SetDecision).
func (s *Service) SetDecision(ctx context.Context, tenantID string, actor Actor, in DecisionInput) (*Decision, error) {
	var out *Decision
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		d, err := SetDecision(ctx, tx, tenantID, actor.ID, in)
		if err != nil {
			return err
		}
		out = d
		return s.record(ctx, tx, tenantID, actor, "decision "+d.Number)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddMember adds a member to a tenant's board (see AddMember). A member
// given by AccountEmail is linked to that account.
func (s *Service) AddMember(ctx context.Context, tenantID string, actor Actor, in MemberInput) (*Member, error) {
	var out *Member
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := linkAccount(ctx, tx, &in); err != nil {
			return err
		}
		m, err := AddMember(ctx, tx, tenantID, actor.ID, in)
		if err != nil {
			return err
		}
		out = m
		return s.record(ctx, tx, tenantID, actor, "member add "+m.Name)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateMember replaces one member's details (see UpdateMember), linking
// the account of AccountEmail like AddMember.
func (s *Service) UpdateMember(ctx context.Context, tenantID string, actor Actor, memberID string, in MemberInput) (*Member, error) {
	var out *Member
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := linkAccount(ctx, tx, &in); err != nil {
			return err
		}
		m, err := UpdateMember(ctx, tx, tenantID, actor.ID, memberID, in)
		if err != nil {
			return err
		}
		out = m
		return s.record(ctx, tx, tenantID, actor, "member update "+m.Name)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMember takes one member off a tenant's board (see RemoveMember).
func (s *Service) RemoveMember(ctx context.Context, tenantID string, actor Actor, memberID string) error {
	return db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := RemoveMember(ctx, tx, tenantID, actor.ID, memberID); err != nil {
			return err
		}
		return s.record(ctx, tx, tenantID, actor, "member remove "+memberID)
	})
}

// linkAccount resolves in.AccountEmail to in.AccountID; an e-mail without
// an account is bad input.
func linkAccount(ctx context.Context, idb bun.IDB, in *MemberInput) error {
	email := strings.TrimSpace(in.AccountEmail)
	if email == "" {
		return nil
	}
	a, err := account.ByEmail(ctx, idb, email)
	if errs.Is(err, errs.KindNotFound) {
		return errs.Invalid("account_email", "account_unknown", "Không có tài khoản với thư điện tử "+email)
	}
	if err != nil {
		return err
	}
	in.AccountID = a.ID
	return nil
}

// History returns the latest changes to a tenant's board (see History).
func (s *Service) History(ctx context.Context, tenantID string, limit int) ([]Change, error) {
	return History(ctx, s.DB, tenantID, limit)
}

// PublicView returns what the public board page may show (see PublicView).
func (s *Service) PublicView(ctx context.Context, tenantID string) (*Public, error) {
	return PublicView(ctx, s.DB, tenantID)
}
