// Package demo fills an empty platform with a realistic organisation — the
// Department of Labour, Invalids and Social Affairs of Thanh Hóa, its
// offices, a dozen units and the two unions — so a newcomer can click
// through every site and page.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

// Org is one tenant of the demo organisation.
type Org struct {
	Slug, Name, Short string
	Kind              tenancy.Kind
	Parent            string
}

// DepartmentSlug is the demo's top tenant.
const DepartmentSlug = "so-ldtbxh"

// Organisation lists the demo tenants, parents first.
func Organisation() []Org {
	d := DepartmentSlug
	return []Org{
		{d, "Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa", "Sở LĐTBXH Thanh Hóa", tenancy.KindDepartment, ""},
		{"van-phong-so", "Văn phòng Sở", "", tenancy.KindOffice, d},
		{"thanh-tra-so", "Thanh tra Sở", "", tenancy.KindOffice, d},
		{"phong-ke-hoach-tai-chinh", "Phòng Kế hoạch – Tài chính", "", tenancy.KindOffice, d},
		{"phong-lao-dong-viec-lam", "Phòng Lao động – Việc làm – Giáo dục nghề nghiệp", "", tenancy.KindOffice, d},
		{"phong-nguoi-co-cong", "Phòng Người có công", "", tenancy.KindOffice, d},
		{"phong-bao-tro-xa-hoi", "Phòng Bảo trợ xã hội – Trẻ em – Bình đẳng giới", "", tenancy.KindOffice, d},
		{"trung-tam-dich-vu-viec-lam", "Trung tâm Dịch vụ việc làm Thanh Hóa", "TTDVVL Thanh Hóa", tenancy.KindUnit, d},
		{"trung-tam-cong-tac-xa-hoi", "Trung tâm Công tác xã hội tỉnh Thanh Hóa", "", tenancy.KindUnit, d},
		{"trung-tam-bao-tro-xa-hoi-1", "Trung tâm Bảo trợ xã hội số 1", "", tenancy.KindUnit, d},
		{"trung-tam-bao-tro-xa-hoi-2", "Trung tâm Bảo trợ xã hội số 2", "", tenancy.KindUnit, d},
		{"trung-tam-cham-soc-nguoi-co-cong", "Trung tâm Điều dưỡng và Chăm sóc người có công", "", tenancy.KindUnit, d},
		{"co-so-cai-nghien-ma-tuy", "Cơ sở Cai nghiện ma túy tỉnh Thanh Hóa", "", tenancy.KindUnit, d},
		{"trung-tam-phuc-hoi-chuc-nang", "Trung tâm Phục hồi chức năng cho người khuyết tật", "", tenancy.KindUnit, d},
		{"truong-cao-dang-nghe", "Trường Cao đẳng nghề Thanh Hóa", "", tenancy.KindUnit, d},
		{"trung-tam-nuoi-duong-tam-than", "Trung tâm Nuôi dưỡng người tâm thần", "", tenancy.KindUnit, d},
		{"lang-tre-em-mo-coi", "Làng Trẻ em mồ côi tỉnh Thanh Hóa", "", tenancy.KindUnit, d},
		{"trung-tam-giao-duc-lao-dong-xa-hoi", "Trung tâm Giáo dục – Lao động xã hội", "", tenancy.KindUnit, d},
		{"ban-quan-ly-nghia-trang", "Ban Quản lý Nghĩa trang liệt sĩ tỉnh", "", tenancy.KindUnit, d},
		{"cong-doan-so", "Công đoàn Sở Lao động – Thương binh và Xã hội", "", tenancy.KindUnion, d},
		{"doan-thanh-nien-so", "Đoàn Thanh niên Sở Lao động – Thương binh và Xã hội", "", tenancy.KindUnion, d},
	}
}

// Seeder creates the demo data. Later features add their own steps.
type Seeder struct {
	DB          *bun.DB
	Provisioner *provision.Provisioner
	// Steps run after the organisation exists, in order.
	Steps []func(ctx context.Context, tenants map[string]*tenancy.Tenant) error
}

// Result summarises what the demo created.
type Result struct {
	Tenants []*tenancy.Tenant
}

// Run creates the demo on an empty database and refuses a non-empty one.
func (s *Seeder) Run(ctx context.Context) (*Result, error) {
	n, err := s.DB.NewSelect().Model((*tenancy.Tenant)(nil)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count tenants: %w", err)
	}
	if n > 0 {
		return nil, errs.Conflict("not_empty", fmt.Sprintf("database already has %d tenants; the demo only fills an empty database", n))
	}
	res := &Result{}
	bySlug := map[string]*tenancy.Tenant{}
	licence := time.Date(2019, 4, 5, 0, 0, 0, 0, time.UTC)
	for i, o := range Organisation() {
		in := provision.Input{Slug: o.Slug, Name: o.Name, Kind: o.Kind, Parent: o.Parent, ShortName: o.Short}
		if o.Kind.DefaultHasSite() {
			in.LicenceNo = fmt.Sprintf("%02d/GP-TTĐT", 10+i)
			in.LicenceDate = &licence
			in.Address = "Thành phố Thanh Hóa, tỉnh Thanh Hóa"
			in.Phone = fmt.Sprintf("0237 385 %04d", 1000+i*37)
			in.Email = o.Slug + "@thanhhoa.gov.vn"
		}
		if o.Kind == tenancy.KindDepartment {
			in.Colour = "#a5151b"
			in.Domains = []string{"soldtbxh.thanhhoa.localhost"}
		}
		t, err := s.Provisioner.Create(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("create demo tenant %s: %w", o.Slug, err)
		}
		bySlug[t.Slug] = t
		res.Tenants = append(res.Tenants, t)
	}
	for _, step := range s.Steps {
		if err := step(ctx, bySlug); err != nil {
			return nil, err
		}
	}
	return res, nil
}
