#!/usr/bin/env bash
# A self-contained demo: a local control plane (kube-apiserver, etcd, controller manager,
# scheduler, kwok fake node), the operator built and started as a process, and a model rolled
# out from 2.3.0 to 2.4.0. Leaves the cluster and the operator running; `make down` stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
MRO_CACHE=${MRO_CACHE:-$HOME/.cache/model-rollout-operator}
RUN=$MRO_CACHE/run
mkdir -p "$RUN"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "control plane (built once from Go modules, cached in $MRO_CACHE)"
up=$(bash hack/k8s-local.sh up)
eval "$(grep '^export ' <<<"$up")"
K="$MRO_CACHE/k8s/v1.36.3/bin/kubectl"

step "operator (./mvnw package)"
./mvnw -q -B package -DskipTests
"$K" apply -f crds/
if [[ -f $RUN/operator.pid ]] && kill -0 "$(cat "$RUN/operator.pid")" 2>/dev/null; then
  kill "$(cat "$RUN/operator.pid")"; sleep 2
fi
KUBECONFIG=$KUBECONFIG QUARKUS_HTTP_PORT=18080 nohup java -jar target/quarkus-app/quarkus-run.jar >"$RUN/operator.log" 2>&1 &
echo $! >"$RUN/operator.pid"
for _ in $(seq 60); do curl -fsS localhost:18080/q/health/ready >/dev/null 2>&1 && break; sleep 1; done
curl -fsS localhost:18080/q/health/ready; echo

step "a ModelDeployment (examples/basic.yaml)"
"$K" delete modeldeployment fraud-detector --ignore-not-found >/dev/null
"$K" apply -f examples/basic.yaml
"$K" wait modeldeployment/fraud-detector --for=jsonpath='{.status.phase}'=Healthy --timeout=120s
"$K" get modeldeployments,deployments,services -l app.kubernetes.io/name=fraud-detector
"$K" get modeldeployment fraud-detector

step "a new version: 2.4.0"
"$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"model":{"version":"2.4.0","uri":"s3://models/fraud-detector/2.4.0"}}}'
"$K" wait modeldeployment/fraud-detector --for=jsonpath='{.status.stable.version}'=2.4.0 --timeout=120s
"$K" get modeldeployment fraud-detector
"$K" get events --field-selector involvedObject.kind=ModelDeployment --sort-by=.lastTimestamp

step "done"
echo "operator log: $RUN/operator.log; metrics: curl localhost:18080/q/metrics | grep modelrollout_"
echo "export KUBECONFIG=$KUBECONFIG   # to look around with kubectl"
echo "make down                       # stops the operator and the control plane"
