// Package i18n is the message catalogue of the user interface: Vietnamese
// first, English as the second language. Templates call {{t .L "key"}}; a
// key missing from a language falls back to Vietnamese, then to the key, so
// a forgotten translation shows up plainly instead of breaking a page.
package i18n

// Lang is a user-interface language.
type Lang string

// The supported languages.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// Parse returns the language named by s, Vietnamese by default.
func Parse(s string) Lang {
	if s == string(EN) {
		return EN
	}
	return VI
}

// T translates key.
func (l Lang) T(key string) string {
	if m, ok := catalogue[key]; ok {
		if s, ok := m[l]; ok {
			return s
		}
		if s, ok := m[VI]; ok {
			return s
		}
	}
	return key
}

// Code is the value for the html lang attribute.
func (l Lang) Code() string { return string(l) }

// Has reports whether key is in the catalogue in both languages.
func Has(key string) bool {
	m, ok := catalogue[key]
	return ok && m[VI] != "" && m[EN] != ""
}

// Keys lists every key, for tests that check both languages are complete.
func Keys() []string {
	out := make([]string, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	return out
}
