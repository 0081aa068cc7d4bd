// Package chartcheck renders the Helm chart with `helm template` and decodes
// every manifest strictly into the Kubernetes API types, so a typo in a
// field name or a wrong type fails CI without a cluster. It is a module of
// its own to keep the Kubernetes modules out of the platform's go.mod.
package chartcheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// helm finds the helm binary: $HELM, then PATH, then $GOPATH/bin.
func helm(t *testing.T) string {
	t.Helper()
	if h := os.Getenv("HELM"); h != "" {
		return h
	}
	if p, err := exec.LookPath("helm"); err == nil {
		return p
	}
	gopath, _ := exec.Command("go", "env", "GOPATH").Output()
	p := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "helm")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("helm not found (CI installs it with go install helm.sh/helm/v3/cmd/helm@v3.22.0)")
	}
	t.Skip("helm not installed")
	return ""
}

func render(t *testing.T, values ...string) [][]byte {
	t.Helper()
	args := []string{"template", "rel", "../trangtin", "--namespace", "trangtin", "--kube-version", "1.30.0"}
	for _, v := range values {
		args = append(args, "-f", v)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(helm(t), args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("helm template %v: %v\n%s", values, err, stderr.String())
	}
	var docs [][]byte
	for _, d := range strings.Split(out.String(), "\n---") {
		if strings.TrimSpace(stripComments(d)) != "" {
			docs = append(docs, []byte(d))
		}
	}
	return docs
}

func stripComments(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// decoded is every rendered object, decoded strictly by kind.
type decoded struct {
	deployments []appsv1.Deployment
	jobs        []batchv1.Job
	kinds       map[string]int
}

func decodeAll(t *testing.T, docs [][]byte) decoded {
	t.Helper()
	d := decoded{kinds: map[string]int{}}
	for _, doc := range docs {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatalf("not YAML: %v\n%s", err, doc)
		}
		d.kinds[meta.Kind]++
		var target any
		switch meta.Kind {
		case "Deployment":
			target = &appsv1.Deployment{}
		case "Job":
			target = &batchv1.Job{}
		case "Service":
			target = &corev1.Service{}
		case "ConfigMap":
			target = &corev1.ConfigMap{}
		case "Secret":
			target = &corev1.Secret{}
		case "ServiceAccount":
			target = &corev1.ServiceAccount{}
		case "Ingress":
			target = &networkingv1.Ingress{}
		case "NetworkPolicy":
			target = &networkingv1.NetworkPolicy{}
		case "HorizontalPodAutoscaler":
			target = &autoscalingv2.HorizontalPodAutoscaler{}
		case "PodDisruptionBudget":
			target = &policyv1.PodDisruptionBudget{}
		case "ServiceMonitor", "PrometheusRule":
			// CRDs of the Prometheus operator: checked as YAML only.
			continue
		default:
			t.Fatalf("unexpected kind %q: add it to the strict decoder", meta.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, target); err != nil {
			t.Fatalf("%s does not decode strictly: %v\n%s", meta.Kind, err, doc)
		}
		switch o := target.(type) {
		case *appsv1.Deployment:
			d.deployments = append(d.deployments, *o)
		case *batchv1.Job:
			d.jobs = append(d.jobs, *o)
		}
	}
	return d
}

func TestDefaultValuesRender(t *testing.T) {
	d := decodeAll(t, render(t, "../trangtin/ci-default-values.yaml"))
	for _, k := range []string{"Deployment", "Service", "ConfigMap", "Secret", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceAccount", "Job"} {
		if d.kinds[k] == 0 {
			t.Errorf("default install renders no %s", k)
		}
	}
}

func TestProductionValues(t *testing.T) {
	d := decodeAll(t, render(t, "../trangtin/values-production.yaml"))
	if d.kinds["Secret"] != 0 {
		t.Error("production values use an existing Secret, yet the chart renders one")
	}
	if d.kinds["NetworkPolicy"] != 1 || d.kinds["ServiceMonitor"] != 1 || d.kinds["PrometheusRule"] != 1 {
		t.Errorf("production kinds = %v", d.kinds)
	}
	if len(d.deployments) != 1 {
		t.Fatalf("deployments = %d", len(d.deployments))
	}
	pod := d.deployments[0].Spec.Template.Spec
	if pod.SecurityContext == nil || pod.SecurityContext.RunAsNonRoot == nil || !*pod.SecurityContext.RunAsNonRoot {
		t.Error("pod does not run as non-root")
	}
	c := pod.Containers[0]
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Error("container root filesystem is not read-only")
	}
	if sc == nil || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		t.Error("capabilities are not all dropped")
	}
	if sc == nil || sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		t.Error("seccomp is not RuntimeDefault")
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Error("liveness probe is not /healthz")
	}
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Error("readiness probe is not /readyz")
	}
	if fmt.Sprint(c.Args) != "[serve --no-migrate]" {
		t.Errorf("replicas run %v, want serve --no-migrate", c.Args)
	}
	var memlimit bool
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" && e.ValueFrom != nil && e.ValueFrom.ResourceFieldRef != nil {
			memlimit = true
		}
	}
	if !memlimit {
		t.Error("GOMEMLIMIT is not taken from the memory limit")
	}
	if len(d.jobs) != 1 {
		t.Fatalf("migration jobs = %d", len(d.jobs))
	}
	j := d.jobs[0]
	if !strings.Contains(j.Annotations["helm.sh/hook"], "pre-upgrade") || !strings.Contains(j.Annotations["helm.sh/hook"], "pre-install") {
		t.Errorf("migration job hook = %q", j.Annotations["helm.sh/hook"])
	}
	if fmt.Sprint(j.Spec.Template.Spec.Containers[0].Args) != "[migrate]" {
		t.Errorf("job runs %v", j.Spec.Template.Spec.Containers[0].Args)
	}
}

func TestBadValuesFailAtInstall(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("config:\n  baseDomain: \"Not A Domain\"\n  logFormat: xml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(helm(t), "template", "rel", "../trangtin", "--kube-version", "1.30.0", "-f", "../trangtin/ci-default-values.yaml", "-f", bad)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("helm accepted a bad base domain and log format")
	}
	if !strings.Contains(string(out), "baseDomain") && !strings.Contains(string(out), "logFormat") {
		t.Errorf("error does not name the bad value:\n%s", out)
	}
}
