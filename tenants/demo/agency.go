package demo

import (
	"bytes"
	"context"
	"fmt"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
	"github.com/trangtin/trangtin/tenants/site"
)

// The demo's agency pages: what Decree 42/2022 asks each site to show
// (governing body, person responsible, licence, address, phones, e-mail),
// functions and duties in Vietnamese and English, and leaders. Names of
// people are invented; addresses follow the province's real streets.

const departmentAbout = `Sở Lao động – Thương binh và Xã hội là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh Thanh Hóa, tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về lao động, việc làm, giáo dục nghề nghiệp, tiền lương, bảo hiểm xã hội, an toàn, vệ sinh lao động, người có công, bảo trợ xã hội, trẻ em, bình đẳng giới và phòng, chống tệ nạn xã hội.
Trình Ủy ban nhân dân tỉnh dự thảo quyết định, chương trình, kế hoạch dài hạn, năm năm và hằng năm của ngành; tổ chức thực hiện sau khi được phê duyệt.
Hướng dẫn, kiểm tra việc thực hiện chính sách đối với người có công với cách mạng, người lao động, trẻ em, người khuyết tật, người cao tuổi và các đối tượng bảo trợ xã hội.
Quản lý các đơn vị sự nghiệp trực thuộc: các trung tâm dịch vụ việc làm, công tác xã hội, bảo trợ xã hội, điều dưỡng người có công, cơ sở cai nghiện ma túy và trường cao đẳng nghề.`

const departmentAboutEN = `The Department of Labour, Invalids and Social Affairs advises the Provincial People's Committee of Thanh Hoa on labour, employment, vocational training, wages, social insurance, occupational safety, people with merit, social protection, children, gender equality and the prevention of social evils.
It drafts the sector's plans, carries them out once approved, and supervises the centres, facilities and the vocational college that report to it.`

// SeedAgency fills the profile of every demo tenant with a site, the
// functions and duties, the leaders and the order of the home page blocks.
func SeedAgency(ctx context.Context, prov *provision.Provisioner, ag *site.Agency, ts map[string]*tenancy.Tenant) error {
	str := func(s string) *string { return &s }
	dept := ts[DepartmentSlug]
	for i, o := range Organisation() {
		t := ts[o.Slug]
		if t == nil || !t.HasSite {
			continue
		}
		in := &provision.ProfileInput{
			ResponsiblePerson: str(responsible[i%len(responsible)]), ResponsibleTitle: str("Giám đốc"),
			Address: str(fmt.Sprintf("%d Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa", 20+i*4)),
			Hotline: str(fmt.Sprintf("0237 385 %04d", 2000+i*41)), Fax: str(fmt.Sprintf("0237 385 %04d", 3000+i*29)),
		}
		patch := provision.ProfilePatch{Profile: in}
		about := fmt.Sprintf("%s là đơn vị sự nghiệp công lập trực thuộc Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa.\nThực hiện nhiệm vụ chuyên môn của đơn vị theo quy định của pháp luật và phân công của Giám đốc Sở.", o.Name)
		if t.ID == dept.ID {
			in.GoverningBody = str("Ủy ban nhân dân tỉnh Thanh Hóa")
			in.ResponsiblePerson, in.ResponsibleTitle = str("Nguyễn Văn Minh"), str("Giám đốc Sở")
			in.Address = str("25 Đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa")
			in.Phone, in.Email = str("0237 385 2341"), str("soldtbxh@thanhhoa.gov.vn")
			in.Hotline = str("0237 385 1001")
			in.AddressEN = str("25 Le Loi Avenue, Hac Thanh Ward, Thanh Hoa Province, Viet Nam")
			in.AboutEN = str(departmentAboutEN)
			patch.NameEN = str("Department of Labour, Invalids and Social Affairs of Thanh Hoa Province")
			about = departmentAbout
		} else {
			in.GoverningBody = str("Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa")
		}
		if _, err := prov.UpdateProfile(ctx, t.ID, "", "", patch); err != nil {
			return fmt.Errorf("demo profile of %s: %w", o.Slug, err)
		}
		order := []string{"tin-tuc-su-kien", "chinh-sach-phap-luat", "lao-dong-viec-lam", "nguoi-co-cong", "bao-tro-xa-hoi"}
		if _, err := ag.SaveSettings(ctx, t.ID, "", "", site.SettingsInput{About: &about, BlockOrder: order}); err != nil {
			return fmt.Errorf("demo about page of %s: %w", o.Slug, err)
		}
		leaders := []site.LeaderInput{
			{Name: responsible[i%len(responsible)], Title: "Giám đốc", TitleEN: "Director"},
			{Name: deputies[i%len(deputies)], Title: "Phó Giám đốc", TitleEN: "Deputy Director", Position: 1},
		}
		if t.ID == dept.ID {
			leaders = []site.LeaderInput{
				{Name: "Nguyễn Văn Minh", Title: "Giám đốc Sở", TitleEN: "Director", Phone: "0237 385 2341", Email: "giamdoc.soldtbxh@thanhhoa.gov.vn"},
				{Name: "Lê Thị Hồng Nhung", Title: "Phó Giám đốc Sở", TitleEN: "Deputy Director", Phone: "0237 385 2342", Email: "nhunglth.soldtbxh@thanhhoa.gov.vn", Position: 1},
				{Name: "Trịnh Quốc Bảo", Title: "Phó Giám đốc Sở", TitleEN: "Deputy Director", Phone: "0237 385 2343", Email: "baotq.soldtbxh@thanhhoa.gov.vn", Position: 2},
			}
		}
		for _, l := range leaders {
			if l.Phone == "" {
				l.Phone = fmt.Sprintf("0237 385 %04d", 4000+i*13+l.Position)
			}
			if _, err := ag.AddLeader(ctx, t.ID, "", "", l); err != nil {
				return fmt.Errorf("demo leader of %s: %w", o.Slug, err)
			}
		}
	}
	return nil
}

var (
	responsible = []string{"Nguyễn Văn Minh", "Lê Văn Hùng", "Phạm Thị Lan", "Hoàng Minh Tuấn", "Đỗ Thị Hương", "Vũ Đức Thắng", "Bùi Thị Mai"}
	deputies    = []string{"Trần Thị Thu", "Ngô Văn Khánh", "Lê Thị Hạnh", "Mai Xuân Trường", "Đặng Thị Yến"}
)

// SeedCovers gives the Department's own published items that still have
// no picture a generated cover, so its home page leads with pictures
// (SeedPictures covers the newest items, which are mostly the units'
// copies).
func (e *Exchange) SeedCovers(ctx context.Context, ts map[string]*tenancy.Tenant) (int, error) {
	if e.Media == nil {
		return 0, nil
	}
	t := ts[DepartmentSlug]
	var ps []*post.Post
	err := e.DB.NewSelect().Model(&ps).Where("p.tenant_id = ? AND p.status = ? AND p.origin_tenant_id IS NULL AND p.featured_media_id IS NULL AND p.type <> ?",
		t.ID, post.StatusPublished, post.TypeRepublished).OrderExpr("p.published_at DESC").Limit(16).Scan(ctx)
	if err != nil {
		return 0, fmt.Errorf("demo covers: %w", err)
	}
	for i, p := range ps {
		img, err := media.DemoImage(100+i, p.Title)
		if err != nil {
			return i, err
		}
		m, err := e.Media.Upload(ctx, t.ID, "demo", fmt.Sprintf("bia-%d.jpg", i+1), bytes.NewReader(img), "Ảnh minh họa: "+p.Title, "Ảnh: Ban Biên tập")
		if err != nil {
			return i, fmt.Errorf("demo cover: %w", err)
		}
		if _, err := e.DB.NewUpdate().Table("posts").Set("featured_media_id = ?", m.ID).
			Where("tenant_id = ? AND id = ?", t.ID, p.ID).Exec(ctx); err != nil {
			return i, fmt.Errorf("demo cover: %w", err)
		}
	}
	return len(ps), nil
}
