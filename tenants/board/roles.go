package board

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// Holder is an account with its board roles in a tenant.
type Holder struct {
	AccountID string
	Name      string
	Email     string
	Roles     []string
}

// RoleChange names the account (by id, else by e-mail) and the board role
// to grant or revoke.
type RoleChange struct {
	AccountID string
	Email     string
	Role      string
}

// Holders lists who holds which board role in a tenant, by name.
func (s *Service) Holders(ctx context.Context, tenantID string) ([]Holder, error) {
	out := []Holder{}
	for accountID, roles := range s.Authz.Members(tenantID) {
		a, err := account.ByID(ctx, s.DB, accountID)
		if errs.Is(err, errs.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rs := append([]string(nil), roles...)
		sort.Strings(rs)
		out = append(out, Holder{AccountID: a.ID, Name: a.Name, Email: a.Email, Roles: rs})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Email < out[j].Email
	})
	return out, nil
}

// GrantRole gives an account a board role in the tenant, with the
// role.granted audit event, and reloads the policy once committed. Only a
// site-admin of the tenant or a platform admin hands out site-admin and
// editor-in-chief (MayAssign).
func (s *Service) GrantRole(ctx context.Context, tenantID string, actor Actor, in RoleChange) (*Holder, error) {
	return s.changeRole(ctx, tenantID, actor, in, true)
}

// RevokeRole takes a board role away, like GrantRole; nobody revokes a
// role of their own (another administrator must).
func (s *Service) RevokeRole(ctx context.Context, tenantID string, actor Actor, in RoleChange) (*Holder, error) {
	return s.changeRole(ctx, tenantID, actor, in, false)
}

func (s *Service) changeRole(ctx context.Context, tenantID string, actor Actor, in RoleChange, grant bool) (*Holder, error) {
	in.Role = strings.TrimSpace(in.Role)
	if err := checkRole(in.Role); err != nil {
		return nil, err
	}
	if !authz.IsBoardRole(in.Role) {
		return nil, errs.Invalid("role", "role_invalid", "Vai trò không hợp lệ: chọn một trong "+strings.Join(authz.BoardRoles(), ", "))
	}
	if err := s.MayAssign(actor.ID, tenantID, in.Role); err != nil {
		return nil, err
	}
	var who *account.Account
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		a, err := roleAccount(ctx, tx, in)
		if err != nil {
			return err
		}
		who = a
		action := audit.ActionRoleGranted
		if grant {
			err = s.Authz.Grant(ctx, tx, a.ID, tenantID, in.Role)
		} else {
			if a.ID == actor.ID {
				return errs.Forbidden("own_role", "Không thể tự thu hồi vai trò của chính mình; hãy nhờ người quản trị khác")
			}
			action = audit.ActionRoleRevoked
			err = s.Authz.Revoke(ctx, tx, a.ID, tenantID, in.Role)
		}
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actor.ID, Action: action, Subject: a.Email + " " + in.Role, IP: actor.IP})
	})
	if err != nil {
		return nil, err
	}
	if err := s.Authz.Reload(ctx); err != nil {
		return nil, err
	}
	return &Holder{AccountID: who.ID, Name: who.Name, Email: who.Email, Roles: s.Authz.Roles(who.ID, tenantID)}, nil
}

// NewMember is a person without an account yet, to be given a board role.
type NewMember struct {
	Email, Name, Role string
}

// GrantNewAccount creates the account of a person who has none, with a
// temporary password, and gives it a board role, in one transaction with
// the account.created and role.granted audit events, so a new unit's
// first people are added from the console (the CLI's `user create` was
// the only way). It returns the holder and the temporary password, shown
// once to the actor to hand over; the person changes it on their account
// page.
//
// Only an account:manage holder (a platform admin) creates accounts. An
// account is the platform's, not the tenant's: a unit's administrator who
// created one for someone else's e-mail would know its password when
// another tenant later granted that person a role.
func (s *Service) GrantNewAccount(ctx context.Context, tenantID string, actor Actor, in NewMember) (*Holder, string, error) {
	in.Role = strings.TrimSpace(in.Role)
	if err := checkRole(in.Role); err != nil {
		return nil, "", err
	}
	if !authz.IsBoardRole(in.Role) {
		return nil, "", errs.Invalid("role", "role_invalid", "Vai trò không hợp lệ: chọn một trong "+strings.Join(authz.BoardRoles(), ", "))
	}
	if !s.MayCreateAccounts(actor.ID) {
		return nil, "", errs.Forbidden("account_create_forbidden", "Chỉ quản trị hệ thống mới tạo tài khoản mới")
	}
	if err := s.MayAssign(actor.ID, tenantID, in.Role); err != nil {
		return nil, "", err
	}
	password, params, err := s.handOver(in.Email)
	if err != nil {
		return nil, "", err
	}
	a, err := account.Prepare(params, in.Email, in.Name, password)
	if err != nil {
		return nil, "", err
	}
	account.HandOver(a, time.Now())
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := account.Insert(ctx, tx, a); err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actor.ID, Action: audit.ActionAccountCreated,
			Subject: a.Email, IP: actor.IP, Detail: map[string]any{"via": "console", "role": in.Role}}); err != nil {
			return err
		}
		if err := s.Authz.Grant(ctx, tx, a.ID, tenantID, in.Role); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actor.ID, Action: audit.ActionRoleGranted, Subject: a.Email + " " + in.Role, IP: actor.IP})
	})
	if err != nil {
		return nil, "", err
	}
	// Committed: the password must reach the actor even if this reload
	// fails (the enforcer loads the policy again on its next poll).
	_ = s.Authz.Reload(ctx)
	return &Holder{AccountID: a.ID, Name: a.Name, Email: a.Email, Roles: []string{in.Role}}, password, nil
}

// ResetPassword gives a holder of a role in tenantID, who lost their
// password, a new temporary one (account.SetTemporaryPassword), which the
// actor hands over as when the account was created; every session of the
// account ends. Only an account:manage holder does it, as only one creates
// accounts, and never for themselves (their account page is for that).
// The account must hold a role in the tenant, so a page of one tenant
// reaches no other tenant's people.
func (s *Service) ResetPassword(ctx context.Context, tenantID string, actor Actor, accountID string) (*Holder, string, error) {
	h, err := s.ResetTarget(ctx, tenantID, actor, accountID)
	if err != nil {
		return nil, "", err
	}
	a, err := account.ByID(ctx, s.DB, h.AccountID)
	if err != nil {
		return nil, "", err
	}
	roles := h.Roles
	password, params, err := s.handOver(a.Email)
	if err != nil {
		return nil, "", err
	}
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		ended, err := account.SetTemporaryPassword(ctx, tx, params, a.ID, password, time.Now())
		if err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actor.ID, Action: audit.ActionPasswordReset,
			Subject: a.Email, IP: actor.IP, Detail: map[string]any{"via": "console", "sessions_ended": ended}})
	})
	if err != nil {
		return nil, "", err
	}
	return &Holder{AccountID: a.ID, Name: a.Name, Email: a.Email, Roles: roles}, password, nil
}

// ResetTarget is the holder whose password actor may give anew in the
// tenant (ResetPassword's checks, changing nothing): the console asks the
// admin to confirm before the person's password and sessions end.
func (s *Service) ResetTarget(ctx context.Context, tenantID string, actor Actor, accountID string) (*Holder, error) {
	if !s.MayCreateAccounts(actor.ID) {
		return nil, errs.Forbidden("password_reset_forbidden", "Chỉ quản trị hệ thống mới cấp lại mật khẩu")
	}
	accountID = strings.TrimSpace(accountID)
	if accountID == actor.ID {
		return nil, errs.Invalid("account_id", "password_reset_self", "Đổi mật khẩu của chính bạn ở trang Tài khoản")
	}
	roles := s.Authz.Roles(accountID, tenantID)
	if accountID == "" || len(roles) == 0 {
		return nil, errs.NotFound("holder_not_found", "Tài khoản này không có vai trò ở đơn vị")
	}
	a, err := account.ByID(ctx, s.DB, accountID)
	if err != nil {
		return nil, err
	}
	return &Holder{AccountID: a.ID, Name: a.Name, Email: a.Email, Roles: roles}, nil
}

// MayCreateAccounts reports whether actorID creates accounts
// (GrantNewAccount).
func (s *Service) MayCreateAccounts(actorID string) bool {
	return s.Authz.Allowed(actorID, authz.PlatformDomain, authz.AccountManage)
}

// handOver is a temporary password for the account of email, with the
// hashing costs to store it (account.DefaultParams when none are set).
func (s *Service) handOver(email string) (string, account.Params, error) {
	params := s.AccountParams
	if params == (account.Params{}) {
		params = account.DefaultParams()
	}
	password, err := temporaryPassword(email)
	return password, params, err
}

// temporaryPassword is a temporary password that passes the password
// policy for email (a random one may, rarely, contain the e-mail's name).
func temporaryPassword(email string) (string, error) {
	for range 16 {
		pw, err := account.TemporaryPassword()
		if err != nil {
			return "", err
		}
		if account.CheckPasswordPolicy(pw, email) == nil {
			return pw, nil
		}
	}
	return "", fmt.Errorf("temporary password: none of 16 passed the policy for %s", email)
}

// roleAccount finds the account a role change names.
func roleAccount(ctx context.Context, idb bun.IDB, in RoleChange) (*account.Account, error) {
	var a *account.Account
	var err error
	switch {
	case strings.TrimSpace(in.AccountID) != "":
		a, err = account.ByID(ctx, idb, strings.TrimSpace(in.AccountID))
	case strings.TrimSpace(in.Email) != "":
		a, err = account.ByEmail(ctx, idb, in.Email)
	default:
		return nil, errs.Invalid("email", "account_required", "Cần nhập thư điện tử của tài khoản")
	}
	if errs.Is(err, errs.KindNotFound) {
		return nil, errs.Invalid("email", "account_unknown", "Không có tài khoản với thư điện tử này")
	}
	return a, err
}

// MayAssign limits who hands out which role: the site-admin of the tenant
// (and platform admins) manage every board role; an editor-in-chief, who
// manages the board, may grant and revoke positions below their own only,
// so nobody raises themselves to site-admin or editor-in-chief.
func (s *Service) MayAssign(actorID, tenantID, role string) error {
	if s.Authz.Allowed(actorID, authz.PlatformDomain, authz.TenantManage) {
		return nil
	}
	for _, r := range s.Authz.Roles(actorID, tenantID) {
		if r == authz.RoleSiteAdmin {
			return nil
		}
	}
	switch role {
	case authz.RoleSiteAdmin, authz.RoleEditorInChief:
		return errs.Forbidden("role_not_assignable", "Chỉ quản trị trang (site-admin) mới giao hoặc thu hồi vai trò "+authz.RoleLabel(role))
	}
	return nil
}

// checkRole refuses a form sent without a role: the roles page offers no
// role chosen in advance, so that nobody hands out the widest one by
// filling in only the e-mail.
func checkRole(role string) error {
	if role == "" {
		return errs.Invalid("role", "role_required", "Cần chọn vai trò")
	}
	return nil
}
