package console

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

// saveSettings stores a tenant's editorial and security settings.
func (h *Handler) saveSettings(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug
	delay, err := strconv.Atoi(strings.TrimSpace(c.FormValue("republish_delay_min", "0")))
	if err != nil {
		return redirectWith(c, back, "error", "Thời gian chờ đăng lại phải là số phút từ 0 đến 10080")
	}
	mfa, second := c.FormValue("mfa_required") == "on", c.FormValue("always_second_reviewer") == "on"
	in := post.SettingsInput{MFARequired: &mfa, AlwaysSecondReviewer: &second, RepublishDelayMin: &delay}
	if _, err := h.Posts.UpdateSettings(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), in); err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã lưu cài đặt của đơn vị")
}

// requireOwnPassword keeps a session signed in with a password an
// administrator handed over (web.Principal.PasswordTemporary) on the
// account page until its holder chooses their own: only that page, the
// password form and logout answer; the API answers 403.
func requireOwnPassword(c *fiber.Ctx) error {
	p := web.Account(c)
	if p == nil || !p.PasswordTemporary {
		return c.Next()
	}
	path, method := c.Path(), c.Method()
	switch {
	case path == "/tai-khoan" && (method == fiber.MethodGet || method == fiber.MethodHead),
		path == "/tai-khoan/mat-khau" && method == fiber.MethodPost,
		path == "/logout", strings.HasPrefix(path, "/login"):
		return c.Next()
	case strings.HasPrefix(path, "/api/"):
		return errs.Forbidden("password_change_required", "Hãy đặt mật khẩu mới ở trang Tài khoản trước khi tiếp tục")
	}
	return c.Redirect("/tai-khoan", fiber.StatusSeeOther)
}

// requireMFA sends a signed-in account that lacks a second factor to its
// settings page when any tenant it holds a role in requires one. Only the
// account page, logout and the second-factor steps stay open meanwhile.
// API tokens are separate credentials and are not affected.
func (h *Handler) requireMFA(c *fiber.Ctx) error {
	p := web.Account(c)
	path := c.Path()
	if p == nil || p.TokenID != "" || strings.HasPrefix(path, "/tai-khoan") || path == "/logout" ||
		strings.HasPrefix(path, "/login") || strings.HasPrefix(path, "/api/") {
		return c.Next()
	}
	var tenantIDs []string
	for domain := range h.Authz.Assignments(p.AccountID) {
		tenantIDs = append(tenantIDs, domain)
	}
	if len(tenantIDs) == 0 {
		return c.Next()
	}
	if !h.MFARequired {
		required, err := post.AnyRequiresMFA(c.UserContext(), h.DB, tenantIDs)
		if err != nil {
			return err
		}
		if !required {
			return c.Next()
		}
	}
	a, err := account.ByID(c.UserContext(), h.DB, p.AccountID)
	if err != nil {
		return err
	}
	if a.MFAEnabled() {
		return c.Next()
	}
	return c.Redirect("/tai-khoan?2fa=bat-buoc", fiber.StatusSeeOther)
}
