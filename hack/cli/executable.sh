#!/usr/bin/env bash
# executable.sh LAUNCHER JAR TARGET: writes TARGET/kubectl-modelrollout (the launcher followed by
# the jar: a zip reader finds the archive from its end, so java -jar runs the file itself) and
# TARGET/kubectl-mr, a link to it.
set -euo pipefail
launcher=$1 jar=$2 target=$3
out=$target/kubectl-modelrollout
cat "$launcher" "$jar" >"$out.tmp"
chmod 755 "$out.tmp"
mv "$out.tmp" "$out"
ln -sfn kubectl-modelrollout "$target/kubectl-mr"
