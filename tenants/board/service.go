package board

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// Service runs the board's operations on a database, each change in a
// transaction of its own. Callers that must commit a board change together
// with other writes call the package functions with their own bun.Tx.
type Service struct {
	DB *bun.DB
}

// Get returns a tenant's board (see Get).
func (s *Service) Get(ctx context.Context, tenantID string) (*Board, error) {
	return Get(ctx, s.DB, tenantID)
}

// Member returns one member of a tenant's board (see GetMember).
func (s *Service) Member(ctx context.Context, tenantID, memberID string) (*Member, error) {
	return GetMember(ctx, s.DB, tenantID, memberID)
}

// SetDecision records the decision that set up a tenant's board (see SetDecision).
func (s *Service) SetDecision(ctx context.Context, tenantID, actorID string, in DecisionInput) (*Decision, error) {
	var out *Decision
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		d, err := SetDecision(ctx, tx, tenantID, actorID, in)
		out = d
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddMember adds a member to a tenant's board (see AddMember).
func (s *Service) AddMember(ctx context.Context, tenantID, actorID string, in MemberInput) (*Member, error) {
	var out *Member
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		m, err := AddMember(ctx, tx, tenantID, actorID, in)
		out = m
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateMember replaces one member's details (see UpdateMember).
func (s *Service) UpdateMember(ctx context.Context, tenantID, actorID, memberID string, in MemberInput) (*Member, error) {
	var out *Member
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		m, err := UpdateMember(ctx, tx, tenantID, actorID, memberID, in)
		out = m
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMember takes one member off a tenant's board (see RemoveMember).
func (s *Service) RemoveMember(ctx context.Context, tenantID, actorID, memberID string) error {
	return db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		return RemoveMember(ctx, tx, tenantID, actorID, memberID)
	})
}

// History returns the latest changes to a tenant's board (see History).
func (s *Service) History(ctx context.Context, tenantID string, limit int) ([]Change, error) {
	return History(ctx, s.DB, tenantID, limit)
}

// PublicView returns what the public board page may show (see PublicView).
func (s *Service) PublicView(ctx context.Context, tenantID string) (*Public, error) {
	return PublicView(ctx, s.DB, tenantID)
}
