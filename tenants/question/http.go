package question

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// ConsolePath is the board's queue under /t/<slug>.
const ConsolePath = "/hoi-dap"

// Board serves the board's side: the API and the console queue.
type Board struct {
	Service  *Service
	Authz    *authz.Enforcer
	Registry *tenancy.Registry
	Renderer *web.Renderer
	// Shell builds the console layout data of a page (the console
	// package's; any so that this package does not import it).
	Shell func(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error)
}

// APIRoutes registers the contract's question routes under /api/v1:
//
//	GET  /tenants/:slug/questions?state=        post:review
//	POST /tenants/:slug/questions/:id/answer    post:publish
//	POST /tenants/:slug/questions/:id/reject    post:publish
func (h *Board) APIRoutes(r fiber.Router) {
	g := r.Group("/tenants/:slug/questions")
	g.Get("/", h.Authz.Require(authz.PostReview, h.bySlug), h.apiList)
	g.Post("/:id/answer", h.Authz.Require(authz.PostPublish, h.bySlug), h.apiAnswer)
	g.Post("/:id/reject", h.Authz.Require(authz.PostPublish, h.bySlug), h.apiReject)
}

// ConsoleRoutes registers the queue pages; each declares its permission.
//
//	GET  /t/:slug/hoi-dap               post:review   the queue and recent decisions
//	POST /t/:slug/hoi-dap/:id/tra-loi   post:publish  answer (and publish)
//	POST /t/:slug/hoi-dap/:id/tu-choi   post:publish  reject with a reason
func (h *Board) ConsoleRoutes(r fiber.Router) {
	base := "/t/:slug" + ConsolePath
	r.Get(base, h.Authz.Require(authz.PostReview, h.bySlug), h.queue)
	r.Post(base+"/:id/tra-loi", h.Authz.Require(authz.PostPublish, h.bySlug), h.answerForm)
	r.Post(base+"/:id/tu-choi", h.Authz.Require(authz.PostPublish, h.bySlug), h.rejectForm)
}

func (h *Board) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (h *Board) tenant(c *fiber.Ctx) *tenancy.Tenant { return authz.Tenant(c) }

// View is a question in the API (the board sees the contact).
type View struct {
	ID        string     `json:"id"`
	State     State      `json:"state"`
	Name      string     `json:"name"`
	Email     string     `json:"email"`
	Phone     string     `json:"phone"`
	Field     string     `json:"field"`
	Question  string     `json:"question"`
	Answer    string     `json:"answer"`
	Publish   bool       `json:"publish"`
	Reason    string     `json:"reason"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at"`
	MailedAt  *time.Time `json:"mailed_at"`
}

func view(q *Question) View {
	return View{ID: q.ID, State: q.State, Name: q.Name, Email: q.Email, Phone: q.Phone, Field: q.FieldCode, Question: q.Question,
		Answer: q.Answer, Publish: q.Published, Reason: q.Reason, CreatedAt: q.CreatedAt, DecidedAt: q.DecidedAt, MailedAt: q.MailedAt}
}

func parseState(s string) (State, error) {
	switch State(s) {
	case "", StateNew, StateAnswered, StateRejected:
		return State(s), nil
	}
	return "", errs.Invalid("state", "state_invalid", "Trạng thái phải là new, answered hoặc rejected")
}

func (h *Board) apiList(c *fiber.Ctx) error {
	t := h.tenant(c)
	st, err := parseState(c.Query("state"))
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(c.Query("cursor"))
	offset = max(offset, 0)
	qs, err := List(c.UserContext(), h.Service.DB, t.ID, st, 50, offset)
	if err != nil {
		return err
	}
	items := make([]View, 0, len(qs))
	for i := range qs {
		items = append(items, view(&qs[i]))
	}
	next := ""
	if len(qs) == 50 {
		next = strconv.Itoa(offset + 50)
	}
	return c.JSON(fiber.Map{"items": items, "next": next})
}

func (h *Board) apiAnswer(c *fiber.Ctx) error {
	t := h.tenant(c)
	var b struct {
		Answer  string `json:"answer"`
		Publish bool   `json:"publish"`
	}
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	q, err := h.Service.Answer(c.UserContext(), t, web.Account(c).AccountID, c.Params("id"), b.Answer, b.Publish)
	if err != nil {
		return err
	}
	return c.JSON(view(q))
}

func (h *Board) apiReject(c *fiber.Ctx) error {
	t := h.tenant(c)
	var b struct {
		Reason string `json:"reason"`
	}
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	q, err := h.Service.Reject(c.UserContext(), t, web.Account(c).AccountID, c.Params("id"), b.Reason)
	if err != nil {
		return err
	}
	return c.JSON(view(q))
}

// QueuePage is the console's queue.
type QueuePage struct {
	Shell      any
	Tenant     *tenancy.Tenant
	New        []Question
	Decided    []Question
	FieldNames map[string]string
	Error      string
}

func (h *Board) queue(c *fiber.Ctx) error {
	return h.renderQueue(c, fiber.StatusOK, "")
}

func (h *Board) renderQueue(c *fiber.Ctx, status int, problem string) error {
	ctx, t := c.UserContext(), h.tenant(c)
	sh, err := h.Shell(c, t, ConsolePath)
	if err != nil {
		return err
	}
	p := &QueuePage{Shell: sh, Tenant: t, Error: problem, FieldNames: map[string]string{}}
	if p.New, err = List(ctx, h.Service.DB, t.ID, StateNew, 200, 0); err != nil {
		return err
	}
	if p.Decided, err = decided(c, h.Service, t.ID); err != nil {
		return err
	}
	fields, err := tenancy.Fields(ctx, h.Service.DB)
	if err != nil {
		return err
	}
	for _, f := range fields {
		p.FieldNames[f.Code] = f.Name
	}
	return h.Renderer.Render(c, status, "console/questions", p)
}

func decided(c *fiber.Ctx, s *Service, tenantID string) ([]Question, error) {
	var out []Question
	for _, st := range []State{StateAnswered, StateRejected} {
		qs, err := List(c.UserContext(), s.DB, tenantID, st, 20, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, qs...)
	}
	return out, nil
}

func (h *Board) formResult(c *fiber.Ctx, err error, ok string) error {
	if err == nil {
		// The message travels in the flash cookie, never in the address:
		// a link with ?ok= would put anyone's words in the console's
		// green banner.
		return web.RedirectWithFlash(c, "/t/"+c.Params("slug")+ConsolePath, "ok", ok)
	}
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict:
		_, msg, _ := errs.Public(err)
		return h.renderQueue(c, fiber.StatusUnprocessableEntity, msg)
	}
	return err
}

func (h *Board) answerForm(c *fiber.Ctx) error {
	t := h.tenant(c)
	_, err := h.Service.Answer(c.UserContext(), t, web.Account(c).AccountID, c.Params("id"), c.FormValue("answer"), c.FormValue("publish") == "1")
	return h.formResult(c, err, "Đã lưu trả lời.")
}

func (h *Board) rejectForm(c *fiber.Ctx) error {
	t := h.tenant(c)
	_, err := h.Service.Reject(c.UserContext(), t, web.Account(c).AccountID, c.Params("id"), c.FormValue("reason"))
	return h.formResult(c, err, "Đã từ chối câu hỏi.")
}
