#!/usr/bin/env bash
# Lints and renders the Helm chart for the default and the production-like
# values, then decodes every manifest strictly into the Kubernetes API types
# (helm/chartcheck, a module of its own). Installs helm once per machine.
set -euo pipefail
cd "$(dirname "$0")/.."
HELM_VERSION=v3.22.0
GOBIN_DIR=$(go env GOBIN); [ -n "$GOBIN_DIR" ] || GOBIN_DIR=$(go env GOPATH)/bin
HELM=${HELM:-$GOBIN_DIR/helm}
if [ ! -x "$HELM" ]; then
  echo "== installing helm $HELM_VERSION"
  go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
fi
export HELM
for values in helm/trangtin/ci-default-values.yaml helm/trangtin/values-production.yaml; do
  echo "== helm lint --strict ($values)"
  "$HELM" lint --strict helm/trangtin -f "$values" --kube-version 1.30.0
  "$HELM" template rel helm/trangtin -f "$values" --kube-version 1.30.0 >/dev/null
done
echo "== strict decoding of the rendered manifests"
(cd helm/chartcheck && go vet ./ && go test -count=1 ./)
