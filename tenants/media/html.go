package media

import (
	"context"
	"html/template"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
)

// DefaultSizes is the sizes attribute of an item's image: full width on
// phones, at most the 800-pixel text column elsewhere.
const DefaultSizes = "(max-width: 800px) 100vw, 800px"

// Image is what a public page needs to show an image responsively; its
// fields go straight into a template:
//
//	<img src="{{.Src}}" srcset="{{.SrcSet}}" sizes="{{.Sizes}}" width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}">
type Image struct {
	Src string
	// SrcSet is built by the platform from media ids, slugs of file names
	// and widths (see SrcSet), so it is typed as a srcset html/template
	// need not filter URL by URL.
	SrcSet  template.Srcset
	Sizes   string
	Width   int
	Height  int
	Alt     string
	Caption string
	Credit  string
}

// SrcSet is the srcset of an image: its renditions and the original, each
// with its width ("/media/<id>/r/320.jpg 320w, …, /media/<id>/a.jpg 2000w").
// It is empty for media that are not images.
func SrcSet(m *Media) string { return srcSet(m, m.Path()) }

// srcSet is SrcSet with the media's path already made: the path slugifies
// the file name, which NewImage would otherwise do twice per image.
// It is written into one buffer: a listing builds one per picture.
func srcSet(m *Media, path string) string {
	if m.Kind != KindImage {
		return ""
	}
	b := make([]byte, 0, len(m.Renditions)*(len(m.ID)+28)+len(path)+16)
	for _, r := range m.Renditions {
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = m.appendRenditionPath(b, r)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(r.Width), 10)
		b = append(b, 'w')
	}
	if m.Width > 0 {
		if len(b) > 0 {
			b = append(b, ", "...)
		}
		b = append(b, path...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(m.Width), 10)
		b = append(b, 'w')
	}
	return string(b)
}

// NewImage describes an image media for a template.
func NewImage(m *Media) *Image {
	path := m.Path()
	return &Image{Src: path, SrcSet: template.Srcset(srcSet(m, path)), Sizes: DefaultSizes, Width: m.Width, Height: m.Height,
		Alt: m.Alt, Caption: m.Caption, Credit: m.Credit}
}

// Attrs is the img attributes src, srcset and sizes (when the image has
// renditions), width and height, as the template
//
//	src="{{.Src}}"{{with .SrcSet}} srcset="{{.}}" sizes="SIZES"{{end}} width="{{.Width}}" height="{{.Height}}"
//
// writes them, for a page that shows many images: one template value per
// image instead of five, each with its reflective call and escaper. Every
// value is the platform's own (paths from media ids, file names through
// Slugify, widths), never user text; they are still HTML-escaped here.
func (im *Image) Attrs(sizes string) template.HTMLAttr {
	var b strings.Builder
	b.Grow(len(im.Src) + len(im.SrcSet) + len(sizes) + 64)
	b.WriteString(`src="`)
	b.WriteString(template.HTMLEscapeString(im.Src))
	if im.SrcSet != "" {
		b.WriteString(`" srcset="`)
		b.WriteString(template.HTMLEscapeString(string(im.SrcSet)))
		b.WriteString(`" sizes="`)
		b.WriteString(template.HTMLEscapeString(sizes))
	}
	b.WriteString(`" width="`)
	b.WriteString(strconv.Itoa(im.Width))
	b.WriteString(`" height="`)
	b.WriteString(strconv.Itoa(im.Height))
	b.WriteByte('"')
	return template.HTMLAttr(b.String()) // #nosec G203 -- platform-built values, escaped above
}

// LookupImage loads an image of the tenant for a page; errs NotFound when
// the media does not exist in that tenant or is not an image.
func LookupImage(ctx context.Context, idb bun.IDB, tenantID, mediaID string) (*Image, error) {
	m, err := Get(ctx, idb, tenantID, mediaID)
	if err != nil {
		return nil, err
	}
	if m.Kind != KindImage {
		return nil, errNotFound()
	}
	return NewImage(m), nil
}

// figureTemplate renders an Image as a figure; html/template escapes every
// value.
var figureTemplate = template.Must(template.New("figure").Parse(
	`<figure class="media-image"><img src="{{.Src}}"{{with .SrcSet}} srcset="{{.}}" sizes="{{$.Sizes}}"{{end}}` +
		` width="{{.Width}}" height="{{.Height}}" alt="{{.Alt}}" loading="lazy" decoding="async">` +
		`{{if or .Caption .Credit}}<figcaption>{{.Caption}}{{with .Credit}} <span class="credit">Ảnh: {{.}}</span>{{end}}</figcaption>{{end}}</figure>`))

// HTML renders the image as a <figure> with srcset, sizes, width, height
// (no layout shift), alt text, lazy loading, and the caption and credit.
func (im *Image) HTML() (template.HTML, error) {
	var b strings.Builder
	if err := figureTemplate.Execute(&b, im); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // #nosec G203 -- produced by html/template
}

// ImageHTML is LookupImage followed by HTML: the featured image of an item
// page in one call. An id that names no image of the tenant is errs
// NotFound; a page should then show no image rather than fail.
func ImageHTML(ctx context.Context, idb bun.IDB, tenantID, mediaID string) (template.HTML, error) {
	// Images reads the image and its renditions in one query (Get takes
	// two and every column).
	ims, err := Images(ctx, idb, tenantID, []string{mediaID})
	if err != nil {
		return "", err
	}
	im := ims[mediaID]
	if im == nil {
		return "", errNotFound()
	}
	return im.HTML()
}
