package console

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/web"
)

// AccountPage is the account settings page.
type AccountPage struct {
	Shell     *Shell
	Tokens    []*account.Token
	Sessions  []*account.Session
	Enrolment *account.Enrolment
	NewToken  string
	Required  bool
}

func (h *Handler) accountPage(c *fiber.Ctx) error {
	return h.renderAccount(c, AccountPage{})
}

func (h *Handler) renderAccount(c *fiber.Ctx, page AccountPage) error {
	ctx := c.UserContext()
	p := web.Account(c)
	sh, err := h.shell(c, nil, "")
	if err != nil {
		return err
	}
	page.Shell = sh
	if page.Tokens, err = account.Tokens(ctx, h.DB, p.AccountID); err != nil {
		return err
	}
	if page.Sessions, err = h.Accounts.Sessions(ctx, p.AccountID); err != nil {
		return err
	}
	page.Required = c.Query("2fa") == "bat-buoc"
	return h.render(c, fiber.StatusOK, "console/account", page)
}

func (h *Handler) changePassword(c *fiber.Ctx) error {
	p := web.Account(c)
	if c.FormValue("new") != c.FormValue("confirm") {
		return redirectWith(c, "/tai-khoan", "error", "Mật khẩu nhập lại không khớp")
	}
	err := h.Accounts.ChangePassword(c.UserContext(), p.AccountID, c.FormValue("current"), c.FormValue("new"), p.SessionID, web.ClientIP(c))
	if err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return redirectWith(c, "/tai-khoan", "ok", "Đã đổi mật khẩu; các phiên đăng nhập khác đã bị đăng xuất")
}

func (h *Handler) beginMFA(c *fiber.Ctx) error {
	e, err := h.Accounts.BeginEnrolment(c.UserContext(), web.Account(c).AccountID)
	if err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return h.renderAccount(c, AccountPage{Enrolment: e})
}

func (h *Handler) confirmMFA(c *fiber.Ctx) error {
	if err := h.Accounts.ConfirmEnrolment(c.UserContext(), web.Account(c).AccountID, c.FormValue("code"), web.ClientIP(c)); err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return redirectWith(c, "/tai-khoan", "ok", "Đã bật xác thực hai lớp")
}

func (h *Handler) disableMFA(c *fiber.Ctx) error {
	p := web.Account(c)
	if err := h.Accounts.DisableMFA(c.UserContext(), p.AccountID, p.AccountID, web.ClientIP(c)); err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return redirectWith(c, "/tai-khoan", "ok", "Đã tắt xác thực hai lớp")
}

func (h *Handler) createToken(c *fiber.Ctx) error {
	p := web.Account(c)
	var plain string
	err := db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		plain, _, err = h.Accounts.CreateToken(ctx, tx, p.AccountID, c.FormValue("name"))
		return err
	})
	if err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return h.renderAccount(c, AccountPage{NewToken: plain})
}

func (h *Handler) revokeToken(c *fiber.Ctx) error {
	p := web.Account(c)
	err := db.InTx(c.UserContext(), h.DB, func(ctx context.Context, tx bun.Tx) error {
		return h.Accounts.RevokeToken(ctx, tx, p.AccountID, c.Params("id"), web.ClientIP(c))
	})
	if err != nil {
		return formError(c, "/tai-khoan", err)
	}
	return redirectWith(c, "/tai-khoan", "ok", "Đã thu hồi mã truy cập")
}

func (h *Handler) logoutEverywhere(c *fiber.Ctx) error {
	if err := h.Accounts.LogoutEverywhere(c.UserContext(), web.Account(c).AccountID); err != nil {
		return err
	}
	account.ClearSessionCookie(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}
