#!/usr/bin/env bash
# Regenerates the CRDs from the API classes and copies them into crds/ and the Helm chart's crds/.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B process-test-classes
rm -f crds/*.yml
cp target/crds/*.yml crds/
rm -f helm/model-rollout-operator/crds/*.yml
cp target/crds/*.yml helm/model-rollout-operator/crds/
git status --short crds/ helm/model-rollout-operator/crds/
