package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/board"
)

// Password is the password of every demo account.
const Password = "Demo@ThanhHoa2024"

// Login is a demo account to print after seeding.
type Login struct {
	Email, Name, Role, Tenant string
}

type person struct {
	email, name, tenant, role string
	position                  board.Position
	jobTitle                  string
}

// people are the demo accounts: a platform admin, Department Office staff,
// the Department's whole board, boards of two units, an office and a
// union, and one contributor in every other tenant (who the demo items of
// that tenant are credited to).
func people() []person {
	named := namedPeople()
	has := map[string]bool{}
	for _, p := range named {
		has[p.tenant] = true
	}
	i := 0
	for _, o := range Organisation() {
		if has[o.Slug] {
			continue
		}
		name := contributorNames[i%len(contributorNames)]
		i++
		named = append(named, person{"ctv." + o.Slug + "@trangtin.local", name, o.Slug, authz.RoleContributor, "", "Chuyên viên"})
	}
	return named
}

// contributorNames name the contributors of the tenants without a named
// demo person.
var contributorNames = []string{"Hà Văn Phúc", "Mai Thị Quỳnh", "Tạ Văn Sơn", "Lương Thị Thu", "Đinh Văn Tuấn",
	"Cao Thị Uyên", "Kiều Văn Vinh", "Lò Thị Xuân", "Quách Văn Yên", "Âu Thị Ánh", "Hồ Văn Bảo", "Triệu Thị Cúc",
	"Mạc Văn Đức", "Tăng Thị Hằng", "Vương Văn Khánh", "Chu Thị Liên"}

// Authors are the demo accounts items are credited to, by tenant slug:
// the tenant's first contributor (else its first member) writes, its
// editor-in-chief (else the writer) decides.
type Authors map[string]struct{ Writer, Chief string }

// LoadAuthors finds the demo accounts (after SeedAccounts).
func LoadAuthors(ctx context.Context, idb bun.IDB) (Authors, error) {
	out := Authors{}
	ids := map[string]string{}
	for _, p := range people() {
		if p.tenant == "" {
			continue
		}
		a, err := account.ByEmail(ctx, idb, p.email)
		if err != nil {
			return nil, fmt.Errorf("demo author %s: %w", p.email, err)
		}
		ids[p.email] = a.ID
	}
	// Contributors first, then anyone, for the writer.
	for _, contributorsOnly := range []bool{true, false} {
		for _, p := range people() {
			x := out[p.tenant]
			if p.tenant == "" || x.Writer != "" || contributorsOnly && p.role != authz.RoleContributor {
				continue
			}
			x.Writer = ids[p.email]
			out[p.tenant] = x
		}
	}
	for _, p := range people() {
		if p.tenant != "" && p.role == authz.RoleEditorInChief {
			x := out[p.tenant]
			x.Chief = ids[p.email]
			out[p.tenant] = x
		}
	}
	for slug, x := range out {
		if x.Chief == "" {
			x.Chief = x.Writer
			out[slug] = x
		}
	}
	return out, nil
}

func namedPeople() []person {
	return []person{
		{"admin@trangtin.local", "Quản trị hệ thống", "", authz.RolePlatformAdmin, "", ""},
		{"vanphong@trangtin.local", "Lê Thị Hoa (Văn phòng Sở)", DepartmentSlug, authz.RoleOfficeStaff, "", ""},
		{"quantri.so@trangtin.local", "Phạm Văn Minh", DepartmentSlug, authz.RoleSiteAdmin, "", ""},
		{"truongban.so@trangtin.local", "Nguyễn Văn An", DepartmentSlug, authz.RoleEditorInChief, board.PositionChief, "Phó Giám đốc Sở"},
		{"phoban.so@trangtin.local", "Trần Thị Bình", DepartmentSlug, authz.RoleDeputyEditor, board.PositionDeputy, "Chánh Văn phòng Sở"},
		{"thuky.so@trangtin.local", "Lê Văn Cường", DepartmentSlug, authz.RoleSecretary, board.PositionSecretary, "Chuyên viên Văn phòng Sở"},
		{"bientap.so@trangtin.local", "Hoàng Thị Dung", DepartmentSlug, authz.RoleEditor, board.PositionEditor, "Chuyên viên"},
		{"ctv.so@trangtin.local", "Đỗ Văn Em", DepartmentSlug, authz.RoleContributor, board.PositionContributor, "Chuyên viên"},
		{"truongban.ttdvvl@trangtin.local", "Vũ Thị Giang", "trung-tam-dich-vu-viec-lam", authz.RoleEditorInChief, board.PositionChief, "Giám đốc Trung tâm"},
		{"bientap.ttdvvl@trangtin.local", "Bùi Văn Hải", "trung-tam-dich-vu-viec-lam", authz.RoleEditor, board.PositionEditor, "Trưởng phòng Tư vấn"},
		{"ctv.ttdvvl@trangtin.local", "Ngô Thị Lan", "trung-tam-dich-vu-viec-lam", authz.RoleContributor, board.PositionContributor, "Viên chức"},
		{"truongban.ttctxh@trangtin.local", "Đặng Văn Khoa", "trung-tam-cong-tac-xa-hoi", authz.RoleEditorInChief, board.PositionChief, "Giám đốc Trung tâm"},
		{"ctv.ttctxh@trangtin.local", "Phan Thị Mai", "trung-tam-cong-tac-xa-hoi", authz.RoleContributor, board.PositionContributor, "Công tác xã hội viên"},
		{"ctv.nguoicocong@trangtin.local", "Lý Văn Nam", "phong-nguoi-co-cong", authz.RoleContributor, "", "Chuyên viên"},
		{"ctv.doanthanhnien@trangtin.local", "Trịnh Thị Oanh", "doan-thanh-nien-so", authz.RoleContributor, "", "Bí thư Đoàn"},
	}
}

// SeedAccounts creates the demo accounts, their roles and the boards.
func SeedAccounts(ctx context.Context, bdb *bun.DB, tenants map[string]*tenancy.Tenant, params account.Params) ([]Login, error) {
	var logins []Login
	err := db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		for _, p := range people() {
			a, err := account.CreateWithParams(ctx, tx, params, p.email, p.name, Password)
			if err != nil {
				return fmt.Errorf("demo account %s: %w", p.email, err)
			}
			domain, where := authz.PlatformDomain, "toàn hệ thống"
			if p.tenant != "" {
				t, ok := tenants[p.tenant]
				if !ok {
					return fmt.Errorf("demo account %s: no tenant %s", p.email, p.tenant)
				}
				domain, where = t.ID, t.Slug
			}
			if err := authz.GrantRole(ctx, tx, a.ID, domain, p.role); err != nil {
				return fmt.Errorf("demo role %s: %w", p.email, err)
			}
			if p.position != "" {
				in := board.MemberInput{Name: p.name, AccountID: a.ID, Position: p.position, JobTitle: p.jobTitle,
					Duties: "Thực hiện nhiệm vụ theo Quy chế hoạt động của Ban Biên tập."}
				if _, err := board.AddMember(ctx, tx, domain, a.ID, in); err != nil {
					return fmt.Errorf("demo board member %s: %w", p.email, err)
				}
			}
			logins = append(logins, Login{Email: p.email, Name: p.name, Role: p.role, Tenant: where})
		}
		for _, slug := range []string{DepartmentSlug, "trung-tam-dich-vu-viec-lam", "trung-tam-cong-tac-xa-hoi"} {
			in := board.DecisionInput{Number: "125/QĐ-" + decisionSymbol(slug), Date: time.Date(2024, 9, 10, 0, 0, 0, 0, time.UTC),
				SignerName: "Nguyễn Văn Giám", SignerTitle: "Giám đốc"}
			if _, err := board.SetDecision(ctx, tx, tenants[slug].ID, "system", in); err != nil {
				return fmt.Errorf("demo board decision %s: %w", slug, err)
			}
		}
		return nil
	})
	return logins, err
}

func decisionSymbol(slug string) string {
	switch slug {
	case DepartmentSlug:
		return "SLĐTBXH"
	case "trung-tam-dich-vu-viec-lam":
		return "TTDVVL"
	}
	return "TTCTXH"
}
