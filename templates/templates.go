// Package templates embeds the HTML templates and static files of the public
// sites, the console and the error pages, so the binary carries everything
// it serves. platform/web parses them at start-up.
package templates

import "embed"

// FS holds layouts/, site/, console/, errors/ (HTML templates) and static/.
//
//go:embed layouts site console errors static
var FS embed.FS
