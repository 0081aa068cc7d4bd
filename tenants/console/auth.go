package console

import (
	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
)

// LoginPage is the data of the login and second-factor forms.
type LoginPage struct {
	Shell *Shell
	Email string
	Error string
}

func (h *Handler) loginForm(c *fiber.Ctx) error {
	if web.Account(c) != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return h.render(c, fiber.StatusOK, "console/login", LoginPage{Shell: &Shell{}})
}

func (h *Handler) login(c *fiber.Ctx) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	token, needsMFA, err := h.Accounts.Login(c.UserContext(), email, password, web.ClientIP(c), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		status := fiber.StatusUnauthorized
		if e := errs.As(err); e != nil && e.Code == account.CodeLoginThrottled {
			status = fiber.StatusTooManyRequests
		} else if e == nil || e.Kind == errs.KindInternal || e.Kind == errs.KindUnavailable {
			return err
		}
		return h.render(c, status, "console/login", LoginPage{Shell: &Shell{}, Email: email, Error: errorText(err)})
	}
	if err := h.Accounts.IssueSessionCookie(c, token); err != nil {
		return err
	}
	if needsMFA {
		return c.Redirect("/login/2fa", fiber.StatusSeeOther)
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (h *Handler) mfaForm(c *fiber.Ctx) error {
	if account.CurrentSession(c) == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	return h.render(c, fiber.StatusOK, "console/mfa", LoginPage{Shell: &Shell{}})
}

func (h *Handler) mfa(c *fiber.Ctx) error {
	if account.CurrentSession(c) == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	token, err := h.Accounts.CompleteMFA(c.UserContext(), account.SessionCookie(c), c.FormValue("code"), web.ClientIP(c), c.Get(fiber.HeaderUserAgent))
	if err != nil {
		if e := errs.As(err); e == nil || e.Kind == errs.KindInternal {
			return err
		}
		return h.render(c, fiber.StatusUnauthorized, "console/mfa", LoginPage{Shell: &Shell{}, Error: errorText(err)})
	}
	if err := h.Accounts.IssueSessionCookie(c, token); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (h *Handler) logout(c *fiber.Ctx) error {
	if err := h.Accounts.EndSession(c); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
