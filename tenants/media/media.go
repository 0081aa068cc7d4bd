package media

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/vntext"
)

// Kind groups media by what a page does with them.
type Kind string

// The kinds of media.
const (
	KindImage    Kind = "image"
	KindDocument Kind = "document"
	KindVideo    Kind = "video"
)

// Kinds lists every kind in display order.
func Kinds() []Kind { return []Kind{KindImage, KindDocument, KindVideo} }

// Label is the Vietnamese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindImage:
		return "Ảnh"
	case KindDocument:
		return "Tài liệu"
	case KindVideo:
		return "Video"
	}
	return string(k)
}

// Media is one file of a tenant's library. Its object never changes once
// stored: editing changes only the descriptive fields.
type Media struct {
	bun.BaseModel `bun:"table:media,alias:m"`

	TenantID    string `bun:"tenant_id,pk"`
	ID          string `bun:"id,pk"`
	Kind        Kind   `bun:"kind"`
	ContentType string `bun:"content_type"`
	Size        int64  `bun:"size"`
	SHA256      string `bun:"sha256"`
	ObjectKey   string `bun:"object_key"`
	// Name is the uploaded file's name, cleaned for display. It is never
	// used as a path: keys come from the content hash.
	Name      string    `bun:"name"`
	Width     int       `bun:"width"`
	Height    int       `bun:"height"`
	Alt       string    `bun:"alt"`
	Caption   string    `bun:"caption"`
	Credit    string    `bun:"credit"`
	CreatedBy string    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`

	// Renditions are the resized copies, smallest first (filled by Get
	// and List).
	Renditions []Rendition `bun:"-"`
}

// Rendition is a resized copy of an image.
type Rendition struct {
	bun.BaseModel `bun:"table:media_renditions,alias:r"`

	TenantID  string    `bun:"tenant_id,pk"`
	MediaID   string    `bun:"media_id,pk"`
	Width     int       `bun:"width,pk"`
	Height    int       `bun:"height"`
	Format    string    `bun:"format"` // file extension: jpg, png, gif
	ObjectKey string    `bun:"object_key"`
	Size      int64     `bun:"size"`
	CreatedAt time.Time `bun:"created_at"`
}

// Ext is the file extension of the stored object ("jpg", "pdf", …).
func (m *Media) Ext() string {
	if i := strings.LastIndexByte(m.ObjectKey, '.'); i >= 0 {
		return m.ObjectKey[i+1:]
	}
	return "bin"
}

// FileName is the last segment of the media's public path: the display
// name made ASCII and safe, with the extension of the detected type.
func (m *Media) FileName() string {
	base := cleanName(m.Name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	slug := vntext.Slugify(base, 60)
	if slug == "" {
		slug = string(m.Kind)
	}
	return slug + "." + m.Ext()
}

// DownloadName is the display name with the extension of the detected
// type, for a browser saving the file.
func (m *Media) DownloadName() string {
	base := cleanName(m.Name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base + "." + m.Ext()
}

// Path is the media's address on its tenant's site ("/media/<id>/<file>"),
// what an item's body or featured image refers to.
func (m *Media) Path() string { return "/media/" + m.ID + "/" + m.FileName() }

// RenditionPath is the address of the rendition of width w.
func (m *Media) RenditionPath(r Rendition) string {
	return string(m.appendRenditionPath(make([]byte, 0, len(m.ID)+24), r))
}

// appendRenditionPath appends RenditionPath(r) to b.
func (m *Media) appendRenditionPath(b []byte, r Rendition) []byte {
	b = append(b, "/media/"...)
	b = append(b, m.ID...)
	b = append(b, "/r/"...)
	b = strconv.AppendInt(b, int64(r.Width), 10)
	b = append(b, '.')
	return append(b, r.Format...)
}

// Download reports whether browsers must save the file rather than show it
// (documents: PDF, DOCX, XLSX).
func (m *Media) Download() bool { return m.Kind == KindDocument }

// cleanName turns a client-supplied file name into a display name: the
// last path element, without control or format characters, NFC, at most
// 200 characters. It is only ever shown, never used as a path.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, vntext.NFC(name))
	name = strings.TrimSpace(strings.Trim(name, "."))
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" {
		name = "tep-tai-len"
	}
	return name
}

// cleanText normalises a descriptive field (alt, caption, credit): NFC,
// no control characters but newlines, trimmed, at most max runes.
func cleanText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, vntext.NFC(s))
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max]))
	}
	return s
}
