package lint

import (
	"fmt"
	"strings"
	"testing"
)

// article builds a clean Vietnamese article of about the given number of
// words: paragraphs, headings, a list, figures with captions, links and
// dates in house style, tone marks in one style.
func article(words int) Doc {
	sentences := []string{
		"Sáng ngày 05/04/2019, Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hoá tổ chức hội nghị tổng kết công tác năm 2018 và triển khai nhiệm vụ năm 2019.",
		"Trong năm qua, toàn tỉnh đã giải quyết việc làm cho hơn 65.000 lao động, trong đó xuất khẩu lao động đạt 10.500 người, vượt 8% kế hoạch.",
		"Công tác giáo dục nghề nghiệp có nhiều chuyển biến tích cực, tỷ lệ lao động qua đào tạo đạt 62,5%.",
		"Các chính sách ưu đãi người có công với cách mạng được thực hiện đầy đủ, kịp thời, đúng đối tượng; không để xảy ra sai sót.",
		"Phát biểu tại hội nghị, Giám đốc Sở nhấn mạnh: “Năm 2019, ngành tiếp tục tập trung giảm nghèo bền vững, chăm lo trẻ em và bình đẳng giới.”",
		"Tỷ lệ hộ nghèo giảm còn 2,5%, thấp hơn mục tiêu Nghị quyết Đại hội Đảng bộ tỉnh đề ra (3%).",
		"Công tác bảo trợ xã hội được quan tâm, hơn 120.000 đối tượng được hưởng trợ cấp hằng tháng theo Nghị định số 136/2013/NĐ-CP.",
		"Phòng, chống tệ nạn xã hội gắn với xây dựng đời sống văn hoá ở khu dân cư, góp phần giữ vững an ninh, trật tự.",
		"Hội nghị đã khen thưởng 25 tập thể và 40 cá nhân có thành tích xuất sắc, đồng thời ký kết giao ước thi đua năm 2019.",
		"Người lao động được hỗ trợ học nghề, tìm việc làm và vay vốn ưu đãi từ Quỹ quốc gia về việc làm để khởi nghiệp, hoà nhập cộng đồng.",
	}
	var b strings.Builder
	n, i := 0, 0
	for n < words {
		switch {
		case i%40 == 39:
			fmt.Fprintf(&b, `<figure><img src="/media/2019/04/hoi-nghi-%d.jpg" alt="Quang cảnh hội nghị"><figcaption>Quang cảnh hội nghị (ảnh %d).</figcaption></figure>`, i, i)
		case i%25 == 24:
			b.WriteString(`<ul><li>Giải quyết việc làm: 65.000 lao động;</li><li>Đào tạo nghề: 52.000 người.</li></ul>`)
		case i%15 == 14:
			fmt.Fprintf(&b, `<h2>Phần %d: Nhiệm vụ trọng tâm</h2>`, i/15+1)
		}
		b.WriteString("<p>")
		for k := 0; k < 4; k++ {
			s := sentences[(i+k)%len(sentences)]
			if k > 0 {
				b.WriteByte(' ')
			}
			if (i+k)%17 == 0 {
				s += ` Xem thêm <a href="/tin-tuc/hoi-nghi-tong-ket" rel="noopener">tin liên quan</a>.`
			}
			b.WriteString(s)
			n += len(strings.Fields(s))
		}
		b.WriteString("</p>\n")
		i++
	}
	return Doc{
		Title:    "Thanh Hoá: Tổng kết công tác lao động, người có công và xã hội năm 2018",
		Summary:  "Năm 2018, toàn tỉnh giải quyết việc làm cho hơn 65.000 lao động, tỷ lệ hộ nghèo giảm còn 2,5%; các chính sách an sinh xã hội được thực hiện đầy đủ, kịp thời.",
		BodyHTML: b.String(),
	}
}

func BenchmarkRun(b *testing.B) {
	doc := article(5000)
	words := len(strings.Fields(BodyText(doc.BodyHTML)))
	b.SetBytes(int64(len(doc.BodyHTML)))
	b.ReportAllocs()
	for b.Loop() {
		if fs := Run(doc, nil); len(fs) != 0 {
			b.Fatalf("clean article has %d findings", len(fs))
		}
	}
	b.ReportMetric(float64(words), "words")
}

// BenchmarkRunLegacy measures the worst common case: a long TCVN3 paste.
func BenchmarkRunLegacy(b *testing.B) {
	doc := article(5000)
	doc.BodyHTML = encodeTCVN3(b, doc.BodyHTML)
	b.SetBytes(int64(len(doc.BodyHTML)))
	b.ReportAllocs()
	for b.Loop() {
		if !Blocking(Run(doc, nil)) {
			b.Fatal("TCVN3 paste not reported")
		}
	}
}
