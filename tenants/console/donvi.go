package console

// /don-vi: the platform admin's tenant tree (onboarding a tenant on the
// same page), one tenant's page with its profile (Decree 42/2022), which
// the tenant's own site-admin may also edit, and the lifecycle panel
// (rename, new slug, domains, move, merge, suspend, resume, archive), each
// change with a required reason and a confirmation step, above the
// tenant's history. Every change goes through provision.Provisioner, the
// same calls as the command line and the API.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/provision"
)

// DonViPath is the console page of the tenant tree.
const DonViPath = "/don-vi"

func (h *Handler) donViRoutes(app fiber.Router) {
	az := h.Authz
	app.Get(DonViPath, az.Require(authz.TenantManage, nil), h.donViTree)
	app.Post(DonViPath, az.Require(authz.TenantOnboard, nil), h.donViCreate)
	app.Get(DonViPath+"/:slug", az.Require(authz.TenantSettings, h.BySlug), h.donViTenant)
	app.Post(DonViPath+"/:slug/ho-so", az.Require(authz.TenantSettings, h.BySlug), h.donViProfile)
	app.Post(DonViPath+"/:slug/thay-doi", az.Require(authz.TenantManage, h.BySlug), h.donViChange)
}

// Option is one entry of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// TreeRow is one tenant of the tree.
type TreeRow struct {
	Slug, Name, Kind, Status, StatusClass string
	Depth                                 int
	Hosts                                 []string
	Quota                                 int
	LastSend                              string
}

// OnboardForm is what the onboarding form shows (kept as typed after an
// error, with the error next to its field).
type OnboardForm struct {
	Slug, Name, Kind, Parent, Domains, Quota, ShortName, Address, Phone, Email string
	NoSite                                                                     bool
	Error, ErrorField                                                          string
}

// DonViTree is the /don-vi page.
type DonViTree struct {
	Shell      *Shell
	Rows       []TreeRow
	BaseDomain string
	Form       OnboardForm
	Kinds      []Option
	Parents    []Option
	CanOnboard bool
}

func (h *Handler) donViTree(c *fiber.Ctx) error {
	// A new tenant is most often a unit of the one Department: the form
	// starts there, not at the top where a unit may not stand.
	f := OnboardForm{Kind: string(tenancy.KindUnit)}
	var departments []string
	for _, t := range h.Registry.All() {
		if t.Kind == tenancy.KindDepartment && t.Status == tenancy.StatusActive {
			departments = append(departments, t.Slug)
		}
	}
	if len(departments) == 1 {
		f.Parent = departments[0]
	}
	return h.renderTree(c, fiber.StatusOK, f)
}

func (h *Handler) renderTree(c *fiber.Ctx, status int, f OnboardForm) error {
	sh, err := h.shell(c, nil, DonViPath)
	if err != nil {
		return err
	}
	all := h.Registry.All()
	ids := make([]string, 0, len(all))
	for _, t := range all {
		ids = append(ids, t.ID)
	}
	last := map[string]time.Time{}
	if h.LastSent != nil {
		if last, err = h.LastSent(c.UserContext(), ids); err != nil {
			return err
		}
	}
	page := DonViTree{Shell: sh, Form: f, CanOnboard: h.Authz.Allowed(web.Account(c).AccountID, authz.PlatformDomain, authz.TenantOnboard)}
	for _, t := range all {
		r := TreeRow{Slug: t.Slug, Name: t.Name, Kind: t.Kind.Label(), Status: t.Status.Label(), StatusClass: "tenant-" + string(t.Status),
			Depth: depth(h.Registry, t), Hosts: h.hosts(t), Quota: t.QuotaPerWeek, LastSend: "—"}
		if at, ok := last[t.ID]; ok {
			r.LastSend = vntext.Date(at)
		}
		page.Rows = append(page.Rows, r)
		if t.Status == tenancy.StatusActive && (t.Kind == tenancy.KindDepartment || t.Kind == tenancy.KindUnit) {
			page.Parents = append(page.Parents, Option{Value: t.Slug, Label: t.Name, Selected: t.Slug == f.Parent})
		}
	}
	for _, k := range tenancy.Kinds {
		page.Kinds = append(page.Kinds, Option{Value: string(k), Label: k.Label(), Selected: string(k) == f.Kind})
	}
	return h.render(c, status, "console/donvi", page)
}

// depth is how far t sits below the top of its organisation.
func depth(reg *tenancy.Registry, t *tenancy.Tenant) int {
	d := 0
	for cur := t; cur.ParentID != nil && d < 16; d++ {
		p, ok := reg.ByID(*cur.ParentID)
		if !ok {
			break
		}
		cur = p
	}
	return d
}

// hosts lists the addresses a tenant's site answers on.
func (h *Handler) hosts(t *tenancy.Tenant) []string {
	if !t.HasSite {
		return nil
	}
	// The primary host is one of the tenant's domains when it has any.
	primary := h.Registry.PrimaryHost(t)
	out := []string{primary}
	for _, d := range t.Domains {
		if d != primary {
			out = append(out, d)
		}
	}
	return out
}

func (h *Handler) donViCreate(c *fiber.Ctx) error {
	f := OnboardForm{
		Slug: strings.TrimSpace(c.FormValue("slug")), Name: c.FormValue("name"), Kind: c.FormValue("kind"),
		Parent: c.FormValue("parent"), Domains: c.FormValue("domains"), Quota: strings.TrimSpace(c.FormValue("quota")),
		ShortName: c.FormValue("short_name"), Address: c.FormValue("address"), Phone: c.FormValue("phone"),
		Email: c.FormValue("email"), NoSite: c.FormValue("no_site") == "on",
	}
	if f.Slug == "" {
		// Left empty, the address is made from the name ("Trung tâm
		// Dịch vụ việc làm" → trung-tam-dich-vu-viec-lam).
		f.Slug = vntext.Slugify(f.Name, 63)
	}
	in := provision.Input{Slug: f.Slug, Name: f.Name, Kind: tenancy.Kind(f.Kind), Parent: f.Parent, NoSite: f.NoSite, ActorID: web.Account(c).AccountID,
		Domains:   strings.FieldsFunc(f.Domains, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }),
		ShortName: f.ShortName, Address: f.Address, Phone: f.Phone, Email: f.Email}
	if f.Quota != "" {
		q, err := strconv.Atoi(f.Quota)
		if err != nil {
			f.Error, f.ErrorField = "Chỉ tiêu tuần phải là một số từ 0 đến 50", "quota_per_week"
			return h.renderTree(c, fiber.StatusUnprocessableEntity, f)
		}
		in.Quota = &q
	}
	t, err := h.Provisioner.Create(c.UserContext(), in)
	if err != nil {
		status := userErrorStatus(err)
		if status == 0 {
			return err
		}
		f.Error = errorText(err)
		if e := errs.As(err); e != nil {
			f.ErrorField = e.Field
		}
		if errs.Is(err, errs.KindConflict) {
			f.ErrorField = "slug"
			if e := errs.As(err); e != nil && e.Code == "domain_taken" {
				f.ErrorField = "domain"
			}
		}
		return h.renderTree(c, status, f)
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	return redirectWith(c, DonViPath+"/"+t.Slug, "ok", "Đã tạo đơn vị "+t.Name)
}

// ProfileForm holds the profile fields as shown (API names as keys).
type ProfileForm map[string]string

// profileFields are the form's fields in order: API name, label, input type.
var profileFields = []struct{ Name, Label, Type string }{
	{"name", "Tên đơn vị", "text"},
	{"name_en", "Tên tiếng Anh", "text"},
	{"governing_body", "Cơ quan chủ quản", "text"},
	{"responsible_person", "Người chịu trách nhiệm", "text"},
	{"responsible_title", "Chức vụ người chịu trách nhiệm", "text"},
	{"licence", "Số giấy phép", "text"},
	{"licence_date", "Ngày cấp giấy phép (dd/mm/yyyy)", "text"},
	{"address", "Địa chỉ", "text"},
	{"phone", "Điện thoại", "text"},
	{"fax", "Fax", "text"},
	{"email", "Thư điện tử", "email"},
	{"hotline", "Đường dây nóng", "text"},
	{"address_en", "Địa chỉ (tiếng Anh)", "text"},
	{"about_en", "Giới thiệu (tiếng Anh)", "textarea"},
}

// Field is one input of the profile form.
type Field struct {
	Name, Label, Type, Value string
	Invalid                  bool
}

// HistoryRow is one version of the tenant as the page shows it.
type HistoryRow struct {
	At, Op, Name, Slug, Parent, Status, Reason, Actor string
}

// Change is a lifecycle change waiting for its confirmation, or kept after
// an error.
type Change struct {
	Op, Value, NameEN, Reason string
	Error, ErrorField         string
}

// DonViTenant is the /don-vi/:slug page.
type DonViTenant struct {
	Shell       *Shell
	Tenant      *tenancy.Tenant
	Hosts       []string
	Parent      string
	MergedInto  string
	Fields      []Field
	Error       string
	CanManage   bool
	Change      Change
	Ops         []OpForm
	History     []HistoryRow
	Confirm     bool
	ConfirmText string
}

func (h *Handler) donViTenant(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	return h.renderTenant(c, fiber.StatusOK, t, nil, "", "", Change{})
}

func profileValues(t *tenancy.Tenant) ProfileForm {
	p := t.Profile()
	return ProfileForm{"name": t.Name, "name_en": t.NameEN, "governing_body": p.GoverningBody,
		"responsible_person": p.ResponsiblePerson, "responsible_title": p.ResponsibleTitle, "licence": p.Licence,
		"licence_date": licenceDate(t), "address": p.Address, "phone": p.Phone, "fax": p.Fax, "email": p.Email,
		"hotline": p.Hotline, "address_en": p.AddressEN, "about_en": p.AboutEN}
}

func licenceDate(t *tenancy.Tenant) string {
	if t.LicenceDate == nil {
		return ""
	}
	return vntext.Date(*t.LicenceDate)
}

// OpForm is the small form of one lifecycle change: what it asks for
// (Input: "text", "select" or "" for nothing but the reason), kept values
// and its error after a refusal.
type OpForm struct {
	Op, Label, Input, ValueLabel, Hint string
	Value, NameEN, Reason              string
	Options                            []Option
	Error, ErrorField                  string
}

// opForms builds the panel's forms; the one of ch keeps what was typed.
func (h *Handler) opForms(t *tenancy.Tenant, ch Change) []OpForm {
	var parents, targets, domains []Option
	for _, o := range h.Registry.All() {
		if o.ID == t.ID || o.Status == tenancy.StatusMerged {
			continue
		}
		opt := Option{Value: o.Slug, Label: o.Name + " (" + o.Slug + ")"}
		if o.Status == tenancy.StatusActive && (o.Kind == tenancy.KindDepartment || o.Kind == tenancy.KindUnit) {
			parents = append(parents, opt)
		}
		targets = append(targets, opt)
	}
	for _, d := range t.Domains {
		domains = append(domains, Option{Value: d, Label: d})
	}
	forms := []OpForm{
		{Op: provision.OpRename, Input: "text", ValueLabel: "Tên mới", Value: t.Name},
		{Op: provision.OpSetSlug, Input: "text", ValueLabel: "Mã mới", Value: t.Slug, Hint: "Địa chỉ cũ sẽ chuyển hướng (301) sang địa chỉ mới."},
		{Op: provision.OpDomainAdd, Input: "text", ValueLabel: "Tên miền", Hint: "Ví dụ: ttdvvl.thanhhoa.gov.vn"},
		{Op: provision.OpDomainRemove, Input: "select", ValueLabel: "Tên miền cần gỡ", Options: domains},
		{Op: provision.OpMove, Input: "select", ValueLabel: "Đơn vị cha mới", Options: parents},
		{Op: provision.OpMerge, Input: "select", ValueLabel: "Hợp nhất vào", Options: targets, Hint: "Không thể hoàn tác."},
	}
	switch t.Status {
	case tenancy.StatusActive:
		forms = append(forms, OpForm{Op: provision.OpSuspend}, OpForm{Op: provision.OpArchive})
	case tenancy.StatusSuspended:
		forms = append(forms, OpForm{Op: provision.OpResume}, OpForm{Op: provision.OpArchive})
	case tenancy.StatusArchived:
		forms = append(forms, OpForm{Op: provision.OpResume})
	}
	out := forms[:0]
	for _, f := range forms {
		if f.Op == provision.OpDomainRemove && len(domains) == 0 {
			continue
		}
		f.Label = opLabel(f.Op)
		if f.Op == ch.Op {
			f.Value, f.NameEN, f.Reason, f.Error, f.ErrorField = ch.Value, ch.NameEN, ch.Reason, ch.Error, ch.ErrorField
		}
		for i := range f.Options {
			f.Options[i].Selected = f.Options[i].Value == f.Value
		}
		out = append(out, f)
	}
	return out
}

// lifecycleOps are the changes of the panel: form value and label.
var lifecycleOps = []Option{
	{Value: provision.OpRename, Label: "Đổi tên"},
	{Value: provision.OpSetSlug, Label: "Đổi mã (địa chỉ)"},
	{Value: provision.OpDomainAdd, Label: "Thêm tên miền"},
	{Value: provision.OpDomainRemove, Label: "Gỡ tên miền"},
	{Value: provision.OpMove, Label: "Chuyển sang đơn vị cha khác"},
	{Value: provision.OpMerge, Label: "Hợp nhất vào đơn vị khác"},
	{Value: provision.OpSuspend, Label: "Tạm dừng"},
	{Value: provision.OpResume, Label: "Hoạt động trở lại"},
	{Value: provision.OpArchive, Label: "Lưu trữ"},
}

func opLabel(op string) string {
	switch op {
	case provision.OpCreate:
		return "Khởi tạo"
	case "":
		return ""
	}
	for _, o := range lifecycleOps {
		if o.Value == op {
			return o.Label
		}
	}
	return op
}

// renderTenant shows the tenant page; values (nil: the stored profile)
// keeps what was typed in the profile form, with the error next to field.
func (h *Handler) renderTenant(c *fiber.Ctx, status int, t *tenancy.Tenant, values ProfileForm, profileErr, errField string, ch Change) error {
	sh, err := h.shell(c, t, DonViPath)
	if err != nil {
		return err
	}
	fresh, err := tenancy.ByID(c.UserContext(), h.DB, t.ID)
	if err != nil {
		return err
	}
	if values == nil {
		values = profileValues(fresh)
	}
	page := DonViTenant{Shell: sh, Tenant: fresh, Hosts: h.hosts(fresh), Error: profileErr, Change: ch,
		CanManage: h.Authz.Allowed(web.Account(c).AccountID, authz.PlatformDomain, authz.TenantManage)}
	if fresh.ParentID != nil {
		if p, ok := h.Registry.ByID(*fresh.ParentID); ok {
			page.Parent = p.Name
		}
	}
	if fresh.MergedIntoID != nil {
		if p, ok := h.Registry.ByID(*fresh.MergedIntoID); ok {
			page.MergedInto = p.Slug
		}
	}
	for _, f := range profileFields {
		page.Fields = append(page.Fields, Field{Name: f.Name, Label: f.Label, Type: f.Type, Value: values[f.Name], Invalid: f.Name == errField})
	}
	if page.CanManage {
		page.Ops = h.opForms(fresh, ch)
		if page.History, err = h.history(c.UserContext(), fresh.ID); err != nil {
			return err
		}
	}
	return h.render(c, status, "console/donvi_tenant", page)
}

func (h *Handler) history(ctx context.Context, id string) ([]HistoryRow, error) {
	vs, err := tenancy.Versions(ctx, h.DB, []string{id})
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var out []HistoryRow
	for i := len(vs[id]) - 1; i >= 0; i-- {
		v := vs[id][i]
		r := HistoryRow{At: vntext.DateTime(v.ValidFrom), Op: opLabel(v.Op), Name: v.Name, Slug: v.Slug, Status: v.Status.Label(), Reason: v.Reason}
		if v.ParentID != nil {
			if p, ok := h.Registry.ByID(*v.ParentID); ok {
				r.Parent = p.Name
			}
		}
		if v.ActorID != "" {
			if _, ok := names[v.ActorID]; !ok {
				names[v.ActorID] = "Tài khoản đã xóa"
				if a, err := account.ByID(ctx, h.DB, v.ActorID); err == nil {
					names[v.ActorID] = a.Name
				}
			}
			r.Actor = names[v.ActorID]
		} else {
			r.Actor = "Dòng lệnh"
		}
		out = append(out, r)
	}
	return out, nil
}

func (h *Handler) donViProfile(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	values := ProfileForm{}
	for _, f := range profileFields {
		values[f.Name] = c.FormValue(f.Name)
	}
	s := func(k string) *string { v := values[k]; return &v }
	patch := provision.ProfilePatch{Name: s("name"), NameEN: s("name_en"), Profile: &provision.ProfileInput{
		GoverningBody: s("governing_body"), ResponsiblePerson: s("responsible_person"), ResponsibleTitle: s("responsible_title"),
		Licence: s("licence"), LicenceDate: s("licence_date"), Address: s("address"), Phone: s("phone"), Fax: s("fax"),
		Email: s("email"), Hotline: s("hotline"), AddressEN: s("address_en"), AboutEN: s("about_en")}}
	if _, err := h.Provisioner.UpdateProfile(c.UserContext(), t.ID, web.Account(c).AccountID, web.ClientIP(c), patch); err != nil {
		status := userErrorStatus(err)
		if status == 0 {
			return err
		}
		field := ""
		if e := errs.As(err); e != nil {
			field = e.Field
		}
		return h.renderTenant(c, status, t, values, errorText(err), field, Change{})
	}
	if err := h.Registry.Refresh(c.UserContext()); err != nil {
		return err
	}
	return redirectWith(c, DonViPath+"/"+t.Slug, "ok", "Đã lưu hồ sơ đơn vị")
}

// donViChange checks a lifecycle change, shows what it will do and asks to
// confirm; with confirm=1 it applies it.
func (h *Handler) donViChange(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	ch := Change{Op: c.FormValue("op"), Value: strings.TrimSpace(c.FormValue("value")), NameEN: c.FormValue("name_en"),
		Reason: strings.TrimSpace(c.FormValue("reason"))}
	fail := func(field, msg string) error {
		ch.Error, ch.ErrorField = msg, field
		return h.renderTenant(c, fiber.StatusUnprocessableEntity, t, nil, "", "", ch)
	}
	label := opLabel(ch.Op)
	if label == ch.Op {
		return fail("op", "Hãy chọn thao tác")
	}
	needsValue := map[string]string{provision.OpRename: "Cần nhập tên mới", provision.OpSetSlug: "Cần nhập mã mới",
		provision.OpDomainAdd: "Cần nhập tên miền", provision.OpDomainRemove: "Cần nhập tên miền cần gỡ",
		provision.OpMove: "Cần chọn đơn vị cha mới", provision.OpMerge: "Cần chọn đơn vị nhận hợp nhất"}
	if msg, ok := needsValue[ch.Op]; ok && ch.Value == "" {
		return fail("value", msg)
	}
	if ch.Reason == "" {
		return fail("reason", "Cần nêu lý do của thay đổi (được ghi vào lịch sử và nhật ký)")
	}
	if c.FormValue("confirm") != "1" {
		sh, err := h.shell(c, t, DonViPath)
		if err != nil {
			return err
		}
		return h.render(c, fiber.StatusOK, "console/donvi_confirm", DonViTenant{Shell: sh, Tenant: t, Change: ch,
			Confirm: true, ConfirmText: h.describe(t, ch)})
	}
	who := provision.Change{ActorID: web.Account(c).AccountID, IP: web.ClientIP(c), Reason: ch.Reason}
	ctx, p := c.UserContext(), h.Provisioner
	var out *tenancy.Tenant
	switch ch.Op {
	case provision.OpRename:
		patch := provision.ProfilePatch{Name: &ch.Value}
		if ch.NameEN != "" {
			patch.NameEN = &ch.NameEN
		}
		out, err = p.ApplyPatch(ctx, t.ID, who, patch)
	case provision.OpSetSlug:
		out, err = p.ApplyPatch(ctx, t.ID, who, provision.ProfilePatch{Slug: &ch.Value})
	case provision.OpDomainAdd:
		out, err = p.AddDomain(ctx, t.ID, ch.Value, who)
	case provision.OpDomainRemove:
		out, err = p.RemoveDomain(ctx, t.ID, ch.Value, who)
	case provision.OpMove:
		out, err = p.Move(ctx, t.ID, ch.Value, who)
	case provision.OpMerge:
		out, err = p.Merge(ctx, t.ID, ch.Value, who)
	case provision.OpSuspend:
		out, err = p.Suspend(ctx, t.ID, who)
	case provision.OpResume:
		out, err = p.Resume(ctx, t.ID, who)
	case provision.OpArchive:
		out, err = p.Archive(ctx, t.ID, who)
	}
	if err != nil {
		status := userErrorStatus(err)
		if status == 0 {
			if errs.Is(err, errs.KindNotFound) {
				status = fiber.StatusUnprocessableEntity
			} else {
				return err
			}
		}
		ch.Error, ch.ErrorField = errorText(err), "value"
		if e := errs.As(err); e != nil && e.Field == "reason" {
			ch.ErrorField = "reason"
		}
		return h.renderTenant(c, status, t, nil, "", "", ch)
	}
	if err := h.Registry.Refresh(ctx); err != nil {
		return err
	}
	return redirectWith(c, DonViPath+"/"+out.Slug, "ok", "Đã thực hiện: "+label+" – "+out.Name)
}

// describe says in one sentence what a change will do.
func (h *Handler) describe(t *tenancy.Tenant, ch Change) string {
	name := func(slug string) string {
		if o, ok := h.Registry.BySlug(slug); ok {
			return o.Name
		}
		return slug
	}
	switch ch.Op {
	case provision.OpRename:
		return fmt.Sprintf("Đổi tên “%s” thành “%s”. Báo cáo các kỳ trước vẫn giữ tên cũ.", t.Name, ch.Value)
	case provision.OpSetSlug:
		return fmt.Sprintf("Đổi mã “%s” thành “%s”. Địa chỉ cũ %s chuyển hướng (301) sang địa chỉ mới.", t.Slug, ch.Value, h.Registry.PrimaryHost(t))
	case provision.OpDomainAdd:
		return fmt.Sprintf("Thêm tên miền %s cho %s.", ch.Value, t.Name)
	case provision.OpDomainRemove:
		return fmt.Sprintf("Gỡ tên miền %s của %s; địa chỉ này sẽ chuyển hướng (301) về địa chỉ chính.", ch.Value, t.Name)
	case provision.OpMove:
		return fmt.Sprintf("Chuyển %s sang trực thuộc %s từ bây giờ. Bài đang chờ ở đơn vị cha cũ sẽ được rút về kèm ghi chú.", t.Name, name(ch.Value))
	case provision.OpMerge:
		return fmt.Sprintf("Hợp nhất %s vào %s: tin bài, ảnh và lịch sử chuyển sang %s; mọi địa chỉ cũ chuyển hướng (301). Không thể hoàn tác.", t.Name, name(ch.Value), name(ch.Value))
	case provision.OpSuspend:
		return fmt.Sprintf("Tạm dừng %s: trang công khai báo tạm ngừng (503), Ban Biên tập chỉ xem được, không tính chỉ tiêu.", t.Name)
	case provision.OpResume:
		return fmt.Sprintf("Cho %s hoạt động trở lại.", t.Name)
	case provision.OpArchive:
		return fmt.Sprintf("Lưu trữ %s: trang vẫn đọc được kèm thông báo, không nhận bài mới, không tính chỉ tiêu.", t.Name)
	}
	return ""
}
