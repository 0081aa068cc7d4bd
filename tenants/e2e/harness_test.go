package e2e_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/demo"
)

//go:embed testdata/axe/axe.min.js
var axeSource string

// suite is the one browser every test of the binary shares: each person
// gets a tab in a browser context of their own (own cookies). skip says
// why there is none.
type suite struct {
	browser context.Context
	skip    string
}

// shared is set once by TestMain before any test runs, and only read after.
var shared suite

// chromiumFlags are the flags the system Chromium runs with: headless, no
// network of its own, every host name mapped to the loopback so that
// admin.localhost and <slug>.localhost reach the test server on its port.
var chromiumFlags = []chromedp.ExecAllocatorOption{
	chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-extensions", true),
	chromedp.Flag("disable-dev-shm-usage", true),
	chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
	chromedp.Flag("host-resolver-rules", "MAP * 127.0.0.1"),
	chromedp.Flag("lang", "vi-VN"),
	chromedp.WindowSize(1280, 900),
}

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	path := findChromium()
	if path == "" {
		msg := "no Chromium found: install it (apt-get install chromium) or set TRANGTIN_CHROMIUM"
		if os.Getenv("CI") == "true" {
			fmt.Fprintln(os.Stderr, "e2e: "+msg+"; CI=true requires the browser tests")
			return 1
		}
		shared.skip = msg
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "trangtin-e2e-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(dir)}, chromiumFlags...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// The first Run starts the browser; it lives as long as browser.
	if err := chromedp.Do(browser); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: start %s: %v\n", path, err)
		return 1
	}
	shared.browser = browser
	return m.Run()
}

// findChromium is TRANGTIN_CHROMIUM or the first browser on PATH.
func findChromium() string {
	if p := os.Getenv("TRANGTIN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// world is one fresh platform with the demo organisation, served on a free
// loopback port for the duration of a test.
type world struct {
	t    *testing.T
	app  *app.App
	cfg  config.Config
	port string
}

// newWorld builds the platform as `trangtin serve` does, on the test
// database of the current dialect, loads the demo and serves it. Tests
// that build a world run in parallel (each its own database, server and
// browser contexts; one browser for all).
func newWorld(t *testing.T) *world {
	t.Helper()
	if shared.browser == nil {
		t.Skip("browser tests skipped: " + shared.skip)
	}
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	built := apptest.New(t, apptest.Options{Log: log})
	a, cfg := built.App, built.Config
	start := time.Now()
	if _, err := app.NewDemoSeederFor(a, account.TestParams()).Run(ctx); err != nil {
		t.Fatalf("demo: %v", err)
	}
	t.Logf("demo loaded on %s in %v", dbtest.Dialect(), time.Since(start).Round(time.Millisecond))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	cfg.Addr = ln.Addr().String()
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = a.HTTP.Listener(ln) }()
	go func() { defer wg.Done(); a.RunWorkers(wctx) }()
	t.Cleanup(func() {
		stop()
		_ = a.HTTP.ShutdownWithTimeout(5 * time.Second)
		wg.Wait()
	})
	return &world{t: t, app: a, cfg: cfg, port: port}
}

// in is the world seen from a sub-test (people it opens belong to t).
func (w *world) in(t *testing.T) *world {
	c := *w
	c.t = t
	return &c
}

// console is the address of a console page.
func (w *world) console(path string) string {
	return "http://" + w.cfg.AdminHost + ":" + w.port + path
}

// site is the address of a page of a tenant's public site.
func (w *world) site(slug, path string) string {
	return "http://" + slug + "." + w.cfg.BaseDomain + ":" + w.port + path
}

// get fetches a page of a tenant's site once, outside the browser, and
// returns its status and body.
func (w *world) get(slug, path string) (int, string) {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+w.port+path, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Host = slug + "." + w.cfg.BaseDomain
	client := &http.Client{Timeout: 20 * time.Second}
	res, err := client.Do(req)
	if err != nil {
		w.t.Fatalf("GET %s%s: %v", req.Host, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatalf("GET %s%s: read: %v", req.Host, path, err)
	}
	return res.StatusCode, string(b)
}

// person is someone at a browser: a tab in a browser context of their own.
type person struct {
	t     *testing.T
	w     *world
	name  string
	ctx   context.Context
	pages []string // addresses visited, for the failure report
}

// visitor opens a fresh browser context (no cookies) for an anonymous
// reader.
func (w *world) visitor(name string) *person {
	w.t.Helper()
	ctx, cancel := chromedp.NewContext(shared.browser, chromedp.WithNewBrowserContext())
	p := &person{t: w.t, w: w, name: name, ctx: ctx}
	// Cleanups run last-in first-out: the artifacts are taken before the
	// tab closes.
	w.t.Cleanup(cancel)
	w.t.Cleanup(p.saveArtifacts)
	if err := chromedp.Do(ctx); err != nil {
		w.t.Fatalf("%s: open a tab: %v", name, err)
	}
	return p
}

// as signs a demo person in on the console's login page.
func (w *world) as(email string) *person {
	w.t.Helper()
	p := w.visitor(email)
	p.open(w.console("/login"))
	p.fill("#email", email)
	p.fill("#password", demo.Password)
	p.submit(`form[action="/login"] button[type="submit"]`)
	p.notSees("Đăng nhập")
	return p
}

// do runs browser actions with a bound on their time.
func (p *person) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %s on %s: %v", p.name, what, p.location(), err)
	}
}

// eval runs JavaScript in the page and decodes its result into out (nil
// ignores it). A promise is awaited.
func (p *person) eval(js string, out any) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 60*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: script on %s: %v\n%s", p.name, p.location(), err, js)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.t.Fatalf("%s: decode script result %s: %v", p.name, raw, err)
		}
	}
}

// location is the page's address, "" when the tab has none.
func (p *person) location() string {
	ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

// open navigates to an address and waits for the page to load.
func (p *person) open(url string) {
	p.t.Helper()
	p.pages = append(p.pages, url)
	p.do("open "+url, chromedp.Navigate(url))
}

// fill sets a form field's value (as typing would, firing input events).
func (p *person) fill(sel, value string) {
	p.t.Helper()
	p.do("fill "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), value))
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, sel)
	p.eval(js, nil)
}

// click clicks an element that does not leave the page.
func (p *person) click(sel string) {
	p.t.Helper()
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// submit clicks an element that loads a new page (a link, a form's
// button) and waits for that page.
func (p *person) submit(sel string) {
	p.t.Helper()
	p.eval(`window.__e2eOld = true`, nil)
	p.do("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	p.waitNewPage("after clicking " + sel)
}

// follow clicks the link (or button) whose text is exactly text and waits
// for the page it loads.
func (p *person) follow(text string) {
	p.t.Helper()
	xp := fmt.Sprintf(`//*[self::a or self::button][normalize-space()=%s]`, xpathLiteral(text))
	p.eval(`window.__e2eOld = true`, nil)
	p.do("follow "+text, chromedp.Click(chromedp.Search(xp), chromedp.NodeVisible))
	p.waitNewPage("after following " + text)
}

// waitNewPage waits until the tab holds a new, loaded document.
func (p *person) waitNewPage(what string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__e2eOld !== true && document.readyState === 'complete'`))
		cancel()
		if err == nil && done {
			p.pages = append(p.pages, p.location())
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("%s: no new page %s (still on %s)", p.name, what, p.location())
}

// text is what the page shows (innerText: hidden elements excluded).
func (p *person) text() string {
	p.t.Helper()
	var s string
	p.eval(`document.body ? document.body.innerText : ''`, &s)
	return s
}

// sees waits up to 5 s for each text to be shown on the page.
func (p *person) sees(texts ...string) {
	p.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		page := p.text()
		var missing []string
		for _, s := range texts {
			if !strings.Contains(page, s) {
				missing = append(missing, s)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %s does not show %q; it shows:\n%s", p.name, p.location(), missing, clip(page, 3000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// notSees checks no text is shown.
func (p *person) notSees(texts ...string) {
	p.t.Helper()
	page := p.text()
	for _, s := range texts {
		if strings.Contains(page, s) {
			p.t.Errorf("%s: %s shows %q; it shows:\n%s", p.name, p.location(), s, clip(page, 3000))
		}
	}
}

// imagesLoaded fails on any picture of the page that did not load
// (naturalWidth 0) and returns how many did.
func (p *person) imagesLoaded() int {
	p.t.Helper()
	loaded, broken := p.pictures()
	if len(broken) > 0 {
		p.t.Errorf("%s: %s has broken pictures: %q", p.name, p.location(), broken)
	}
	return loaded
}

// pictures waits for every picture of the page (lazy ones made eager) and
// counts those that loaded; broken lists the others.
func (p *person) pictures() (loaded int, broken []string) {
	p.t.Helper()
	p.eval(`(async () => {
	  const imgs = Array.from(document.images);
	  imgs.forEach(i => { if (i.loading === 'lazy') i.loading = 'eager'; });
	  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 5000); })));
	  return true;
	})()`, nil)
	var res struct {
		Loaded int
		Broken []string
	}
	p.eval(`(() => {
	  const imgs = Array.from(document.images);
	  return {Loaded: imgs.filter(i => i.naturalWidth > 0).length,
	          Broken: imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.currentSrc || i.src || i.outerHTML)};
	})()`, &res)
	return res.Loaded, res.Broken
}

// axeTags are the rules the pages must pass: WCAG 2.1 levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axe runs axe-core inside the page and fails on any WCAG 2.1 A/AA
// violation, listing each with the elements concerned.
func (p *person) axe() {
	p.t.Helper()
	if n, report := p.axeViolations(); n > 0 {
		p.t.Errorf("%s: axe finds %d WCAG 2.1 A/AA violation(s) on %s:%s", p.name, n, p.location(), report)
	}
}

// axeViolations runs axe-core in the page: how many rules it finds
// violated, and a readable list of them.
func (p *person) axeViolations() (int, string) {
	p.t.Helper()
	var loaded bool
	p.eval(`typeof window.axe === 'object'`, &loaded)
	if !loaded {
		p.eval(axeSource+"\n;true", nil)
	}
	tags, _ := json.Marshal(axeTags)
	var violations []struct {
		ID, Impact, Help string
		Nodes            []struct {
			Target  []any
			Summary string `json:"failureSummary"`
		}
	}
	p.eval(fmt.Sprintf(`axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']}).then(r => r.violations)`, tags), &violations)
	var b strings.Builder
	for _, v := range violations {
		fmt.Fprintf(&b, "\n  %s (%s): %s — %d element(s)", v.ID, v.Impact, v.Help, len(v.Nodes))
		for i, n := range v.Nodes {
			if i == 5 {
				fmt.Fprintf(&b, "\n      …")
				break
			}
			fmt.Fprintf(&b, "\n      %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
		}
	}
	return len(violations), b.String()
}

// visit opens a page, waits for the texts, and checks its pictures and
// its accessibility.
func (p *person) visit(url string, texts ...string) {
	p.t.Helper()
	p.open(url)
	if len(texts) > 0 {
		p.sees(texts...)
	}
	p.imagesLoaded()
	p.axe()
}

// viewport sets the size of the page (a phone is 390 wide).
func (p *person) viewport(width, height int64) {
	p.t.Helper()
	p.do("viewport", chromedp.EmulateViewport(width, height))
}

// fitsWidth fails when the page is wider than the viewport (a phone
// would scroll sideways), naming the widest elements that stick out.
func (p *person) fitsWidth() {
	p.t.Helper()
	var res struct {
		Viewport, Page int
		Culprits       []string
	}
	p.eval(`(() => {
	  const vw = document.documentElement.clientWidth;
	  const out = [];
	  for (const e of document.body.querySelectorAll('*')) {
	    const r = e.getBoundingClientRect();
	    if (r.right > vw + 1 && getComputedStyle(e).position !== 'absolute') {
	      let inScroll = false;
	      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
	        const ox = getComputedStyle(a).overflowX;
	        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { inScroll = true; break; }
	      }
	      if (!inScroll) out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' → ' + Math.round(r.right) + 'px');
	    }
	  }
	  return {Viewport: vw, Page: document.documentElement.scrollWidth, Culprits: out.slice(0, 8)};
	})()`, &res)
	if res.Page > res.Viewport {
		p.t.Errorf("%s: %s is %d px wide on a %d px screen; sticking out: %q", p.name, p.location(), res.Page, res.Viewport, res.Culprits)
	}
}

// printPDF prints the page as the browser's print dialog would, on A4.
func (p *person) printPDF() []byte {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		p.t.Fatalf("%s: print %s: %v", p.name, p.location(), err)
	}
	return pdf
}

// saveArtifacts keeps a screenshot and the HTML of the page a failed test
// ended on in $TRANGTIN_E2E_ARTIFACTS.
func (p *person) saveArtifacts() {
	dir := os.Getenv("TRANGTIN_E2E_ARTIFACTS")
	if !p.t.Failed() || dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Logf("artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, fileSafe(p.t.Name()+"-"+p.name))
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(base+".png", png, 0o644)
	} else {
		p.t.Logf("artifacts: screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err == nil {
		_ = os.WriteFile(base+".html", []byte(html), 0o644)
	}
	p.t.Logf("%s: pages visited %q; screenshot and HTML in %s.{png,html}", p.name, p.pages, base)
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func fileSafe(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// xpathLiteral quotes s for XPath 1.0 (which has no escapes).
func xpathLiteral(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, `'`) {
		return `'` + s + `'`
	}
	parts := strings.Split(s, `"`)
	return `concat("` + strings.Join(parts, `", '"', "`) + `")`
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
