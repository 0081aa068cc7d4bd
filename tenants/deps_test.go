package tenants_test

import (
	"os/exec"
	"strings"
	"testing"
)

func TestFeaturesImportOnlyLowerLayers(t *testing.T) {
	// layer places every feature package of tenants/ (CONTRIBUTING.md): a
	// package imports only features of a lower layer, never a sibling of its
	// own layer or one built on it. The compiler only forbids cycles; this
	// keeps post from growing an import of crosspost the day crosspost
	// stops importing post. A new package must be given its layer here.
	layer := map[string]int{
		"post/lint": 0, "post/sanitize": 0, "board": 0, "media": 0, "provision": 0, "question": 0,
		"post":      1,
		"crosspost": 2, "document": 2, "console": 2, "site": 2, "transfer": 2, "api": 2,
		"quota": 3, // its pages hang in the console's layout
		"demo":  4,
		"app":   5,               // wires them all
		"e2e":   6, "apptest": 6, // builds the whole app for tests
	}
	const prefix = "github.com/trangtin/trangtin/tenants/"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		pkg, ok := strings.CutPrefix(f[0], prefix)
		if !ok {
			continue // this test's own package
		}
		own, ok := layer[pkg]
		if !ok {
			t.Errorf("tenants/%s has no layer in TestFeaturesImportOnlyLowerLayers", pkg)
			continue
		}
		seen++
		for _, imp := range f[1:] {
			dep, ok := strings.CutPrefix(imp, prefix)
			if !ok {
				continue
			}
			if l, known := layer[dep]; known && l >= own {
				t.Errorf("tenants/%s (layer %d) imports tenants/%s (layer %d): a feature imports only lower layers", pkg, own, dep, l)
			}
		}
	}
	if seen < len(layer)/2 {
		t.Errorf("go list named only %d feature packages; the parsing is wrong", seen)
	}
}
