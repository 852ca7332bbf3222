#!/usr/bin/env bash
# Builds Argo Rollouts' controller from its Go module for the benchmark's side-by-side
# (make bench ARGS="... --argo 200"), into the cache, never into the repository: the controller
# binary and the module's CRDs, which the benchmark installs on its own control plane.
set -euo pipefail
VERSION=v1.10.2 # ArgoSideBySide.VERSION
OUT="${MRO_CACHE:-$HOME/.cache/model-rollout-operator}/argo/$VERSION"
if [[ -x "$OUT/rollouts-controller" && -d "$OUT/crds" ]]; then
  exit 0
fi
# its go.mod asks for go >= 1.26.10; the go command fetches this toolchain from the module proxy
export GOTOOLCHAIN=go1.27.3
export GOFLAGS=-mod=mod
module=github.com/argoproj/argo-rollouts
dir=$(cd /tmp && go mod download -json "$module@$VERSION" |
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))')
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cp -r "$dir"/. "$src"
chmod -R u+w "$src"
mkdir -p "$OUT/crds"
echo "building Argo Rollouts $VERSION (a few minutes, once)"
(cd "$src" && go build -o "$OUT/rollouts-controller.tmp" ./cmd/rollouts-controller)
cp "$src"/manifests/crds/*-crd.yaml "$OUT/crds/"
mv "$OUT/rollouts-controller.tmp" "$OUT/rollouts-controller"
