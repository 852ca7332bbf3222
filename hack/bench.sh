#!/usr/bin/env bash
# The operator at scale (README: Scale). Builds the control plane and the operator, then runs
# io.modelrollout.operator.bench.Bench outside Maven's JVM with the test classpath, and writes
# docs/benchmarks/<date>.md. Arguments go to Bench, e.g. --sizes 100,200,500,2000 --reaction 20
# --gates 500 (the defaults); a smoke: --sizes 50 --reaction 3 --gates 50; --argo 200 first
# measures Argo Rollouts on the same control plane (built by hack/argo-rollouts.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/k8s-local.sh build
if [[ " $* " == *" --argo "* ]]; then
  bash hack/argo-rollouts.sh # the side-by-side with Argo Rollouts
fi
./mvnw -q -B package -DskipTests
./mvnw -q -B test-compile
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec java -Xmx2g -Dmro.projectDir="$PWD" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.modelrollout.operator.bench.Bench "$@"
