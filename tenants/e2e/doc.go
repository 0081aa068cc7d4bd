// Package e2e holds the end-to-end tests: each person's daily path through
// the console and the public sites, scripted in the system Chromium through
// chromedp against the whole platform (app.New over the test database of
// the current dialect, with the demo organisation loaded), with axe-core
// run inside every page visited.
//
// The package has no code of its own outside its tests. Run it with
//
//	go test ./tenants/e2e/
//
// It skips when no Chromium is found, except under CI=true where it fails.
// TRANGTIN_CHROMIUM names the browser binary; TRANGTIN_E2E_ARTIFACTS names
// a directory where a failing test leaves a screenshot and the page's HTML.
package e2e
