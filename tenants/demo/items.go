package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// story is a demo item: a realistic title and summary per field.
type story struct {
	Title, Summary, Field string
	Type                  post.Type
}

func stories() []story {
	return []story{
		{"Phiên giao dịch việc làm thu hút hơn 1.200 lao động tham gia", "Phiên giao dịch việc làm định kỳ có 45 doanh nghiệp tuyển dụng, nhiều vị trí làm việc tại các khu công nghiệp trong tỉnh.", "lao-dong-viec-lam", post.TypeNews},
		{"Tư vấn, giới thiệu việc làm cho người lao động trở về từ nước ngoài", "Trung tâm tổ chức tư vấn chính sách, giới thiệu việc làm phù hợp cho lao động hết hạn hợp đồng trở về địa phương.", "lao-dong-viec-lam", post.TypeArticle},
		{"Khai giảng các lớp đào tạo nghề cho lao động nông thôn năm 2026", "Các lớp sơ cấp nghề may công nghiệp, điện dân dụng và kỹ thuật chăn nuôi được mở tại nhiều huyện miền núi.", "giao-duc-nghe-nghiep", post.TypeNews},
		{"Nâng cao chất lượng giáo dục nghề nghiệp gắn với nhu cầu doanh nghiệp", "Bài viết phân tích kinh nghiệm liên kết đào tạo giữa nhà trường và doanh nghiệp trên địa bàn tỉnh.", "giao-duc-nghe-nghiep", post.TypeInDepth},
		{"Hưởng ứng Tháng hành động về an toàn, vệ sinh lao động", "Nhiều hoạt động tuyên truyền, huấn luyện an toàn lao động được tổ chức tại các doanh nghiệp.", "an-toan-lao-dong", post.TypeNews},
		{"Hướng dẫn thực hiện chính sách tiền lương mới đối với người lao động", "Tổng hợp những điểm mới về mức lương tối thiểu vùng và trách nhiệm của người sử dụng lao động.", "tien-luong-bhxh", post.TypeArticle},
		{"Thăm, tặng quà gia đình chính sách nhân dịp kỷ niệm Ngày Thương binh – Liệt sĩ", "Lãnh đạo Sở đã đến thăm, tặng quà các gia đình thương binh, liệt sĩ và người có công tiêu biểu.", "nguoi-co-cong", post.TypePhoto},
		{"Rà soát, chi trả kịp thời chế độ ưu đãi người có công với cách mạng", "Việc chi trả trợ cấp được thực hiện đầy đủ, đúng đối tượng, không để xảy ra sai sót.", "nguoi-co-cong", post.TypeNews},
		{"Trao tặng xe lăn cho người khuyết tật có hoàn cảnh khó khăn", "Chương trình trao tặng 50 xe lăn cho người khuyết tật tại các xã đặc biệt khó khăn.", "bao-tro-xa-hoi", post.TypeNews},
		{"Chăm sóc, nuôi dưỡng đối tượng bảo trợ xã hội tại cơ sở", "Bài viết giới thiệu mô hình chăm sóc, phục hồi chức năng cho đối tượng đang được nuôi dưỡng.", "bao-tro-xa-hoi", post.TypeInDepth},
		{"Kết quả thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững", "Tỉ lệ hộ nghèo giảm 1,5% so với đầu năm; nhiều mô hình sinh kế được nhân rộng.", "giam-ngheo", post.TypeArticle},
		{"Tổ chức Tết Trung thu cho trẻ em có hoàn cảnh đặc biệt", "Hơn 300 suất quà được trao cho trẻ em mồ côi, trẻ em khuyết tật trên địa bàn.", "tre-em", post.TypePhoto},
		{"Ra quân Tháng hành động vì bình đẳng giới và phòng ngừa bạo lực trên cơ sở giới", "Lễ ra quân nhằm nâng cao nhận thức về bình đẳng giới trong cộng đồng.", "binh-dang-gioi", post.TypeNews},
		{"Tuyên truyền phòng, chống ma túy trong trường học", "Các buổi nói chuyện chuyên đề giúp học sinh nhận biết tác hại của ma túy và tệ nạn xã hội.", "phong-chong-te-nan", post.TypeNews},
	}
}

// itemsPlan is which tenants get demo items: the Department and most units.
func itemsPlan(ts map[string]*tenancy.Tenant) []*tenancy.Tenant {
	var out []*tenancy.Tenant
	for _, o := range Organisation() {
		t := ts[o.Slug]
		if t != nil && t.HasSite && o.Slug != "ban-quan-ly-nghia-trang" {
			out = append(out, t)
		}
	}
	return out
}

// SeedItems writes published items across the last eight weeks for most
// tenants with a site, plus a few drafts and returned items, through the
// real workflow (so revisions and transitions exist). now is the demo's
// "today".
func SeedItems(ctx context.Context, svc *post.Service, ts map[string]*tenancy.Tenant, now time.Time) (int, error) {
	everything := func(authz.Permission) bool { return true }
	authors, err := LoadAuthors(ctx, svc.DB)
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(2024, 8))
	all := stories()
	n := 0
	clock := now
	s := *svc
	s.Now = func() time.Time { return clock }
	for ti, t := range itemsPlan(ts) {
		count := 3 + rng.IntN(4)
		if t.Kind == tenancy.KindDepartment {
			count = 10
		}
		for i := 0; i < count; i++ {
			st := all[(ti*3+i)%len(all)]
			daysAgo := rng.IntN(56)
			clock = now.Add(-time.Duration(daysAgo)*24*time.Hour - time.Duration(rng.IntN(9))*time.Hour)
			event := clock.Add(-24 * time.Hour)
			in := post.Input{
				Title: st.Title, Summary: st.Summary, Type: st.Type, Fields: []string{st.Field},
				Body:      fmt.Sprintf("<p>%s</p><h2>Nội dung chính</h2><p>%s</p><p>Thông tin chi tiết xin liên hệ %s.</p>", st.Summary, demoParagraph(st.Field), t.Name),
				EventDate: &event, Byline: bylineFor(t),
			}
			if i%2 == 1 {
				in.Section = st.Field // the field's own section
			}
			writer := post.Actor{ID: authors[t.Slug].Writer, Can: everything}
			p, err := s.Create(ctx, t, writer, in)
			if err != nil {
				return n, fmt.Errorf("demo item for %s: %w", t.Slug, err)
			}
			steps := []post.TransitionInput{{To: post.StatusSubmitted}, {To: post.StatusApproved}, {To: post.StatusPublished}}
			switch {
			case i == count-1 && ti%3 == 0:
				steps = nil // a draft
			case i == count-2 && ti%4 == 1:
				steps = []post.TransitionInput{{To: post.StatusSubmitted}, {To: post.StatusReturned, Note: "Đề nghị bổ sung ảnh và số liệu cụ thể."}}
			}
			for _, step := range steps {
				clock = clock.Add(90 * time.Minute)
				actor := post.Actor{ID: authors[t.Slug].Chief, Can: everything}
				if step.To == post.StatusSubmitted {
					actor = writer
				}
				if _, err := s.Transition(ctx, t, actor, p.ID, step); err != nil {
					return n, fmt.Errorf("demo item %s: %s: %w", p.Slug, step.To, err)
				}
			}
			n++
		}
	}
	return n, nil
}

func bylineFor(t *tenancy.Tenant) string {
	if t.ShortName != "" {
		return "Ban Biên tập " + t.ShortName
	}
	return "Ban Biên tập"
}

func demoParagraph(field string) string {
	switch field {
	case "lao-dong-viec-lam", "giao-duc-nghe-nghiep":
		return "Thời gian tới, đơn vị tiếp tục phối hợp với các doanh nghiệp, cơ sở đào tạo để kết nối cung – cầu lao động, hỗ trợ người lao động tìm được việc làm ổn định."
	case "nguoi-co-cong":
		return "Đây là hoạt động thiết thực nhằm tri ân những người có công với cách mạng, thể hiện truyền thống “Uống nước nhớ nguồn” của dân tộc."
	default:
		return "Hoạt động nhận được sự quan tâm, hưởng ứng tích cực của các cấp, các ngành và nhân dân trên địa bàn tỉnh."
	}
}
