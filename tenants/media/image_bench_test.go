package media

import "testing"

// BenchmarkImageRowAttrs builds a card's picture from its row as a listing
// does: the image with its renditions, then its img attributes. A home
// page does it for about fifty pictures.
func BenchmarkImageRowAttrs(b *testing.B) {
	r := ImageRow{ID: "01a2467f-8ef1-7441-b623-e61e65e3bb51", ObjectKey: "t/01a2467f/m/01a2467f.jpg", Name: "Ảnh hội nghị tổng kết năm 2026.jpg",
		Width: 1600, Height: 900, Alt: "Hội nghị", Renditions: "320 webp,640 webp,1024 webp"}
	b.ReportAllocs()
	for range b.N {
		_ = r.Image("t").Attrs(DefaultSizes)
	}
}
