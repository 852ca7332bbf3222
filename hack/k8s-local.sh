#!/usr/bin/env bash
# hack/k8s-local.sh {build|up|down|status|restart NAME}
#
# A real Kubernetes control plane on loopback, without Docker:
#   build  - build kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd and kwok
#            from Go modules, once; cached under $MRO_CACHE (default ~/.cache/model-rollout-operator)
#   up     - start etcd, kube-apiserver, controller manager, scheduler and kwok (fake nodes)
#   down   - stop what `up` started (by recorded PIDs only)
#   status - print the paths of binaries and whether the cluster answers
#   restart kube-apiserver|etcd - stop one component and start it again with its data (fault tests)
#
# Settings: K8S_RUN (run directory), APISERVER_PORT, ETCD_PORT, ETCD_PEER_PORT, KCM_PORT,
# SCHED_PORT; AUDIT=1 writes an audit log of every write to $K8S_RUN/logs/audit.log (AUDIT=2:
# of every request; AUDIT=3: every write with its request body; AUDIT=4: every request of the
# comma-separated AUDIT_USERS, and the status writes of pods, ReplicaSets and Deployments), rotated
# at AUDIT_LOG_MAXSIZE megabytes (default 200); SERVICE_CIDR (default 10.0.0.0/16), KWOK_NODES
# (default 1) and KWOK_NODE_PODS (default 1000) size the cluster; CLIENT_QPS (default 50) is the
# controller manager's and scheduler's client rate; CONTROLLER_SYNCS (default: Kubernetes' 5) the
# Deployment and ReplicaSet controllers' workers.
# The HorizontalPodAutoscaler controller syncs every 5 s (default 15 s), so autoscaling tests wait less.
# kube-apiserver reaches aggregated APIs at their Service's endpoints (--enable-aggregator-routing):
# no kube-proxy routes Service IPs here (the e2e tests serve external.metrics.k8s.io that way).
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-v1.36.3}   # v1.37 needs Go 1.27
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
MRO_CACHE=${MRO_CACHE:-$HOME/.cache/model-rollout-operator}
CACHE=$MRO_CACHE/k8s/$K8S_VERSION
BIN=$CACHE/bin
RUN=${K8S_RUN:-$MRO_CACHE/run/k8s}
ETCD_PORT=${ETCD_PORT:-12379}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-12380}
APISERVER_PORT=${APISERVER_PORT:-16443} # one local cluster per MRO_CACHE; change ports and MRO_CACHE for a second
KCM_PORT=${KCM_PORT:-10257}
SCHED_PORT=${SCHED_PORT:-10259}
KUBECONFIG_FILE=$RUN/admin.kubeconfig
SERVICE_CIDR=${SERVICE_CIDR:-10.0.0.0/16}
KWOK_NODES=${KWOK_NODES:-1}
KWOK_NODE_PODS=${KWOK_NODE_PODS:-1000}
CLIENT_QPS=${CLIENT_QPS:-50}
ALL_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

log() { printf '[k8s-local] %s\n' "$*" >&2; }

# k8s.io/kubernetes replaces its staging modules with ./staging paths; read the list from its own go.mod.
staging_modules() {
  local gomod
  gomod=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gomod"
}

write_build_module() {
  local stg="v0.${K8S_VERSION#v1.}" m
  mkdir -p "$CACHE/mod"
  {
    printf 'module local.invalid/k8sbins\n\ngo 1.26.0\n\n'
    printf 'require (\n\tgo.etcd.io/etcd/server/v3 %s\n\tk8s.io/kubernetes %s\n)\n\nreplace (\n' \
      "$ETCD_VERSION" "$K8S_VERSION"
    for m in $(staging_modules); do printf '\t%s => %s %s\n' "$m" "$m" "$stg"; done
    printf ')\n'
  } >"$CACHE/mod/go.mod"
  # A blank-import file so `go mod tidy` keeps every main package we build.
  cat >"$CACHE/mod/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
}

missing_bins() {
  local b
  for b in "${ALL_BINS[@]}"; do [[ -x $BIN/$b ]] || echo "$b"; done
  [[ -f $CACHE/kwok-stages.yaml ]] || echo kwok-stages
}

build() {
  [[ -z $(missing_bins) ]] && { log "binaries cached in $BIN"; return 0; }
  local start=$SECONDS
  mkdir -p "$BIN"
  export CGO_ENABLED=0
  local minor=${K8S_VERSION#v1.} ld="-s -w" p now
  minor=${minor%%.*}
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$now"
  done
  if [[ ! -x $BIN/kube-apiserver || ! -x $BIN/kubectl || ! -x $BIN/etcd ||
    ! -x $BIN/kube-controller-manager || ! -x $BIN/kube-scheduler ]]; then
    write_build_module
    (
      cd "$CACHE/mod"
      export GOFLAGS=-mod=mod
      log "resolving modules for kubernetes $K8S_VERSION and etcd $ETCD_VERSION"
      go mod tidy -e >/dev/null 2>&1 || true
      log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl"
      go build -trimpath -ldflags "$ld" -o "$BIN/" \
        k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
      log "building etcd"
      go build -trimpath -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
    )
  fi
  if [[ ! -x $BIN/kwok ]]; then
    log "building kwok $KWOK_VERSION"
    GOBIN="$BIN" GOFLAGS= go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  fi
  local kw f first=1
  kw="$(go env GOMODCACHE)/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    ((first)) || echo '---'
    first=0
    cat "$kw/$f"
  done >"$CACHE/kwok-stages.yaml.tmp"
  mv "$CACHE/kwok-stages.yaml.tmp" "$CACHE/kwok-stages.yaml"
  "$BIN/kube-apiserver" --version >&2
  log "built in $((SECONDS - start)) s into $BIN"
}

pki() {
  local d=$RUN/pki
  [[ -f $d/sa.pub ]] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=mro-local-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$d/apiserver.key" -out "$d/apiserver.csr" 2>/dev/null
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -sha256 -out "$d/apiserver.crt" -extfile <(printf '%s\n' \
      'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc' \
      'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature,keyEncipherment') 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kubernetes-admin" \
    -keyout "$d/admin.key" -out "$d/admin.csr" 2>/dev/null
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -sha256 -out "$d/admin.crt" -extfile <(printf '%s\n' \
      'extendedKeyUsage=clientAuth' 'keyUsage=critical,digitalSignature,keyEncipherment') 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

kubeconfig() {
  cat >"$KUBECONFIG_FILE" <<KC
apiVersion: v1
kind: Config
clusters:
- name: mro-local
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority: $RUN/pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $RUN/pki/admin.crt
    client-key: $RUN/pki/admin.key
contexts:
- name: mro-local
  context: {cluster: mro-local, user: admin}
current-context: mro-local
KC
}

start_bg() {
  local n=$1
  shift
  "$@" >"$RUN/logs/$n.log" 2>&1 &
  echo $! >"$RUN/pids/$n.pid"
}

wait_for() { # name seconds cmd...
  local n=$1 t=$2 i
  shift 2
  for ((i = 0; i < t; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "timeout waiting for $n; last log lines:"
  tail -n 30 "$RUN/logs/$n.log" >&2 || true
  return 1
}

k() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

running() { [[ -f $RUN/pids/$1.pid ]] && kill -0 "$(cat "$RUN/pids/$1.pid")" 2>/dev/null; }

up() {
  build
  if running kube-apiserver; then
    log "already running"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    return 0
  fi
  rm -rf "$RUN/etcd"
  mkdir -p "$RUN"/{logs,pids,etcd}
  pki
  kubeconfig
  start_etcd
  start_apiserver

  start_bg kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" \
    --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
    --service-account-private-key-file="$RUN/pki/sa.key" --root-ca-file="$RUN/pki/ca.crt" \
    --use-service-account-credentials=true --controllers='*' \
    --horizontal-pod-autoscaler-sync-period=5s \
    --kube-api-qps="$CLIENT_QPS" --kube-api-burst="$((CLIENT_QPS * 2))" ${CONTROLLER_SYNCS:+--concurrent-deployment-syncs=$CONTROLLER_SYNCS --concurrent-replicaset-syncs=$CONTROLLER_SYNCS}
  start_bg kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" \
    --authorization-kubeconfig="$KUBECONFIG_FILE" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false \
    --kube-api-qps="$CLIENT_QPS" --kube-api-burst="$((CLIENT_QPS * 2))"
  cp "$CACHE/kwok-stages.yaml" "$RUN/kwok.yaml"
  start_bg kwok "$BIN/kwok" --kubeconfig="$KUBECONFIG_FILE" --config="$RUN/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --cidr=10.244.0.0/16 --node-lease-duration-seconds=40

  local i
  for ((i = 0; i < KWOK_NODES; i++)); do
    k apply -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    node.alpha.kubernetes.io/ttl: "0"
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: {cpu: "640", memory: 5Ti, pods: "$KWOK_NODE_PODS", nvidia.com/gpu: "64"}
  capacity: {cpu: "640", memory: 5Ti, pods: "$KWOK_NODE_PODS", nvidia.com/gpu: "64"}
NODE
  done
  wait_for kwok 60 k wait --for=condition=Ready node/kwok-node-0 --timeout=1s
  wait_for kube-controller-manager 60 k -n default get serviceaccount default
  log "control plane up"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
}

start_etcd() {
  start_bg etcd "$BIN/etcd" --name=node0 --data-dir="$RUN/etcd" \
    --listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster="node0=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls= \
    --unsafe-no-fsync=true --auto-compaction-retention=1 --quota-backend-bytes=2147483648
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
}

start_apiserver() {
  local audit=()
  if [[ ${AUDIT:-0} != 0 ]]; then
    local reads="  - level: None
    verbs: [get, list, watch]"
    [[ $AUDIT == 2 ]] && reads="" # reads too (benchmarks count them)
    local level=Metadata
    [[ $AUDIT == 3 ]] && level=Request # writes with their bodies (tracing what a rollout writes)
    if [[ $AUDIT == 4 ]]; then
      local users
      users=$(sed 's/[^,][^,]*/"&"/g' <<<"${AUDIT_USERS:?AUDIT=4 needs AUDIT_USERS}")
      # the benchmark's: every request of AUDIT_USERS, and the status writes of pods, ReplicaSets
      # and Deployments (when a pod got ready, and when its controllers said so); the rest of the
      # cluster's requests cost the API server no audit work
      cat >"$RUN/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    users: [$users]
  - level: Metadata
    verbs: [patch, update]
    resources: [{group: "", resources: [pods/status]},
                {group: apps, resources: [replicasets/status, deployments/status]}]
  - level: None
POLICY
    else
      cat >"$RUN/audit-policy.yaml" <<POLICY
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
$reads
  - level: $level
POLICY
    fi
    audit=(--audit-policy-file="$RUN/audit-policy.yaml" --audit-log-path="$RUN/logs/audit.log"
      --audit-log-maxsize="${AUDIT_LOG_MAXSIZE:-200}" --audit-log-maxbackup=1)
  fi
  start_bg kube-apiserver "$BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$APISERVER_PORT" \
    --tls-cert-file="$RUN/pki/apiserver.crt" --tls-private-key-file="$RUN/pki/apiserver.key" \
    --client-ca-file="$RUN/pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$RUN/pki/sa.pub" --service-account-signing-key-file="$RUN/pki/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC --allow-privileged=true \
    --enable-aggregator-routing=true \
    --kubelet-preferred-address-types=InternalIP "${audit[@]}"
  wait_for kube-apiserver 120 curl -fsS --cacert "$RUN/pki/ca.crt" "https://127.0.0.1:$APISERVER_PORT/readyz"
}

# Stops one component (SIGTERM, then SIGKILL) and starts it again with the same data.
restart() {
  local n=$1 p i
  [[ -f $RUN/pids/$n.pid ]] || { log "$n is not running"; return 1; }
  p=$(cat "$RUN/pids/$n.pid")
  kill "$p" 2>/dev/null || true
  for ((i = 0; i < 40; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$p" 2>/dev/null || true
  case $n in
  kube-apiserver) start_apiserver ;;
  etcd) start_etcd ;;
  *) log "cannot restart $n"; return 1 ;;
  esac
  log "$n restarted"
}

down() {
  local n f
  for f in "$MRO_CACHE"/run/{operator,prometheus,exporter}.pid; do # started by hack/demo.sh
    # the demo runs on the default cluster only; a cluster with its own K8S_RUN leaves it alone
    if [[ $RUN == "$MRO_CACHE/run/k8s" && -f $f ]]; then
      kill "$(cat "$f")" 2>/dev/null || true
      rm -f "$f"
    fi
  done
  local pids=() p i
  for n in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    f=$RUN/pids/$n.pid
    [[ -f $f ]] || continue
    p=$(cat "$f")
    kill "$p" 2>/dev/null && pids+=("$p")
    rm -f "$f"
  done
  # wait until they are gone, so a following `up` finds its ports free
  for ((i = 0; i < 20; i++)); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.5
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  log "stopped"
}

status() {
  echo "binaries: $BIN (missing: $(missing_bins | tr '\n' ' '))"
  if running kube-apiserver; then echo "running; export KUBECONFIG=$KUBECONFIG_FILE"; else echo "not running"; fi
}

case ${1:-up} in
build) build ;;
up) up ;;
down) down ;;
status) status ;;
restart) restart "${2:?restart needs kube-apiserver or etcd}" ;;
*)
  echo "usage: $0 build|up|down|status" >&2
  exit 2
  ;;
esac
