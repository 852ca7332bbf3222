#!/usr/bin/env bash
# A self-contained demo: a local control plane (kube-apiserver, etcd, controller manager,
# scheduler, kwok fake node), a real Prometheus scraping stand-in model metrics, the operator
# built and started as a process, then two canary rollouts: one promoted on healthy metrics, one
# rolled back on a breached error rate; with Prometheus also a shadow run that compares
# predictions and an A/B test decided by statistics (both on an HTTPRoute). Leaves everything
# running; `make down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
MRO_CACHE=${MRO_CACHE:-$HOME/.cache/model-rollout-operator}
RUN=$MRO_CACHE/run
PROM_PORT=${MRO_DEMO_PROMETHEUS_PORT:-19090}
EXPORTER_PORT=${MRO_DEMO_EXPORTER_PORT:-19100}
OPERATOR_PORT=${MRO_DEMO_OPERATOR_PORT:-18080}
mkdir -p "$RUN"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
stop_pid() { [[ -f $1 ]] && kill "$(cat "$1")" 2>/dev/null || true; rm -f "$1"; }

step "control plane (built once from Go modules, cached in $MRO_CACHE)"
up=$(bash hack/k8s-local.sh up)
eval "$(grep '^export ' <<<"$up")"
K="$MRO_CACHE/k8s/v1.36.3/bin/kubectl"

step "Prometheus on 127.0.0.1:$PROM_PORT, scraping stand-in model metrics every second"
stop_pid "$RUN/exporter.pid"
stop_pid "$RUN/prometheus.pid"
sleep 1
METRICS=$RUN/demo-metrics.txt
python3 hack/demo/metrics.py "$METRICS"   # counters grow from now on
nohup python3 hack/demo/exporter.py "$EXPORTER_PORT" "$METRICS" >"$RUN/exporter.log" 2>&1 &
echo $! >"$RUN/exporter.pid"
GATED=1
if command -v prometheus >/dev/null; then
  cat >"$RUN/prometheus.yml" <<PROM
global: {scrape_interval: 1s}
scrape_configs: [{job_name: models, static_configs: [{targets: ['127.0.0.1:$EXPORTER_PORT']}]}]
PROM
  rm -rf "$RUN/prometheus-data"
  nohup prometheus --config.file="$RUN/prometheus.yml" --storage.tsdb.path="$RUN/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$RUN/prometheus.log" 2>&1 &
  echo $! >"$RUN/prometheus.pid"
  for _ in $(seq 30); do curl -fsS "localhost:$PROM_PORT/-/ready" >/dev/null 2>&1 && break; sleep 1; done
else
  GATED=0
  echo "prometheus is not installed (Debian: apt-get install prometheus): the demo runs without a metric gate"
fi

step "operator (./mvnw package, then java -jar)"
./mvnw -q -B package -DskipTests
"$K" apply -f crds/
# the Gateway API HTTPRoute CRD (generated from the Fabric8 model by the build) for the shadow
# and A/B steps; the demo has no gateway, so the route shows what a gateway would be told
"$K" apply --server-side -f target/test-crds/
stop_pid "$RUN/operator.pid"
sleep 1
KUBECONFIG=$KUBECONFIG QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$OPERATOR_PORT MRO_PROMETHEUS_ADDRESS=http://127.0.0.1:$PROM_PORT \
  nohup java -jar target/quarkus-app/quarkus-run.jar >"$RUN/operator.log" 2>&1 &
echo $! >"$RUN/operator.pid"
for _ in $(seq 60); do curl -fsS "localhost:$OPERATOR_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "localhost:$OPERATOR_PORT/q/health/ready"; echo

step "a model at 2.3.0 with a canary policy (examples/basic.yaml + hack/demo/policy.yaml)"
"$K" delete modeldeployment fraud-detector --ignore-not-found --wait >/dev/null
if ((GATED)); then
  "$K" apply -f hack/demo/policy.yaml
else
  sed '/analysis:/d' hack/demo/policy.yaml | "$K" apply -f -
fi
"$K" apply -f examples/basic.yaml
"$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"rollout":{"policyRef":{"name":"demo-canary"}}}}'
"$K" wait modeldeployment/fraud-detector --for=jsonpath='{.status.phase}'=Healthy --timeout=120s
"$K" get modeldeployment fraud-detector

watch_rollout() { # prints each change of stable/canary/weight/phase/step until $1 holds
  # for the spec just patched: a status of the generation before (RolledBack, say) does not count
  local until=$1 last="" line gen seen
  for _ in $(seq 180); do
    line=$("$K" get modeldeployment fraud-detector -o jsonpath='{.metadata.generation} {.status.observedGeneration} stable={.status.stable.version} canary={.status.canary.version} weight={.status.weights.canary} phase={.status.phase} step={.status.currentStep}')
    read -r gen seen line <<<"$line"
    [[ $line != "$last" ]] && echo "  $line" && last=$line
    [[ $gen == "$seen" ]] && eval "$until" && return 0
    sleep 1
  done
  echo "timed out" >&2
  return 1
}

step "2.4.0 with a healthy error rate (0.4%): the canary walks the steps and is promoted"
"$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"model":{"version":"2.4.0","uri":"s3://models/fraud-detector/2.4.0"}}}'
watch_rollout '[[ $line == stable=2.4.0*phase=Healthy* ]]'
"$K" get modeldeployment fraud-detector

if ((GATED)); then
  step "2.5.0 with a 9% error rate: the gate fails and the canary is rolled back"
  "$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"model":{"version":"2.5.0","uri":"s3://models/fraud-detector/2.5.0"}}}'
  watch_rollout '[[ $line == *phase=RolledBack* ]]'
  "$K" get modeldeployment fraud-detector
  echo
  "$K" get modeldeployment fraud-detector -o jsonpath='{.status.conditions[?(@.type=="Degraded")].message}'; echo

  step "shadow: 2.6.0 gets a mirrored copy of POST /predict; its prediction scores are compared with stable's"
  "$K" apply -f hack/demo/shadow-policy.yaml -f hack/demo/abtest-policy.yaml
  "$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"traffic":{"provider":"GatewayAPI","gatewayAPI":{"parentRefs":[{"name":"demo-gateway"}]}},"rollout":{"policyRef":{"name":"demo-shadow"}}}}'
  "$K" wait modeldeployment/fraud-detector --for=jsonpath='{.status.weights.provider}'=GatewayAPI --timeout=60s
  "$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"model":{"version":"2.6.0","uri":"s3://models/fraud-detector/2.6.0"}}}'
  watch_rollout '[[ $line == stable=2.6.0*phase=Healthy* || $line == *phase=RolledBack* ]]'
  "$K" get modeldeployment fraud-detector -o jsonpath='{range .status.gates[*]}gate {.name}: {.verdict}, PSI {.comparison.psi}, KS {.comparison.ks}, {.comparison.canarySamples} shadow vs {.comparison.stableSamples} stable predictions{"\n"}{end}'

  step "A/B test: 2.7.0 serves half the users; the checkout rate decides (sequential test, SRM check)"
  "$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"rollout":{"policyRef":{"name":"demo-abtest"}}}}'
  "$K" patch modeldeployment fraud-detector --type merge -p '{"spec":{"model":{"version":"2.7.0","uri":"s3://models/fraud-detector/2.7.0"}}}'
  watch_rollout '[[ $line == stable=2.7.0*phase=Healthy* || $line == *phase=RolledBack* ]]'
  "$K" get modeldeployment fraud-detector -o jsonpath='A/B decision: {.status.experiment.decision}: {.status.experiment.message}{"\n"}sample-size hint: {.status.experiment.sampleSizeHint} per variant{"\n"}'
fi

step "events and metrics"
# in the order they were written (timestamps have one-second resolution)
"$K" get events --field-selector involvedObject.kind=ModelDeployment \
  -o jsonpath='{range .items[*]}{.metadata.resourceVersion}{"\t"}{.type}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}' |
  sort -n | awk -F'\t' '{printf "%-8s %-21s %s\n", $2, $3, substr($4, 1, 150)}'
curl -fsS "localhost:$OPERATOR_PORT/q/metrics" | grep -E '^modelrollout_(phase|promotions|rollbacks|gate_evaluations|canary_weight|experiment_decisions)' | grep -v ' 0.0$' || true

step "done: the cluster, Prometheus and the operator keep running"
echo "export KUBECONFIG=$KUBECONFIG"
echo "alias kubectl=$K   # the kubectl built with the control plane"
echo "kubectl get modeldeployments,deployments,services"
echo "kubectl get modeldeployment fraud-detector   # 2.7.0 serves, the A/B test's winner; README 'Try it' goes on from here"
echo "operator log: $RUN/operator.log"
echo "make down                       # stops everything"
