package board

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
)

// API serves the board and its roles under /api/v1/tenants/{slug}: the
// same Service calls as the console's forms, so the same guards, audit
// events and errors.
type API struct {
	Service  *Service
	Authz    *authz.Enforcer
	Registry *tenancy.Registry
}

// Routes registers the routes; each declares its permission in the tenant
// of :slug.
func (a *API) Routes(r fiber.Router) {
	az, by := a.Authz, a.bySlug
	r.Get("/tenants/:slug/board", az.Require(authz.BoardView, by), a.get)
	r.Put("/tenants/:slug/board/decision", az.Require(authz.BoardManage, by), a.setDecision)
	r.Post("/tenants/:slug/board/members", az.Require(authz.BoardManage, by), a.addMember)
	r.Put("/tenants/:slug/board/members/:id", az.Require(authz.BoardManage, by), a.updateMember)
	r.Delete("/tenants/:slug/board/members/:id", az.Require(authz.BoardManage, by), a.removeMember)
	r.Get("/tenants/:slug/roles", az.Require(authz.BoardManage, by), a.roles)
	r.Post("/tenants/:slug/roles", az.Require(authz.BoardManage, by), a.changeRole(true))
	r.Post("/tenants/:slug/roles/revoke", az.Require(authz.BoardManage, by), a.changeRole(false))
}

func (a *API) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(a.Registry, c) }

// tenantID is the :slug tenant the guard checked.
func tenantID(c *fiber.Ctx) string { return authz.TenantID(c) }

func actorOf(c *fiber.Ctx) Actor { return Actor{ID: web.Account(c).AccountID, IP: web.ClientIP(c)} }

// DecisionView is the API's decision.
type DecisionView struct {
	Number      string    `json:"number"`
	Date        string    `json:"date"`
	SignerName  string    `json:"signer_name"`
	SignerTitle string    `json:"signer_title"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// MemberView is the API's board member.
type MemberView struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	AccountID     *string   `json:"account_id"`
	Position      Position  `json:"position"`
	JobTitle      string    `json:"job_title"`
	Duties        string    `json:"duties"`
	Sections      []string  `json:"sections"`
	Fields        []string  `json:"fields"`
	Email         string    `json:"email"`
	Phone         string    `json:"phone"`
	ContactPublic bool      `json:"contact_public"`
	Order         int       `json:"order"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ChangeView is one entry of the board's history.
type ChangeView struct {
	Action   Action    `json:"action"`
	MemberID *string   `json:"member_id"`
	ActorID  string    `json:"actor_id"`
	Summary  string    `json:"summary"`
	At       time.Time `json:"at"`
}

// View is the API's board.
type View struct {
	Decision *DecisionView `json:"decision"`
	Members  []MemberView  `json:"members"`
	History  []ChangeView  `json:"history"`
}

func viewDecision(d *Decision) *DecisionView {
	if d == nil {
		return nil
	}
	return &DecisionView{Number: d.Number, Date: d.Date.UTC().Format(time.DateOnly), SignerName: d.SignerName,
		SignerTitle: d.SignerTitle, UpdatedAt: d.UpdatedAt}
}

func viewMember(m *Member) MemberView {
	return MemberView{ID: m.ID, Name: m.Name, AccountID: m.AccountID, Position: m.Position, JobTitle: m.JobTitle,
		Duties: m.Duties, Sections: m.SectionSlugs(), Fields: m.FieldCodes(), Email: m.Email, Phone: m.Phone,
		ContactPublic: m.ContactPublic, Order: m.Order, UpdatedAt: m.UpdatedAt}
}

// historyLimit is how many changes the board's view lists (as the console).
const historyLimit = 30

func (a *API) get(c *fiber.Ctx) error {
	ctx, id := c.UserContext(), tenantID(c)
	b, err := a.Service.Get(ctx, id)
	if err != nil {
		return err
	}
	hist, err := a.Service.History(ctx, id, historyLimit)
	if err != nil {
		return err
	}
	v := View{Decision: viewDecision(b.Decision), Members: make([]MemberView, 0, len(b.Members)), History: make([]ChangeView, 0, len(hist))}
	for i := range b.Members {
		v.Members = append(v.Members, viewMember(&b.Members[i]))
	}
	for _, h := range hist {
		cv := ChangeView{Action: h.Action, ActorID: h.ActorID, Summary: h.Summary, At: h.At}
		if h.MemberID != "" {
			cv.MemberID = &h.MemberID
		}
		v.History = append(v.History, cv)
	}
	return c.JSON(v)
}

// decisionBody is the body of PUT …/board/decision.
type decisionBody struct {
	Number      string `json:"number"`
	Date        string `json:"date"`
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
}

func (a *API) setDecision(c *fiber.Ctx) error {
	var b decisionBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	in := DecisionInput{Number: b.Number, SignerName: b.SignerName, SignerTitle: b.SignerTitle}
	if b.Date != "" {
		d, err := vntext.ParseDate(b.Date)
		if err != nil {
			return errs.Invalid("date", "decision_date_format", "Ngày quyết định phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy")
		}
		in.Date = d
	}
	d, err := a.Service.SetDecision(c.UserContext(), tenantID(c), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(viewDecision(d))
}

// memberBody is the body of POST and PUT …/board/members: every field of
// a member (PUT replaces them all).
type memberBody struct {
	Name          string   `json:"name"`
	Position      Position `json:"position"`
	JobTitle      string   `json:"job_title"`
	Duties        string   `json:"duties"`
	Sections      []string `json:"sections"`
	Fields        []string `json:"fields"`
	Email         string   `json:"email"`
	Phone         string   `json:"phone"`
	ContactPublic bool     `json:"contact_public"`
	Order         int      `json:"order"`
	AccountID     string   `json:"account_id"`
	AccountEmail  string   `json:"account_email"`
}

func (b memberBody) input() MemberInput {
	return MemberInput{Name: b.Name, Position: b.Position, JobTitle: b.JobTitle, Duties: b.Duties, Sections: b.Sections,
		Fields: b.Fields, Email: b.Email, Phone: b.Phone, ContactPublic: b.ContactPublic, Order: b.Order,
		AccountID: b.AccountID, AccountEmail: b.AccountEmail}
}

func (a *API) addMember(c *fiber.Ctx) error {
	var b memberBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	m, err := a.Service.AddMember(c.UserContext(), tenantID(c), actorOf(c), b.input())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewMember(m))
}

func (a *API) updateMember(c *fiber.Ctx) error {
	var b memberBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	m, err := a.Service.UpdateMember(c.UserContext(), tenantID(c), actorOf(c), c.Params("id"), b.input())
	if err != nil {
		return err
	}
	return c.JSON(viewMember(m))
}

func (a *API) removeMember(c *fiber.Ctx) error {
	if err := a.Service.RemoveMember(c.UserContext(), tenantID(c), actorOf(c), c.Params("id")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// HolderView is an account with its board roles in the tenant.
type HolderView struct {
	AccountID string   `json:"account_id"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Roles     []string `json:"roles"`
}

func viewHolder(h Holder) HolderView {
	roles := h.Roles
	if roles == nil {
		roles = []string{}
	}
	return HolderView{AccountID: h.AccountID, Name: h.Name, Email: h.Email, Roles: roles}
}

func (a *API) roles(c *fiber.Ctx) error {
	hs, err := a.Service.Holders(c.UserContext(), tenantID(c))
	if err != nil {
		return err
	}
	items := make([]HolderView, 0, len(hs))
	for _, h := range hs {
		items = append(items, viewHolder(h))
	}
	return c.JSON(fiber.Map{"items": items, "next": ""})
}

// roleBody is the body of POST …/roles and …/roles/revoke.
type roleBody struct {
	AccountID string `json:"account_id"`
	Email     string `json:"email"`
	Role      string `json:"role"`
}

func (a *API) changeRole(grant bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var b roleBody
		if err := web.DecodeJSON(c, &b); err != nil {
			return err
		}
		change := a.Service.RevokeRole
		if grant {
			change = a.Service.GrantRole
		}
		h, err := change(c.UserContext(), tenantID(c), actorOf(c), RoleChange(b))
		if err != nil {
			return err
		}
		return c.JSON(viewHolder(*h))
	}
}
