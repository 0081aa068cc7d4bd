package board

import (
	"context"
	"html/template"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// PageData is what the public "Ban Biên tập" page (template "site/board",
// URL /ban-bien-tap) receives: the tenant and navigation every public page
// has, and the board as the public may see it.
type PageData struct {
	Tenant *tenancy.Tenant
	Nav    tenancy.Nav
	Board  *Public
}

// Public is a board as its tenant's public site may show it: no account
// ids, and no e-mail or phone of a member who has not made them public.
type Public struct {
	// Decision is nil when the tenant has not recorded one.
	Decision *PublicDecision
	// Members are in board order: by position, then order, then name.
	Members []PublicMember
}

// PublicDecision is the decision that set up the board.
type PublicDecision struct {
	Number      string
	Date        time.Time
	SignerName  string
	SignerTitle string
}

// ISODate is the decision's day as yyyy-mm-dd, for a datetime attribute.
func (d PublicDecision) ISODate() string { return d.Date.UTC().Format(time.DateOnly) }

// PublicMember is one member as the public sees them.
type PublicMember struct {
	Name          string
	Position      Position
	PositionLabel string
	JobTitle      string
	Duties        string
	Sections      []SectionRef
	Fields        []FieldRef
	// Email and Phone are empty unless the member made them public.
	Email string
	Phone string
}

// DutyLines splits the written duties into their non-empty lines.
func (m PublicMember) DutyLines() []string {
	var out []string
	for _, l := range strings.Split(m.Duties, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// TelURL is a tel: link for Phone ("" without a phone). It is built from
// the number's digits and a leading plus only, so it is safe as a URL.
func (m PublicMember) TelURL() template.URL {
	var b strings.Builder
	for i, r := range m.Phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String()) // #nosec G203 -- digits and '+' only
}

// PublicGroup is the members holding one position.
type PublicGroup struct {
	Position Position
	Label    string
	Members  []PublicMember
}

// Groups returns the members grouped by position, in display order,
// leaving out positions nobody holds.
func (p *Public) Groups() []PublicGroup {
	var out []PublicGroup
	for _, m := range p.Members {
		if n := len(out); n > 0 && out[n-1].Position == m.Position {
			out[n-1].Members = append(out[n-1].Members, m)
			continue
		}
		out = append(out, PublicGroup{Position: m.Position, Label: m.PositionLabel, Members: []PublicMember{m}})
	}
	return out
}

// PublicView returns what the public page of a tenant's board may show.
func PublicView(ctx context.Context, idb bun.IDB, tenantID string) (*Public, error) {
	b, err := Get(ctx, idb, tenantID)
	if err != nil {
		return nil, err
	}
	return b.Public(), nil
}

// Public returns the part of b the public may see.
func (b *Board) Public() *Public {
	p := &Public{Members: make([]PublicMember, 0, len(b.Members))}
	if d := b.Decision; d != nil {
		p.Decision = &PublicDecision{Number: d.Number, Date: d.Date, SignerName: d.SignerName, SignerTitle: d.SignerTitle}
	}
	for _, m := range b.Members {
		pm := PublicMember{
			Name: m.Name, Position: m.Position, PositionLabel: m.Position.Label(),
			JobTitle: m.JobTitle, Duties: m.Duties,
			Sections: append([]SectionRef{}, m.Sections...),
			Fields:   append([]FieldRef{}, m.Fields...),
		}
		if m.ContactPublic {
			pm.Email, pm.Phone = m.Email, m.Phone
		}
		p.Members = append(p.Members, pm)
	}
	return p
}
