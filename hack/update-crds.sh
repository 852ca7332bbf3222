#!/usr/bin/env bash
# Regenerates the CRDs from the API classes and copies them into crds/.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B process-test-classes
rm -f crds/*.yml
cp target/crds/*.yml crds/
git status --short crds/
