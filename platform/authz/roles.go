package authz

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
)

// PlatformDomain is the domain of platform roles. A permission a platform
// role grants holds in every tenant.
const PlatformDomain = "platform"

// anyDomain is the domain of role → permission rules that hold in every
// domain the role is assigned in. It is never a valid assignment domain.
const anyDomain = "*"

// Board roles, assigned per tenant (the domain is the tenant's id). The
// positions nest: an editor-in-chief holds every permission of a deputy
// editor, who holds every permission of a secretary, and so on down to a
// contributor. A site-admin runs the tenant's board and settings but writes
// and publishes nothing unless it also holds a position.
const (
	// RoleSiteAdmin manages the tenant's board, settings, media and audit log.
	RoleSiteAdmin = "site-admin"
	// RoleEditorInChief is the head of the board (Trưởng ban): everything a
	// deputy does, plus managing the board.
	RoleEditorInChief = "editor-in-chief"
	// RoleDeputyEditor (Phó ban) publishes, schedules, withdraws and decides the inbox.
	RoleDeputyEditor = "deputy-editor"
	// RoleSecretary (Thư ký) is an editor who also manages media and reads reports.
	RoleSecretary = "secretary"
	// RoleEditor (Biên tập viên) reviews and edits any item.
	RoleEditor = "editor"
	// RoleContributor (Cộng tác viên) writes and submits items.
	RoleContributor = "contributor"
)

// Platform roles, assigned on PlatformDomain.
const (
	// RolePlatformAdmin holds every permission everywhere.
	RolePlatformAdmin = "platform-admin"
	// RoleOfficeStaff (the Department Office) reads tenants and manages
	// quotas, but writes no items. Granted on a top-level tenant it is that
	// organisation's office and reaches its tenants only; granted on
	// PlatformDomain it is the provincial level and reaches every tenant.
	RoleOfficeStaff = "office-staff"
)

// GenerationPolicy names the change counter in platform_state that every
// policy write bumps and every process polls.
const GenerationPolicy = "policy"

// BoardRoles returns the roles assignable on a tenant, highest position first.
func BoardRoles() []string {
	return []string{RoleSiteAdmin, RoleEditorInChief, RoleDeputyEditor, RoleSecretary, RoleEditor, RoleContributor}
}

// PlatformRoles returns the roles assignable on PlatformDomain.
func PlatformRoles() []string { return []string{RolePlatformAdmin, RoleOfficeStaff} }

// IsBoardRole reports whether role is assignable on a tenant.
func IsBoardRole(role string) bool {
	switch role {
	case RoleSiteAdmin, RoleEditorInChief, RoleDeputyEditor, RoleSecretary, RoleEditor, RoleContributor:
		return true
	}
	return false
}

// IsPlatformRole reports whether role is assignable on PlatformDomain.
func IsPlatformRole(role string) bool { return role == RolePlatformAdmin || role == RoleOfficeStaff }

// IsOrganisationRole reports whether role is assignable on a top-level
// tenant, where it holds in every tenant of that organisation.
func IsOrganisationRole(role string) bool { return role == RoleOfficeStaff }

// RoleLabel is the Vietnamese name of a role for pages; unknown roles are
// returned as they are.
func RoleLabel(role string) string {
	switch role {
	case RoleSiteAdmin:
		return "Quản trị trang"
	case RoleEditorInChief:
		return "Trưởng ban biên tập"
	case RoleDeputyEditor:
		return "Phó trưởng ban biên tập"
	case RoleSecretary:
		return "Thư ký tòa soạn"
	case RoleEditor:
		return "Biên tập viên"
	case RoleContributor:
		return "Cộng tác viên"
	case RolePlatformAdmin:
		return "Quản trị hệ thống"
	case RoleOfficeStaff:
		return "Văn phòng Sở"
	}
	return role
}

// validateAssignment checks an (account, domain, role) row before it is
// written: a known role, platform roles only on PlatformDomain, board roles
// only on a tenant domain, which must exist when tenantMustExist (looked up
// through idb, so a tenant created in the same transaction counts).
func validateAssignment(ctx context.Context, idb bun.IDB, accountID, domain, role string, tenantMustExist bool) error {
	if accountID == "" {
		return errs.Invalid("account", "account_required", "Chưa chọn tài khoản")
	}
	switch {
	case IsOrganisationRole(role) && domain != PlatformDomain:
		return validateOrganisation(ctx, idb, domain, role, tenantMustExist)
	case IsPlatformRole(role):
		if domain != PlatformDomain {
			return errs.Invalid("role", "platform_role_on_tenant",
				fmt.Sprintf("Vai trò %q là vai trò toàn hệ thống, không gán cho một đơn vị", role))
		}
		return nil
	case IsBoardRole(role):
		if domain == "" || domain == PlatformDomain || domain == anyDomain {
			return errs.Invalid("tenant", "board_role_on_platform",
				fmt.Sprintf("Vai trò %q chỉ gán trong một đơn vị", role))
		}
		if !tenantMustExist {
			return nil
		}
		ok, err := idb.NewSelect().Table("tenants").Where("id = ?", domain).Exists(ctx)
		if err != nil {
			return fmt.Errorf("look up tenant %s: %w", domain, err)
		}
		if !ok {
			return errs.Invalid("tenant", "unknown_tenant", "Không tìm thấy đơn vị "+domain)
		}
		return nil
	}
	return errs.Invalid("role", "unknown_role", fmt.Sprintf("Vai trò %q không tồn tại", role))
}

// validateOrganisation checks an organisation role's domain: a tenant at
// the top of the tree (an organisation), when tenantMustExist.
func validateOrganisation(ctx context.Context, idb bun.IDB, domain, role string, tenantMustExist bool) error {
	if domain == "" || domain == anyDomain {
		return errs.Invalid("tenant", "board_role_on_platform", fmt.Sprintf("Vai trò %q gán cho một tổ chức hoặc toàn hệ thống", role))
	}
	if !tenantMustExist {
		return nil
	}
	var parents []struct {
		P *string `bun:"parent_id"`
	}
	if err := idb.NewSelect().Table("tenants").Column("parent_id").Where("id = ?", domain).Scan(ctx, &parents); err != nil {
		return fmt.Errorf("look up tenant %s: %w", domain, err)
	}
	if len(parents) == 0 {
		return errs.Invalid("tenant", "unknown_tenant", "Không tìm thấy đơn vị "+domain)
	}
	if parents[0].P != nil {
		return errs.Invalid("tenant", "not_organisation",
			fmt.Sprintf("Vai trò %q chỉ gán cho một tổ chức cấp cao nhất (một Sở), không cho đơn vị trực thuộc", role))
	}
	return nil
}
