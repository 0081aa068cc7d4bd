package console

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
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

// actor is the signed-in account making a board change, for its audit event.
func actor(c *fiber.Ctx) board.Actor {
	return board.Actor{ID: web.Account(c).AccountID, IP: web.ClientIP(c)}
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
	if _, err := h.Board.SetDecision(c.UserContext(), t.ID, actor(c), in); err != nil {
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
		AccountEmail: c.FormValue("account_email"),
	}
}

func (h *Handler) addMember(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/ban-bien-tap"
	in := memberInput(c)
	if _, err := h.Board.AddMember(c.UserContext(), t.ID, actor(c), in); err != nil {
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
	if _, err := h.Board.UpdateMember(c.UserContext(), t.ID, actor(c), id, in); err != nil {
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
	if err := h.Board.RemoveMember(c.UserContext(), t.ID, actor(c), id); err != nil {
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
	// Form keeps what was typed into "Giao vai trò" when it is shown again
	// (a name is asked for an e-mail without an account).
	Form RoleForm
	// Created is the account just created with its role, shown once.
	Created *CreatedAccount
	// ConfirmReset asks to confirm a new password for this person.
	ConfirmReset *CreatedAccount
	// CanCreateAccounts offers the name field: only a platform admin
	// creates accounts (board.Service.GrantNewAccount).
	CanCreateAccounts bool
}

// RoleForm is the "Giao vai trò" form's values.
type RoleForm struct {
	Email, Name, Role string
	// NeedsName is set when the e-mail has no account yet: the form asks
	// for the person's name to create one.
	NeedsName bool
}

// CreatedAccount is an account created from the roles page, with the
// temporary password its creator hands over.
type CreatedAccount struct {
	ID, Name, Email, Role, Password string
	// Reset: the account existed and was given a new temporary password
	// (resetPassword).
	Reset bool
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
	return h.renderRoles(c, t, RolesPage{}, fiber.StatusOK, nil)
}

// renderRoles renders the roles page of t with page's form and account
// just created, and notice, when not nil, in place of the flash.
func (h *Handler) renderRoles(c *fiber.Ctx, t *tenancy.Tenant, page RolesPage, status int, notice *Flash) error {
	sh, err := h.shell(c, t, "/vai-tro")
	if err != nil {
		return err
	}
	if notice != nil {
		sh.Flash = notice
	}
	page.Shell, page.Tenant = sh, t
	page.CanCreateAccounts = h.Board.MayCreateAccounts(actor(c).ID)
	for _, r := range authz.BoardRoles() {
		// Only the roles this person may hand out (a chief may not make a
		// site-admin): an option the server refuses is a trap.
		if h.Board.MayAssign(actor(c).ID, t.ID, r) != nil {
			continue
		}
		page.Roles = append(page.Roles, RoleOption{r, authz.RoleLabel(r)})
	}
	holders, err := h.Board.Holders(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	for _, hd := range holders {
		holder := RoleHolder{AccountID: hd.AccountID, Name: hd.Name, Email: hd.Email}
		for _, r := range hd.Roles {
			holder.Roles = append(holder.Roles, RoleOption{r, authz.RoleLabel(r)})
		}
		page.Members = append(page.Members, holder)
	}
	return h.render(c, status, "console/roles", page)
}

func (h *Handler) changeRole(grant bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		t, err := h.tenant(c)
		if err != nil {
			return err
		}
		back := "/t/" + t.Slug + "/vai-tro"
		in := board.RoleChange{AccountID: c.FormValue("account_id"), Email: c.FormValue("email"), Role: c.FormValue("role")}
		change := h.Board.RevokeRole
		if grant {
			change = h.Board.GrantRole
		}
		who, err := change(c.UserContext(), t.ID, actor(c), in)
		if grant && in.AccountID == "" && errs.As(err) != nil && errs.As(err).Code == "account_unknown" {
			return h.grantNewAccount(c, t, in)
		}
		if grant && (errs.KindOf(err) == errs.KindInvalid || errs.KindOf(err) == errs.KindConflict) {
			// The form again with what was typed, as the new-account path does.
			form := RoleForm{Email: strings.TrimSpace(in.Email), Name: strings.TrimSpace(c.FormValue("name")), Role: in.Role}
			return h.renderRoles(c, t, RolesPage{Form: form}, fiber.StatusUnprocessableEntity, &Flash{Kind: "error", Text: errorText(err)})
		}
		if err != nil {
			return formError(c, back, err)
		}
		if grant {
			return redirectWith(c, back, "ok", "Đã giao vai trò "+authz.RoleLabel(in.Role)+" cho "+who.Email)
		}
		return redirectWith(c, back, "ok", "Đã thu hồi vai trò "+authz.RoleLabel(in.Role)+" của "+who.Email)
	}
}

// grantNewAccount answers "Giao vai trò" for an e-mail without an account:
// without a name it asks for one, keeping what was typed; with one it
// creates the account with the role and shows its temporary password,
// once, on this page (never in an address or a cookie).
func (h *Handler) grantNewAccount(c *fiber.Ctx, t *tenancy.Tenant, in board.RoleChange) error {
	form := RoleForm{Email: strings.TrimSpace(in.Email), Name: strings.TrimSpace(c.FormValue("name")), Role: in.Role, NeedsName: true}
	if !h.Board.MayCreateAccounts(actor(c).ID) {
		form.NeedsName = false
		return h.renderRoles(c, t, RolesPage{Form: form}, fiber.StatusUnprocessableEntity, &Flash{Kind: "error",
			Text: "Chưa có tài khoản với thư điện tử " + form.Email + ". Tài khoản mới do quản trị hệ thống tạo: hãy gửi họ thư điện tử và họ tên của người này."})
	}
	if form.Name == "" {
		return h.renderRoles(c, t, RolesPage{Form: form}, fiber.StatusUnprocessableEntity, &Flash{Kind: "error",
			Text: "Chưa có tài khoản với thư điện tử " + form.Email + ". Nhập họ và tên để tạo tài khoản mới và giao vai trò."})
	}
	who, password, err := h.Board.GrantNewAccount(c.UserContext(), t.ID, actor(c), board.NewMember{Email: form.Email, Name: form.Name, Role: in.Role})
	if err != nil {
		switch errs.KindOf(err) {
		case errs.KindInvalid, errs.KindConflict, errs.KindForbidden:
			return h.renderRoles(c, t, RolesPage{Form: form}, fiber.StatusUnprocessableEntity, &Flash{Kind: "error", Text: errorText(err)})
		}
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	role := authz.RoleLabel(in.Role)
	return h.renderRoles(c, t, RolesPage{Created: &CreatedAccount{Name: who.Name, Email: who.Email, Role: role, Password: password}},
		fiber.StatusOK, &Flash{Kind: "ok", Text: "Đã tạo tài khoản " + who.Email + " và giao vai trò " + role})
}

// resetPassword gives a role holder who lost their password a new
// temporary one and shows it, once, as for an account just created.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "1" {
		// One click ends the person's password and sessions: ask first.
		who, err := h.Board.ResetTarget(c.UserContext(), t.ID, actor(c), c.FormValue("account_id"))
		if err != nil {
			return formError(c, "/t/"+t.Slug+"/vai-tro", err)
		}
		return h.renderRoles(c, t, RolesPage{ConfirmReset: &CreatedAccount{Name: who.Name, Email: who.Email, ID: who.AccountID}}, fiber.StatusOK, nil)
	}
	who, password, err := h.Board.ResetPassword(c.UserContext(), t.ID, actor(c), c.FormValue("account_id"))
	if err != nil {
		return formError(c, "/t/"+t.Slug+"/vai-tro", err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	var roles []string
	for _, r := range who.Roles {
		roles = append(roles, authz.RoleLabel(r))
	}
	return h.renderRoles(c, t, RolesPage{Created: &CreatedAccount{Name: who.Name, Email: who.Email, Role: strings.Join(roles, ", "), Password: password, Reset: true}},
		fiber.StatusOK, &Flash{Kind: "ok", Text: "Đã cấp mật khẩu tạm thời mới cho " + who.Email + "; các phiên đăng nhập của tài khoản này đã bị đăng xuất"})
}
