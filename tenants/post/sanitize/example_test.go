package sanitize_test

import (
	"fmt"

	"github.com/trangtin/trangtin/tenants/post/sanitize"
)

func ExamplePolicy_Clean() {
	p := sanitize.New([]string{"/media/"})
	fmt.Print(p.Clean(`<h1>Tin <b>mới</b></h1>` +
		`<p class=MsoNormal style='mso-bidi-font-weight:normal'><span lang=VI>Xem&nbsp; ` +
		`<a href="https://molisa.gov.vn/" onclick="track()">Bộ LĐTBXH</a><o:p></o:p></span></p>` +
		`<p><img src="/media/2025/anh.jpg" alt="Ảnh"><img src="https://evil.example/x.png"></p>` +
		`<script>alert(1)</script>`))
	// Output:
	// <h2>Tin <strong>mới</strong></h2>
	// <p>Xem <a href="https://molisa.gov.vn/" rel="noopener noreferrer nofollow">Bộ LĐTBXH</a></p>
	// <p><img src="/media/2025/anh.jpg" alt="Ảnh"></p>
}

func ExamplePlainText() {
	fmt.Println(sanitize.PlainText("<h2>Tiêu đề</h2>\n<p>Đoạn <strong>một</strong>,\n  tiếp.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"))
	// Output:
	// Tiêu đề
	// Đoạn một, tiếp.
	// a
	// b
}

func ExampleImages() {
	fmt.Println(sanitize.Images(`<p><img src="/media/a.jpg"> <img src="/media/b.jpg"> <img src="/media/a.jpg"></p>`))
	// Output:
	// [/media/a.jpg /media/b.jpg]
}
