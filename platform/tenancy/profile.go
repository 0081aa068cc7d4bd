package tenancy

import (
	"time"

	"github.com/trangtin/trangtin/platform/vntext"
)

// Profile is what Decree 42/2022/NĐ-CP (Art. 4) asks a state agency's site
// to show about the agency: who governs it, who answers for the content,
// its licence and how to reach it. It is the contract's "Tenant profile"
// shape; dates are ISO (YYYY-MM-DD) in the API.
type Profile struct {
	GoverningBody     string `json:"governing_body"`
	ResponsiblePerson string `json:"responsible_person"`
	ResponsibleTitle  string `json:"responsible_title"`
	Licence           string `json:"licence"`
	LicenceDate       string `json:"licence_date"`
	Address           string `json:"address"`
	Phone             string `json:"phone"`
	Fax               string `json:"fax"`
	Email             string `json:"email"`
	Hotline           string `json:"hotline"`
	AddressEN         string `json:"address_en"`
	AboutEN           string `json:"about_en"`
}

// Profile returns the tenant's profile.
func (t *Tenant) Profile() Profile {
	p := Profile{
		GoverningBody: t.GoverningBody, ResponsiblePerson: t.ResponsiblePerson,
		ResponsibleTitle: t.ResponsibleTitle, Licence: t.LicenceNo,
		Address: t.Address, Phone: t.Phone, Fax: t.Fax, Email: t.Email, Hotline: t.Hotline,
		AddressEN: t.AddressEN, AboutEN: t.AboutEN,
	}
	if t.LicenceDate != nil {
		p.LicenceDate = t.LicenceDate.In(vntext.Location()).Format(time.DateOnly)
	}
	return p
}

// Requirement is one thing Decree 42 asks a site's profile to carry.
type Requirement struct {
	Field string // the profile field (API name)
	Label string // Vietnamese, for the board's checklist
}

// Missing lists what Decree 42 still needs from a site's profile: the
// person responsible for the content, the licence, the address, the phone
// and the e-mail. Tenants without a site owe nothing.
func (t *Tenant) Missing() []Requirement {
	if !t.HasSite {
		return nil
	}
	var out []Requirement
	check := func(ok bool, field, label string) {
		if !ok {
			out = append(out, Requirement{Field: field, Label: label})
		}
	}
	check(t.ResponsiblePerson != "", "responsible_person", "Người chịu trách nhiệm quản lý nội dung")
	check(t.LicenceNo != "" && t.LicenceDate != nil, "licence", "Số và ngày cấp giấy phép")
	check(t.Address != "", "address", "Địa chỉ liên hệ")
	check(t.Phone != "", "phone", "Số điện thoại")
	check(t.Email != "", "email", "Thư điện tử")
	return out
}

// Detail is one tenant as GET /api/v1/tenants/{slug} shows it: the list
// shape with the English name, the profile and what Decree 42 still needs.
type Detail struct {
	View
	NameEN  string   `json:"name_en"`
	Profile Profile  `json:"profile"`
	Missing []string `json:"missing"`
}

// Detail returns the detailed outside shape of t.
func (t *Tenant) Detail() Detail {
	d := Detail{View: t.View(), NameEN: t.NameEN, Profile: t.Profile(), Missing: []string{}}
	for _, r := range t.Missing() {
		d.Missing = append(d.Missing, r.Field)
	}
	return d
}
