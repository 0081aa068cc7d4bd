package console

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/board"
)

// BoardPage shows and edits a tenant's editorial board.
type BoardPage struct {
	Shell     *Shell
	Tenant    *tenancy.Tenant
	Board     *board.Board
	History   []board.Change
	Positions []board.PositionInfo
	CanManage bool
}

func (h *Handler) boardPage(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sh, err := h.shell(c, t, "/ban-bien-tap")
	if err != nil {
		return err
	}
	b, err := board.Get(ctx, h.DB, t.ID)
	if err != nil {
		return err
	}
	hist, err := board.History(ctx, h.DB, t.ID, 30)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "console/board", BoardPage{
		Shell: sh, Tenant: t, Board: b, History: hist, Positions: board.Positions(),
		CanManage: h.Authz.Allowed(web.Account(c).AccountID, t.ID, authz.BoardManage),
	})
}

// boardAudit records a board change in the audit log, in the same
// transaction as the change.
func (h *Handler) boardAudit(ctx context.Context, tx bun.Tx, c *fiber.Ctx, t *tenancy.Tenant, subject string) error {
	return h.Audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: web.Account(c).AccountID, Action: audit.ActionBoardChanged, Subject: subject, IP: web.ClientIP(c)})
}

func (h *Handler) setDecision(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/ban-bien-tap"
	date, derr := vntext.ParseDate(c.FormValue("date"))
	if derr != nil {
		return redirectWith(c, back, "error", "Ngày quyết định phải có dạng dd/mm/yyyy")
	}
	in := board.DecisionInput{Number: c.FormValue("number"), Date: date, SignerName: c.FormValue("signer_name"), SignerTitle: c.FormValue("signer_title")}
	err = db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		if _, err := board.SetDecision(ctx, tx, t.ID, web.Account(c).AccountID, in); err != nil {
			return err
		}
		return h.boardAudit(ctx, tx, c, t, "decision "+in.Number)
	})
	if err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã lưu quyết định thành lập Ban Biên tập")
}

// formError shows a user's mistake on the page it came from and lets real
// failures reach the error handler.
func formError(c *fiber.Ctx, back string, err error) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict, errs.KindNotFound, errs.KindForbidden:
		return redirectWith(c, back, "error", errorText(err))
	}
	return err
}

func memberInput(c *fiber.Ctx) board.MemberInput {
	order, _ := strconv.Atoi(c.FormValue("order"))
	split := func(s string) []string {
		var out []string
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			out = append(out, strings.TrimSpace(p))
		}
		return out
	}
	return board.MemberInput{
		Name: c.FormValue("name"), Position: board.Position(c.FormValue("position")),
		JobTitle: c.FormValue("job_title"), Duties: c.FormValue("duties"),
		Sections: split(c.FormValue("sections")), Fields: split(c.FormValue("fields")),
		Email: c.FormValue("email"), Phone: c.FormValue("phone"),
		ContactPublic: c.FormValue("contact_public") == "on", Order: order,
	}
}

// linkAccount resolves the optional account e-mail of a member form.
func (h *Handler) linkAccount(ctx context.Context, email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", nil
	}
	a, err := account.ByEmail(ctx, h.DB, email)
	if err != nil {
		if errs.Is(err, errs.KindNotFound) {
			return "", errs.Invalid("account_email", "account_unknown", "Không có tài khoản với thư điện tử "+email)
		}
		return "", err
	}
	return a.ID, nil
}

func (h *Handler) addMember(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/ban-bien-tap"
	in := memberInput(c)
	err = db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		if in.AccountID, err = h.linkAccount(ctx, c.FormValue("account_email")); err != nil {
			return err
		}
		if _, err := board.AddMember(ctx, tx, t.ID, web.Account(c).AccountID, in); err != nil {
			return err
		}
		return h.boardAudit(ctx, tx, c, t, "member add "+in.Name)
	})
	if err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã thêm thành viên "+in.Name)
}

func (h *Handler) updateMember(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/ban-bien-tap"
	in := memberInput(c)
	id := c.Params("id")
	err = db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		if in.AccountID, err = h.linkAccount(ctx, c.FormValue("account_email")); err != nil {
			return err
		}
		if _, err := board.UpdateMember(ctx, tx, t.ID, web.Account(c).AccountID, id, in); err != nil {
			return err
		}
		return h.boardAudit(ctx, tx, c, t, "member update "+in.Name)
	})
	if err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã cập nhật thành viên "+in.Name)
}

func (h *Handler) removeMember(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/ban-bien-tap"
	id := c.Params("id")
	err = db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := board.RemoveMember(ctx, tx, t.ID, web.Account(c).AccountID, id); err != nil {
			return err
		}
		return h.boardAudit(ctx, tx, c, t, "member remove "+id)
	})
	if err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã xóa thành viên khỏi Ban Biên tập")
}

// RolesPage lists who holds which role in a tenant.
type RolesPage struct {
	Shell   *Shell
	Tenant  *tenancy.Tenant
	Members []RoleHolder
	Roles   []RoleOption
}

// RoleHolder is an account with its roles in the tenant.
type RoleHolder struct {
	AccountID, Name, Email string
	Roles                  []RoleOption
}

// RoleOption is a role with its Vietnamese label.
type RoleOption struct{ Code, Label string }

func (h *Handler) rolesPage(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sh, err := h.shell(c, t, "/vai-tro")
	if err != nil {
		return err
	}
	page := RolesPage{Shell: sh, Tenant: t}
	for _, r := range authz.BoardRoles() {
		page.Roles = append(page.Roles, RoleOption{r, authz.RoleLabel(r)})
	}
	for accountID, roles := range h.Authz.Members(t.ID) {
		a, err := account.ByID(ctx, h.DB, accountID)
		if err != nil {
			continue
		}
		holder := RoleHolder{AccountID: a.ID, Name: a.Name, Email: a.Email}
		for _, r := range sortedRoles(roles) {
			holder.Roles = append(holder.Roles, RoleOption{r, authz.RoleLabel(r)})
		}
		page.Members = append(page.Members, holder)
	}
	sortHolders(page.Members)
	return h.render(c, fiber.StatusOK, "console/roles", page)
}

func sortHolders(hs []RoleHolder) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].Name < hs[j-1].Name; j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

func (h *Handler) changeRole(grant bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t, err := h.tenant(c)
		if err != nil {
			return err
		}
		back := "/t/" + t.Slug + "/vai-tro"
		role := c.FormValue("role")
		actorID := web.Account(c).AccountID
		if err := h.mayAssign(actorID, t.ID, role); err != nil {
			return formError(c, back, err)
		}
		var subject string
		err = db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
			var a *account.Account
			var err error
			if id := c.FormValue("account_id"); id != "" {
				a, err = account.ByID(ctx, tx, id)
			} else {
				a, err = account.ByEmail(ctx, tx, c.FormValue("email"))
			}
			if errs.Is(err, errs.KindNotFound) {
				return errs.Invalid("email", "account_unknown", "Không có tài khoản với thư điện tử này")
			}
			if err != nil {
				return err
			}
			subject = a.Email
			if a.ID == actorID && !grant {
				return errs.Forbidden("own_role", "Không thể tự thu hồi vai trò của chính mình; hãy nhờ người quản trị khác")
			}
			action := audit.ActionRoleGranted
			if grant {
				err = h.Authz.Grant(ctx, tx, a.ID, t.ID, role)
			} else {
				action = audit.ActionRoleRevoked
				err = h.Authz.Revoke(ctx, tx, a.ID, t.ID, role)
			}
			if err != nil {
				return err
			}
			return h.Audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: web.Account(c).AccountID, Action: action, Subject: a.Email + " " + role, IP: web.ClientIP(c)})
		})
		if err != nil {
			return formError(c, back, err)
		}
		if err := h.Authz.Reload(c.UserContext()); err != nil {
			return err
		}
		if grant {
			return redirectWith(c, back, "ok", "Đã giao vai trò "+authz.RoleLabel(role)+" cho "+subject)
		}
		return redirectWith(c, back, "ok", "Đã thu hồi vai trò "+authz.RoleLabel(role)+" của "+subject)
	}
}

// mayAssign limits who hands out which role: the site-admin of the tenant
// (and platform admins) manage every board role; an editor-in-chief, who
// manages the board, may grant and revoke positions below their own only,
// so nobody raises themselves to site-admin or editor-in-chief.
func (h *Handler) mayAssign(actorID, tenantID, role string) error {
	if h.Authz.Allowed(actorID, authz.PlatformDomain, authz.TenantManage) {
		return nil
	}
	for _, r := range h.Authz.Roles(actorID, tenantID) {
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
