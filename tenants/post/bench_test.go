package post_test

// Benchmarks of the two hot paths of the items issue: publishing (the
// status change and its transition record in one transaction) and the
// public item page.
//
//	go test -run '^$' -bench . -benchmem ./tenants/post/
//	TRANGTIN_TEST_DATABASE_URL=postgres://... go test -run '^$' -bench . -benchmem ./tenants/post/

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/tenants/post"
)

// copies inserts n approved copies of tmpl (with their fields) in bulk, so
// that setting up a large b.N does not take longer than the benchmark.
func copies(b *testing.B, f *fixture, tmpl *post.Post, n int) []string {
	b.Helper()
	ids := make([]string, 0, n)
	const batch = 500
	for start := 0; start < n; start += batch {
		var ps []post.Post
		var fs []post.Field
		for i := start; i < min(n, start+batch); i++ {
			p := *tmpl
			p.ID = db.NewID()
			p.Slug = fmt.Sprintf("%s-ban-sao-%d", tmpl.Slug, i)
			p.Status = post.StatusApproved
			ps = append(ps, p)
			for _, code := range tmpl.Fields {
				fs = append(fs, post.Field{TenantID: p.TenantID, PostID: p.ID, FieldCode: code})
			}
			ids = append(ids, p.ID)
		}
		if _, err := f.db.NewInsert().Model(&ps).Exec(f.ctx); err != nil {
			b.Fatalf("insert copies: %v", err)
		}
		if len(fs) > 0 {
			if _, err := f.db.NewInsert().Model(&fs).Exec(f.ctx); err != nil {
				b.Fatalf("insert fields: %v", err)
			}
		}
	}
	return ids
}

// BenchmarkPublish measures Service.Transition approved → published: the
// row lock, the permission checks, the update and the transition record,
// committed together.
func BenchmarkPublish(b *testing.B) {
	f := newFixture(b)
	tmpl := f.approved("alpha", goodInput("Bài mẫu để đo thời gian đăng bài"))
	ids := copies(b, f, tmpl, b.N)
	alpha, chief := f.T["alpha"], f.actor("alpha/chief")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p, err := f.a.Posts.Transition(f.ctx, alpha, chief, ids[i], post.TransitionInput{To: post.StatusPublished})
		if err != nil {
			b.Fatal(err)
		}
		if p.Status != post.StatusPublished {
			b.Fatalf("status %s", p.Status)
		}
	}
	b.StopTimer()
	n, err := f.db.NewSelect().Model((*post.Transition)(nil)).Where("tenant_id = ? AND to_status = ?", alpha.ID, post.StatusPublished).Count(f.ctx)
	if err != nil || int(n) != b.N {
		b.Fatalf("%d transitions to published after %d publishes (%v)", n, b.N, err)
	}
}

// sentences are the material of a realistic item body.
var sentences = []string{
	"Thực hiện Kế hoạch số 125/KH-UBND của Ủy ban nhân dân tỉnh về đào tạo nghề cho lao động nông thôn giai đoạn 2026 – 2030, Trung tâm đã phối hợp với chính quyền các xã tổ chức khảo sát nhu cầu học nghề của người dân.",
	"Kết quả khảo sát cho thấy phần lớn người lao động mong muốn được học các nghề gắn với sản xuất nông nghiệp, chế biến nông sản và dịch vụ du lịch cộng đồng.",
	"Các lớp học được tổ chức ngay tại thôn, xóm, thời gian học linh hoạt để người lao động vừa học vừa làm, không ảnh hưởng đến thu nhập của gia đình.",
	"Bên cạnh việc truyền đạt kiến thức chuyên môn, giáo viên còn hướng dẫn học viên cách tiếp cận nguồn vốn vay ưu đãi từ Ngân hàng Chính sách xã hội để phát triển sản xuất sau khi học nghề.",
	"Theo đánh giá của Sở Lao động – Thương binh và Xã hội, tỷ lệ học viên có việc làm hoặc tự tạo việc làm sau khi tốt nghiệp đạt trên 85%, cao hơn so với cùng kỳ năm trước.",
	"Nhiều mô hình sản xuất hiệu quả đã hình thành sau các lớp học nghề, góp phần nâng cao thu nhập và giảm nghèo bền vững tại địa phương.",
	"Trong thời gian tới, Trung tâm tiếp tục đổi mới nội dung, chương trình đào tạo, tăng cường thực hành và gắn kết chặt chẽ với doanh nghiệp để bảo đảm đầu ra cho học viên.",
	"Đồng thời, đơn vị kiến nghị các cấp, các ngành quan tâm đầu tư trang thiết bị dạy nghề và hỗ trợ kinh phí cho người học thuộc hộ nghèo, hộ cận nghèo và người khuyết tật.",
}

// longBody returns an item body of about words words: headings,
// paragraphs, a list, a figure and a table, as an editor writes them.
func longBody(words int) string {
	var b strings.Builder
	n, s := 0, 0
	for section := 1; n < words; section++ {
		fmt.Fprintf(&b, "<h2>Phần %d. Kết quả triển khai</h2>\n", section)
		for p := 0; p < 3 && n < words; p++ {
			b.WriteString("<p>")
			for k := 0; k < 3; k++ {
				sent := sentences[s%len(sentences)]
				s++
				b.WriteString(sent)
				b.WriteString(" ")
				n += len(strings.Fields(sent))
			}
			b.WriteString("</p>\n")
		}
		if section%2 == 0 {
			b.WriteString("<ul><li>Nghề trồng trọt và chăn nuôi: 120 học viên.</li><li>Nghề chế biến nông sản: 85 học viên.</li><li>Nghề du lịch cộng đồng: 40 học viên.</li></ul>\n")
			n += 24
		}
		if section%3 == 0 {
			fmt.Fprintf(&b, `<figure><img src="/media/anh-%d.jpg" alt="Lớp học nghề số %d"><figcaption>Học viên thực hành tại lớp số %d</figcaption></figure>`+"\n", section, section, section)
			b.WriteString("<table><thead><tr><th>Nghề</th><th>Số lớp</th><th>Học viên</th></tr></thead><tbody><tr><td>Trồng trọt</td><td>4</td><td>120</td></tr><tr><td>Chế biến</td><td>3</td><td>85</td></tr></tbody></table>\n")
		}
	}
	return b.String()
}

// BenchmarkItemPage measures GET /bai-viet/<slug> of a published item with
// a 1,500-word body: host dispatch, tenant lookup, the item and section
// queries, and the template.
func BenchmarkItemPage(b *testing.B) {
	f := newFixture(b)
	in := goodInput("Kết quả đào tạo nghề cho lao động nông thôn năm 2026")
	in.Body = longBody(1500)
	in.Fields = []string{"giao-duc-nghe-nghiep", "lao-dong-viec-lam", "giam-ngheo"}
	p := f.published("alpha", in)
	if words := len(strings.Fields(p.Body)); words < 1500 {
		b.Fatalf("body has %d words", words)
	}
	path := "/bai-viet/" + p.Slug

	b.Run("handler", func(b *testing.B) {
		// The fasthttp handler the server runs, without a network.
		h := f.a.HTTP.Server().Handler
		var req fasthttp.Request
		req.Header.SetMethod(fasthttp.MethodGet)
		req.SetRequestURI(path)
		req.Header.SetHost("alpha.localhost")
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, nil, nil)
		h(&ctx)
		if ctx.Response.StatusCode() != http.StatusOK || !strings.Contains(string(ctx.Response.Body()), "Phần 3. Kết quả triển khai") {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
		size := len(ctx.Response.Body())
		b.SetBytes(int64(size))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var ctx fasthttp.RequestCtx
			ctx.Init(&req, nil, nil)
			h(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("status %d", ctx.Response.StatusCode())
			}
		}
	})
	b.Run("app.Test", func(b *testing.B) {
		// Through net/http request conversion, as the HTTP tests call it.
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Host = "alpha.localhost"
			req.RequestURI = ""
			res, err := f.a.HTTP.Test(req, -1)
			if err != nil {
				b.Fatal(err)
			}
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
			_ = res.Body.Close()
		}
	})
}
