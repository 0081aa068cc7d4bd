package platform_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestPlatformDoesNotImportFeatures keeps the dependency direction of
// CONTRIBUTING.md: infrastructure never depends on tenants/ or cmd/.
func TestPlatformDoesNotImportFeatures(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/trangtin/trangtin/platform/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/trangtin/trangtin/tenants") || strings.HasPrefix(pkg, "github.com/trangtin/trangtin/cmd") {
			t.Errorf("platform depends on %s", pkg)
		}
	}
}

// TestModulesAreAllowed keeps go.mod to the allow-list of CONTRIBUTING.md,
// and every allowed module explained in the README's dependency table.
func TestModulesAreAllowed(t *testing.T) {
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	contributing, err := os.ReadFile("../CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, allowed, ok := strings.Cut(string(contributing), "Allowed:")
	if !ok {
		t.Fatal("CONTRIBUTING.md has no \"Allowed:\" list")
	}
	allowed, _, _ = strings.Cut(allowed, "\n\n")
	direct := 0
	for _, line := range strings.Split(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 || !strings.Contains(f[0], ".") || strings.Contains(line, "// indirect") || f[0] == "module" || f[0] == "go" {
			continue
		}
		direct++
		if !strings.Contains(allowed, "`"+f[0]+"`") {
			t.Errorf("go.mod requires %s, which CONTRIBUTING.md does not allow", f[0])
		}
		if !strings.Contains(string(readme), "`"+f[0]+"`") {
			t.Errorf("the README's dependency table does not explain %s", f[0])
		}
	}
	if direct < 10 {
		t.Errorf("found only %d direct requirements in go.mod; the parsing is wrong", direct)
	}
}
