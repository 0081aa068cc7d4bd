package platform_test

import (
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
