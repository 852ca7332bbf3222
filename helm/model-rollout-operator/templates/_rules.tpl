{{/*
The operator's permissions on namespaced objects, in one place: exactly the calls the code makes
(see the README's "Permissions" section). A ClusterRole holds them when the operator watches all
namespaces, a Role in each watched namespace otherwise. Leases for leader election are in
rbac.yaml (release namespace only).
*/}}
{{- define "mro.rules" -}}
# the reconciler's primary resource (informer) and the JSON patch that removes a handled
# modelrollout.io/action annotation
- apiGroups: [modelrollout.io]
  resources: [modeldeployments]
  verbs: [list, watch, patch]
# status, written by server-side apply on the status subresource
- apiGroups: [modelrollout.io]
  resources: [modeldeployments/status]
  verbs: [patch]
# policies referenced by spec.rollout.policyRef (informer)
- apiGroups: [modelrollout.io]
  resources: [rolloutpolicies]
  verbs: [list, watch]
# one Deployment per revision: informer, server-side apply (create + patch), scale by merge
# patch, delete when a revision is no longer needed
- apiGroups: [apps]
  resources: [deployments]
  verbs: [list, watch, create, patch, delete]
# the ReplicaSets of those Deployments, read only (informer): their ready count is seconds ahead of
# the Deployment's status when the Deployment controller is busy
- apiGroups: [apps]
  resources: [replicasets]
  verbs: [list, watch]
# the Services <name>, <name>-stable, <name>-canary: informer and server-side apply; a
# per-revision Service no longer in use is deleted (spec.service.revisionServices: Auto)
- apiGroups: [""]
  resources: [services]
  verbs: [list, watch, create, patch, delete]
# mode Batch: the CronJob <name> (informer, server-side apply; the garbage collector deletes it
# with its ModelDeployment)
- apiGroups: [batch]
  resources: [cronjobs]
  verbs: [list, watch, create, patch]
# mode Batch: validation Jobs <name>-<revision> (informer, server-side apply, delete the one of an
# older attempt); the CronJob's runs are only read
- apiGroups: [batch]
  resources: [jobs]
  verbs: [list, watch, create, patch, delete]
# mode Batch: the kept job templates <name>-<revision> of the version in service and the previous
# one, for the rollback action
- apiGroups: [apps]
  resources: [controllerrevisions]
  verbs: [list, watch, create, patch, delete]
# mode Edge: one DaemonSet <name>-<revision> per live revision
- apiGroups: [apps]
  resources: [daemonsets]
  verbs: [list, watch, create, patch, delete]
# modes Batch and Edge, read only: which node runs a ready pod of which revision; the exit codes of
# a failed validation Job's pods
- apiGroups: [""]
  resources: [pods]
  verbs: [list, watch]
# spec.autoscaling: the HorizontalPodAutoscaler <name> of the stable revision
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [list, watch, create, patch, delete]
# Events on ModelDeployments (core/v1, created once each, never updated)
- apiGroups: [""]
  resources: [events]
  verbs: [create]
# traffic routers: the HTTPRoute or VirtualService <name> (read, create, update with the
# resourceVersion read, delete on a provider change; list and watch for informers)
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes]
  verbs: [get, list, watch, create, update, delete]
- apiGroups: [networking.istio.io]
  resources: [virtualservices]
  verbs: [get, list, watch, create, update, delete]
{{- if .Values.rbac.readSecrets }}
# credentials of a gate's Prometheus (prometheus.secretRef), read by name only
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
{{- end }}
{{- end -}}
