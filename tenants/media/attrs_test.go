package media

import (
	"html/template"
	"strings"
	"testing"
)

// TestImageAttrsAsTemplate: Attrs writes what the template it replaces
// wrote, so pages are byte for byte the same.
func TestImageAttrsAsTemplate(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(
		`<img src="{{.Src}}"{{with .SrcSet}} srcset="{{.}}" sizes="(max-width: 640px) 100vw, 320px"{{end}} width="{{.Width}}" height="{{.Height}}">`))
	attrs := template.Must(template.New("").Parse(`<img {{.}}>`))
	m := &Media{ID: "01hzx3k9v0", Name: "Ảnh Hội nghị (2025).JPG", Kind: KindImage, ObjectKey: "t/ab/cd12.jpg", Width: 1600, Height: 900,
		Renditions: []Rendition{{Width: 320, Format: "webp"}, {Width: 800, Format: "jpg"}}}
	bare := &Media{ID: "01hzx3k9v1", Name: "so-do.png", Kind: KindImage, ObjectKey: "t/ef/34.png", Width: 0, Height: 0}
	for _, im := range []*Image{NewImage(m), NewImage(bare)} {
		var want, got strings.Builder
		if err := tmpl.Execute(&want, im); err != nil {
			t.Fatal(err)
		}
		if err := attrs.Execute(&got, im.Attrs("(max-width: 640px) 100vw, 320px")); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("Attrs:\n got %s\nwant %s", got.String(), want.String())
		}
	}
}
