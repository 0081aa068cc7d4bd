package site

import (
	"context"
	"fmt"
	"html/template"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/media"
)

// Audit actions of the agency pages.
const (
	ActionSettingsChanged = "site.settings"
	ActionLeaderAdded     = "site.leader_add"
	ActionLeaderRemoved   = "site.leader_remove"
)

// Settings is what a board writes about its agency beyond the Decree 42
// profile (which stays on the tenant): the functions and duties shown on
// /gioi-thieu and, in English, on /en, and the order of the home page's
// section blocks (section slugs, comma separated; sections not named
// follow in their own order).
type Settings struct {
	bun.BaseModel `bun:"table:site_settings"`

	TenantID   string    `bun:"tenant_id,pk"`
	About      string    `bun:"about"`
	AboutEN    string    `bun:"about_en"`
	BlockOrder string    `bun:"block_order"`
	UpdatedAt  time.Time `bun:"updated_at"`
	UpdatedBy  string    `bun:"updated_by"`
}

// Paragraphs splits a multi-line text into its non-empty paragraphs.
func Paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Order returns the block order as a list of section slugs.
func (s *Settings) Order() []string {
	var out []string
	for _, v := range strings.Split(s.BlockOrder, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// Leader is one of the agency's leaders on /co-cau-to-chuc and /en.
type Leader struct {
	bun.BaseModel `bun:"table:site_leaders,alias:l"`

	TenantID     string    `bun:"tenant_id,pk"`
	ID           string    `bun:"id,pk"`
	Position     int       `bun:"position"`
	Name         string    `bun:"name"`
	Title        string    `bun:"title"`
	TitleEN      string    `bun:"title_en"`
	Phone        string    `bun:"phone"`
	Email        string    `bun:"email"`
	PhotoMediaID *string   `bun:"photo_media_id"`
	CreatedAt    time.Time `bun:"created_at"`

	// Photo is the leader's picture for a page (filled by the handler).
	Photo *media.Image `bun:"-"`
}

// TelURL is the tel: link of the leader's phone, built from its digits
// and a leading plus only, so it is safe as a URL.
func (l *Leader) TelURL() template.URL { return template.URL(telURL(l.Phone)) } // #nosec G203 -- digits and '+' only

func telURL(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if unicode.IsDigit(r) || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return "tel:" + b.String()
}

// SettingsOf loads a tenant's settings; a tenant that never saved any
// gets empty ones.
func SettingsOf(ctx context.Context, idb bun.IDB, tenantID string) (*Settings, error) {
	// The home page reads them: a fixed statement (db.Select).
	var ss []*Settings
	err := db.Select(ctx, idb, &ss, "SELECT tenant_id, about, about_en, block_order, updated_at, updated_by"+
		" FROM site_settings WHERE tenant_id = ?", tenantID)
	if err != nil {
		return nil, fmt.Errorf("load site settings: %w", err)
	}
	if len(ss) == 0 {
		return &Settings{TenantID: tenantID}, nil
	}
	return ss[0], nil
}

// Leaders lists a tenant's leaders in their order.
func Leaders(ctx context.Context, idb bun.IDB, tenantID string) ([]*Leader, error) {
	var ls []*Leader
	if err := idb.NewSelect().Model(&ls).Where("l.tenant_id = ?", tenantID).Order("l.position", "l.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list leaders: %w", err)
	}
	return ls, nil
}

// Agency changes the agency pages' data: each call checks its input,
// writes in one transaction and records one audit event.
type Agency struct {
	DB  bun.IDB
	Now func() time.Time
}

func (a *Agency) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

// SettingsInput is what the console's form sends; nil keeps a value.
type SettingsInput struct {
	About      *string
	AboutEN    *string
	BlockOrder []string
}

// SaveSettings stores in for tenantID by actorID from ip.
func (a *Agency) SaveSettings(ctx context.Context, tenantID, actorID, ip string, in SettingsInput) (*Settings, error) {
	var out *Settings
	err := db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		s, err := SettingsOf(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if in.About != nil {
			if s.About, err = cleanText(*in.About, "about", "Chức năng, nhiệm vụ", 20000, true); err != nil {
				return err
			}
		}
		if in.AboutEN != nil {
			if s.AboutEN, err = cleanText(*in.AboutEN, "about_en", "Functions and duties (English)", 20000, true); err != nil {
				return err
			}
		}
		if in.BlockOrder != nil {
			var slugs []string
			for _, v := range in.BlockOrder {
				v = strings.TrimSpace(v)
				if v == "" {
					continue
				}
				if len(v) > 100 || strings.ContainsAny(v, ", ") {
					return errs.Invalid("block_order", "bad_slug", "Thứ tự khối chuyên mục không hợp lệ")
				}
				slugs = append(slugs, v)
			}
			s.BlockOrder = strings.Join(slugs, ",")
		}
		s.UpdatedAt, s.UpdatedBy = a.now(), actorID
		if _, err := tx.NewInsert().Model(s).On("CONFLICT (tenant_id) DO UPDATE").
			Set("about = EXCLUDED.about, about_en = EXCLUDED.about_en, block_order = EXCLUDED.block_order, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by").
			Exec(ctx); err != nil {
			return fmt.Errorf("save site settings: %w", err)
		}
		out = s
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSettingsChanged, IP: ip})
	})
	return out, err
}

// LeaderInput is one leader as the console's form sends it.
type LeaderInput struct {
	Name, Title, TitleEN, Phone, Email, PhotoMediaID string
	Position                                         int
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 ().\-]{3,30}$`)

// AddLeader adds a leader to tenantID's organisation page.
func (a *Agency) AddLeader(ctx context.Context, tenantID, actorID, ip string, in LeaderInput) (*Leader, error) {
	l := &Leader{TenantID: tenantID, ID: db.NewID(), Position: in.Position, CreatedAt: a.now()}
	var err error
	for _, f := range []struct {
		in, field, label string
		max              int
		dst              *string
	}{
		{in.Name, "name", "Họ và tên", 120, &l.Name},
		{in.Title, "title", "Chức vụ", 120, &l.Title},
		{in.TitleEN, "title_en", "Chức vụ (tiếng Anh)", 120, &l.TitleEN},
		{in.Phone, "phone", "Điện thoại", 30, &l.Phone},
		{in.Email, "email", "Thư điện tử", 254, &l.Email},
	} {
		if *f.dst, err = cleanText(f.in, f.field, f.label, f.max, false); err != nil {
			return nil, err
		}
	}
	if l.Name == "" {
		return nil, errs.Invalid("name", "name_required", "Cần nhập họ và tên")
	}
	if l.Phone != "" && !phonePattern.MatchString(l.Phone) {
		return nil, errs.Invalid("phone", "format", "Điện thoại chỉ gồm chữ số, khoảng trắng, dấu chấm, gạch ngang, ngoặc và dấu + ở đầu")
	}
	if l.Email != "" {
		if m, err := mail.ParseAddress(l.Email); err != nil || m.Address != l.Email {
			return nil, errs.Invalid("email", "format", "Địa chỉ thư điện tử không hợp lệ")
		}
	}
	if id := strings.TrimSpace(in.PhotoMediaID); id != "" {
		if _, err := media.LookupImage(ctx, a.DB, tenantID, id); err != nil {
			return nil, errs.Invalid("photo_media_id", "photo_not_found", "Không tìm thấy ảnh này trong thư viện của đơn vị")
		}
		l.PhotoMediaID = &id
	}
	err = db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return fmt.Errorf("add leader: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionLeaderAdded, Subject: l.Name, IP: ip})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// RemoveLeader removes leader id of tenantID.
func (a *Agency) RemoveLeader(ctx context.Context, tenantID, actorID, ip, id string) error {
	return db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*Leader)(nil)).Where("tenant_id = ? AND id = ?", tenantID, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove leader: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NotFound("leader_not_found", "Không tìm thấy lãnh đạo này")
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionLeaderRemoved, Subject: id, IP: ip})
	})
}

// cleanText trims and NFC-normalises v, collapses the spaces of one-line
// values, and refuses control characters and overlong values.
func cleanText(v, field, label string, limit int, multi bool) (string, error) {
	v = strings.TrimSpace(vntext.NFC(v))
	if multi {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	} else {
		v = strings.Join(strings.Fields(v), " ")
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(multi && r == '\n') {
			return "", errs.Invalid(field, "control_character", label+" chứa ký tự điều khiển không hợp lệ")
		}
	}
	if n := len([]rune(v)); n > limit {
		return "", errs.Invalid(field, "too_long", fmt.Sprintf("%s dài quá %d ký tự", label, limit))
	}
	return v, nil
}

// ActionLogoChanged is the audit action of a new site logo.
const ActionLogoChanged = "site.logo"

// SetLogo makes an image of the tenant's library its logo (the masthead
// and the favicon), or removes the logo when mediaID is empty. Every
// process serves the change within a second (the tenants counter).
func (a *Agency) SetLogo(ctx context.Context, tenantID, actorID, ip, mediaID string) error {
	logo := ""
	if mediaID = strings.TrimSpace(mediaID); mediaID != "" {
		im, err := media.LookupImage(ctx, a.DB, tenantID, mediaID)
		if err != nil {
			return errs.Invalid("logo_media_id", "logo_not_found", "Không tìm thấy ảnh này trong thư viện của đơn vị")
		}
		logo = im.Src
	}
	return db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Table("tenants").Set("logo_url = ?", logo).Set("updated_at = ?", a.now()).
			Where("id = ?", tenantID).Exec(ctx); err != nil {
			return fmt.Errorf("set logo: %w", err)
		}
		if err := tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionLogoChanged, Subject: mediaID, IP: ip})
	})
}
