package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/document"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/question"
)

// demoDoc is one document of the Department.
type demoDoc struct {
	Title, Number, Issuer, Signer, Field, Section, File string
	Kind                                                document.Kind
	Issued                                              string // yyyy-mm-dd
	Effective, Expires                                  string
}

func documents() []demoDoc {
	const ubnd, so, bo = "UBND tỉnh Thanh Hóa", "Sở LĐTBXH Thanh Hóa", "Bộ Lao động – Thương binh và Xã hội"
	const lp, cd = "van-ban-phap-luat", "van-ban-chi-dao-dieu-hanh"
	return []demoDoc{
		{"Quyết định ban hành Kế hoạch giải quyết việc làm tỉnh Thanh Hóa năm 2026", "125/QĐ-UBND", ubnd, "Lê Đức Giang", "lao-dong-viec-lam", lp, "qd-125-ubnd", "quyet-dinh", "2026-01-15", "2026-01-15", ""},
		{"Thông tư hướng dẫn thực hiện mức lương cơ sở đối với người lao động", "07/2026/TT-BLĐTBXH", bo, "Đào Ngọc Dung", "tien-luong-bhxh", lp, "tt-07-2026", "thong-tu", "2026-03-02", "2026-04-15", ""},
		{"Nghị định quy định chi tiết một số điều của Luật Người cao tuổi", "20/2021/NĐ-CP", "Chính phủ", "Phạm Minh Chính", "bao-tro-xa-hoi", lp, "nd-20-2021", "nghi-dinh", "2021-03-15", "2021-07-01", ""},
		{"Quyết định về mức hỗ trợ đào tạo nghề cho lao động nông thôn giai đoạn 2021–2025", "38/2021/QĐ-UBND", ubnd, "Đỗ Minh Tuấn", "giao-duc-nghe-nghiep", lp, "qd-38-2021", "quyet-dinh", "2021-05-20", "2021-06-01", "2025-12-31"},
		{"Chỉ thị tăng cường công tác an toàn, vệ sinh lao động năm 2026", "04/CT-UBND", ubnd, "Lê Đức Giang", "an-toan-lao-dong", cd, "ct-04-ubnd", "chi-thi", "2026-02-10", "2026-02-10", ""},
		{"Kế hoạch tổ chức Tháng hành động vì trẻ em năm 2026", "88/KH-SLĐTBXH", so, "Nguyễn Văn Thi", "tre-em", cd, "kh-88-sldtbxh", "ke-hoach", "2026-04-25", "", ""},
		{"Công văn về việc chi trả trợ cấp ưu đãi người có công dịp Tết Nguyên đán", "2150/SLĐTBXH-NCC", so, "Nguyễn Văn Thi", "nguoi-co-cong", cd, "cv-2150-ncc", "cong-van", "2026-01-05", "", ""},
		{"Thông báo lịch tiếp công dân của Giám đốc Sở quý IV năm 2026", "312/TB-SLĐTBXH", so, "Nguyễn Văn Thi", "", cd, "tb-312-tiep-cong-dan", "thong-bao", "2026-09-28", "", ""},
		{"Báo cáo kết quả thực hiện chương trình mục tiêu quốc gia giảm nghèo bền vững 9 tháng", "415/BC-SLĐTBXH", so, "Lê Thị Hoa", "giam-ngheo", cd, "bc-415-giam-ngheo", "bao-cao", "2026-10-12", "", ""},
		{"Kế hoạch phòng, chống tệ nạn mại dâm giai đoạn 2021–2025", "190/KH-UBND", ubnd, "Đỗ Minh Tuấn", "phong-chong-te-nan", cd, "kh-190-ubnd", "ke-hoach", "2021-08-16", "2021-08-16", "2025-12-31"},
	}
}

func demoDay(s string) *time.Time {
	if s == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil
	}
	return &t
}

// SeedDocuments writes the Department's ten documents, each with a small
// PDF in its library, through the same workflow as any item (svc must have
// document.AfterWrite among its hooks). Two have expired.
func SeedDocuments(ctx context.Context, svc *post.Service, lib *media.Service, ts map[string]*tenancy.Tenant) (int, error) {
	t := ts[DepartmentSlug]
	// Credited to the Department's demo people, as its other items are.
	authors, err := LoadAuthors(ctx, svc.DB)
	if err != nil {
		return 0, err
	}
	all := func(authz.Permission) bool { return true }
	writer := post.Actor{ID: authors[DepartmentSlug].Writer, Can: all}
	chief := post.Actor{ID: authors[DepartmentSlug].Chief, Can: all}
	n := 0
	for _, d := range documents() {
		pdf := document.MinimalPDF(d.Number, "Demo - "+d.File, "Trangtin")
		m, err := lib.Upload(ctx, t.ID, writer.ID, d.File+".pdf", bytes.NewReader(pdf), "", d.Title)
		if err != nil {
			return n, fmt.Errorf("demo document file %s: %w", d.File, err)
		}
		fields := []string{"lao-dong-viec-lam"}
		if d.Field != "" {
			fields = []string{d.Field}
		}
		ids := []string{m.ID}
		in := post.Input{Title: d.Title, Summary: d.Title + ".", Type: post.TypeDocument, Section: d.Section, Fields: fields,
			Body: "<p>Toàn văn " + d.Number + " xem trong tệp đính kèm.</p>",
			Extension: &document.Input{Fields: &document.Fields{Number: d.Number, Kind: d.Kind, Issuer: d.Issuer, Signer: d.Signer,
				IssuedOn: demoDay(d.Issued), EffectiveOn: demoDay(d.Effective), ExpiresOn: demoDay(d.Expires)}, Attachments: &ids}}
		p, err := svc.Create(ctx, t, writer, in)
		if err != nil {
			return n, fmt.Errorf("demo document %s: %w", d.Number, err)
		}
		for _, to := range []post.Status{post.StatusSubmitted, post.StatusApproved, post.StatusPublished} {
			actor := chief
			if to == post.StatusSubmitted {
				actor = writer
			}
			if _, err := svc.Transition(ctx, t, actor, p.ID, post.TransitionInput{To: to}); err != nil {
				return n, fmt.Errorf("demo document %s: %s: %w", d.Number, to, err)
			}
		}
		n++
	}
	return n, nil
}

// SeedQuestions puts five citizens' questions to the Department: three
// answered and published, two waiting in the board's queue.
func SeedQuestions(ctx context.Context, bdb *bun.DB, ts map[string]*tenancy.Tenant) (int, error) {
	t := ts[DepartmentSlug]
	svc := &question.Service{DB: bdb, Key: []byte("demo")}
	authors, err := LoadAuthors(ctx, bdb)
	if err != nil {
		return 0, err
	}
	qs := []struct{ name, contact, field, text, answer string }{
		{"Nguyễn Thị Mai", "mai.nguyen@example.vn", "tien-luong-bhxh", "Tôi nghỉ việc từ tháng 9/2026, thời hạn nộp hồ sơ hưởng trợ cấp thất nghiệp là bao lâu?",
			"Theo Luật Việc làm, trong 03 tháng kể từ ngày chấm dứt hợp đồng lao động, người lao động nộp hồ sơ tại Trung tâm Dịch vụ việc làm nơi muốn nhận trợ cấp."},
		{"Lê Văn Hùng", "0912345001", "nguoi-co-cong", "Thân nhân liệt sĩ được hỗ trợ những gì khi đi thăm viếng mộ liệt sĩ?",
			"Thân nhân liệt sĩ được hỗ trợ tiền đi lại và tiền ăn khi thăm viếng mộ liệt sĩ mỗi năm một lần, theo Nghị định 131/2021/NĐ-CP; hồ sơ nộp tại UBND cấp xã."},
		{"Trần Minh Đức", "duc.tran@example.vn", "giao-duc-nghe-nghiep", "Lao động nông thôn học nghề trình độ sơ cấp có được hỗ trợ học phí không?",
			"Có. Lao động nông thôn thuộc đối tượng ưu tiên được hỗ trợ chi phí đào tạo trình độ sơ cấp theo Quyết định của UBND tỉnh; liên hệ Phòng Lao động – Việc làm – GDNN của Sở."},
		{"Phạm Thị Lan", "0987654002", "bao-tro-xa-hoi", "Người cao tuổi 75 tuổi ở thôn đặc biệt khó khăn có được hưởng trợ cấp xã hội hằng tháng không?", ""},
		{"Hoàng Văn Nam", "nam.hoang@example.vn", "an-toan-lao-dong", "Doanh nghiệp dưới 50 lao động có phải bố trí người làm công tác an toàn, vệ sinh lao động không?", ""},
	}
	for i, x := range qs {
		q, err := svc.Receive(ctx, t, question.Ask{Name: x.name, Contact: x.contact, Field: x.field, Question: x.text, IP: fmt.Sprintf("demo-%d", i)})
		if err != nil {
			return i, fmt.Errorf("demo question: %w", err)
		}
		if x.answer != "" {
			if _, err := svc.Answer(ctx, t, authors[DepartmentSlug].Chief, q.ID, x.answer, true); err != nil {
				return i, fmt.Errorf("demo answer: %w", err)
			}
		}
	}
	return len(qs), nil
}
