package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.BatchStatus.Outcome;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.RolloutPolicy;
import io.modelrollout.operator.api.RolloutPolicySpec;
import io.modelrollout.operator.resources.BatchObjects;
import io.modelrollout.operator.resources.EdgeObjects;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.BatchObserved;
import io.modelrollout.operator.rollout.EdgeObserved;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads what a Batch or an Edge reconcile decides from (step 1), from the informer caches. */
final class ModeReader {
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private ModeReader() {}

  /** The policy the spec names, and the name of a referenced one that does not exist. */
  record Policy(RolloutPolicySpec spec, String missing) {}

  static Policy policy(ModelDeployment md, Context<ModelDeployment> ctx) {
    var spec = md.getSpec();
    if (spec.rollout != null && spec.rollout.policyRef != null) {
      String name = spec.rollout.policyRef.name;
      Optional<RolloutPolicy> p = ctx.getSecondaryResource(RolloutPolicy.class);
      return p.isPresent() && name.equals(p.get().getMetadata().getName())
          ? new Policy(p.get().getSpec(), null)
          : new Policy(null, name);
    }
    return new Policy(spec.rollout == null ? null : spec.rollout.policy, null);
  }

  // --- Batch ---

  static BatchObserved batch(ModelDeployment md, Context<ModelDeployment> ctx) {
    String ns = md.getMetadata().getNamespace();
    List<Job> jobs = ModeEventSources.ofModel(Job.class, md, ctx);
    List<Pod> pods = ModeEventSources.ofModel(Pod.class, md, ctx);
    List<BatchObserved.Job> observed = new ArrayList<>();
    for (Job j : jobs) {
      observed.add(job(j, ns, pods));
    }
    BatchObserved.Cron cron =
        ctx.getSecondaryResource(CronJob.class).map(c -> cron(c, observed)).orElse(null);
    Set<String> templates = new LinkedHashSet<>();
    for (ControllerRevision r : ctx.getSecondaryResources(ControllerRevision.class)) {
      templates.add(r.getMetadata().getLabels().get(Labels.REVISION));
    }
    return new BatchObserved(
        md.getMetadata().getName(), md.getSpec().batch, cron, observed, templates);
  }

  /** A kept job template, if it is in the cache. */
  static Optional<PodTemplateSpec> template(
      ModelDeployment md, String revision, Context<ModelDeployment> ctx) {
    return ctx.getSecondaryResources(ControllerRevision.class).stream()
        .filter(r -> revision.equals(r.getMetadata().getLabels().get(Labels.REVISION)))
        .findFirst()
        .map(r -> BatchObjects.templateOf(r));
  }

  private static BatchObserved.Cron cron(CronJob c, List<BatchObserved.Job> jobs) {
    Map<String, String> l = c.getMetadata().getLabels();
    List<String> active = new ArrayList<>();
    for (BatchObserved.Job j : jobs) {
      if (j.kind() == BatchObserved.Kind.RUN
          && (j.outcome() == Outcome.Running || j.outcome() == Outcome.Pending)) {
        active.add(j.name());
      }
    }
    if (c.getStatus() != null && c.getStatus().getActive() != null) {
      c.getStatus().getActive().stream()
          .map(r -> r.getName())
          .filter(n -> !active.contains(n))
          .forEach(active::add);
    }
    String version =
        env(c.getSpec().getJobTemplate().getSpec().getTemplate(), "MODEL_VERSION")
            .orElse(l.get(Labels.VERSION));
    return new BatchObserved.Cron(
        l.get(Labels.REVISION),
        version,
        Boolean.TRUE.equals(c.getSpec().getSuspend()),
        List.copyOf(active));
  }

  private static BatchObserved.Job job(Job j, String ns, List<Pod> pods) {
    Map<String, String> l = j.getMetadata().getLabels();
    String name = j.getMetadata().getName();
    var st = j.getStatus();
    Outcome outcome = st == null || st.getStartTime() == null ? Outcome.Pending : Outcome.Running;
    Instant end = null;
    String reason = null;
    for (JobCondition c :
        st == null || st.getConditions() == null ? List.<JobCondition>of() : st.getConditions()) {
      if (!"True".equals(c.getStatus())) continue;
      if ("Complete".equals(c.getType())) {
        outcome = Outcome.Succeeded;
        end =
            st.getCompletionTime() != null
                ? instant(st.getCompletionTime())
                : instant(c.getLastTransitionTime());
      } else if ("Failed".equals(c.getType())) {
        outcome = Outcome.Failed;
        end = instant(c.getLastTransitionTime());
        reason = c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
      }
    }
    String logs = null;
    if (outcome == Outcome.Failed) {
      String exits = exits(name, pods);
      reason = reason + (exits.isEmpty() ? "" : "; " + exits);
      logs =
          "kubectl -n "
              + ns
              + " logs job/"
              + name
              + " (the Job and its pods are kept until the next validation)";
    }
    PodTemplateSpec t = j.getSpec().getTemplate();
    String output =
        env(t, "MODEL_OUTPUT_URI").map(o -> o.replace("$(MODEL_RUN_ID)", name)).orElse(null);
    return new BatchObserved.Job(
        name,
        BatchObjects.VALIDATION.equals(l.get(BatchObjects.KIND))
            ? BatchObserved.Kind.VALIDATION
            : BatchObserved.Kind.RUN,
        l.get(Labels.REVISION),
        env(t, "MODEL_VERSION").orElse(l.get(Labels.VERSION)),
        l.get(BatchObjects.ATTEMPT),
        st == null || st.getStartTime() == null ? null : instant(st.getStartTime()),
        end,
        outcome,
        reason,
        logs,
        env(t, "MODEL_INPUT_URI").orElse(null),
        output);
  }

  /** How the failed Job's containers ended: exit codes and reasons (at most three pods). */
  private static String exits(String job, List<Pod> pods) {
    List<String> out = new ArrayList<>();
    for (Pod p : pods) {
      Map<String, String> l = p.getMetadata().getLabels();
      if (l == null || !job.equals(l.get("batch.kubernetes.io/job-name")) || out.size() >= 3) {
        continue;
      }
      if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) continue;
      for (ContainerStatus cs : p.getStatus().getContainerStatuses()) {
        var term = cs.getState() == null ? null : cs.getState().getTerminated();
        if (term != null && term.getExitCode() != null && term.getExitCode() != 0) {
          out.add(
              "pod "
                  + p.getMetadata().getName()
                  + ": container "
                  + cs.getName()
                  + " exited with code "
                  + term.getExitCode()
                  + (term.getReason() == null ? "" : " (" + term.getReason() + ")")
                  + (term.getMessage() == null ? "" : ": " + term.getMessage().trim()));
        }
      }
    }
    return String.join("; ", out);
  }

  private static Optional<String> env(PodTemplateSpec t, String name) {
    if (t == null || t.getSpec() == null || t.getSpec().getContainers() == null) {
      return Optional.empty();
    }
    for (Container c : t.getSpec().getContainers()) {
      for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (name.equals(e.getName()) && e.getValue() != null) {
          return Optional.of(e.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private static Instant instant(String t) {
    return t == null ? null : Instant.parse(t);
  }

  // --- Edge ---

  static EdgeObserved edge(ModelDeployment md, Context<ModelDeployment> ctx) {
    var spec = md.getSpec().edge;
    String key = EdgeObjects.revisionLabel(md);
    String surgeKey = EdgeObjects.surgeLabel(md);
    String manager = EdgeObjects.fieldManager(md);
    Set<String> daemonSets = new LinkedHashSet<>();
    for (DaemonSet d : ctx.getSecondaryResources(DaemonSet.class)) {
      daemonSets.add(d.getMetadata().getLabels().get(Labels.REVISION));
    }
    Map<String, Map<String, Boolean>> pods = new HashMap<>();
    for (Pod p : ModeEventSources.ofModel(Pod.class, md, ctx)) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      String rev = p.getMetadata().getLabels().get(Labels.REVISION);
      if (node == null
          || rev == null
          || !"Edge".equals(p.getMetadata().getLabels().get(Labels.MODE))) {
        continue;
      }
      boolean ready =
          p.getMetadata().getDeletionTimestamp() == null
              && p.getStatus() != null
              && p.getStatus().getConditions() != null
              && p.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      pods.computeIfAbsent(node, n -> new LinkedHashMap<>()).merge(rev, ready, Boolean::logicalOr);
    }
    List<EdgeObserved.Node> nodes = new ArrayList<>();
    List<Node> all = ModeEventSources.cached(Node.class, null, n -> true, ctx).toList();
    for (Node n : all) {
      Map<String, String> labels =
          n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      boolean eligible = ModeEventSources.selects(spec.nodeSelector, labels);
      boolean labeled = labels.containsKey(key) || labels.containsKey(surgeKey);
      if (!eligible && !labeled) {
        continue;
      }
      boolean ownsRevision = owns(n, manager, key);
      boolean ownsSurge = owns(n, manager, surgeKey);
      String name = n.getMetadata().getName();
      nodes.add(
          new EdgeObserved.Node(
              name,
              eligible,
              online(n),
              spec.topologyKey == null ? "" : labels.getOrDefault(spec.topologyKey, ""),
              ownsRevision ? labels.get(key) : null,
              ownsSurge ? labels.get(surgeKey) : null,
              labels.containsKey(key) && !ownsRevision,
              Map.copyOf(pods.getOrDefault(name, Map.of()))));
    }
    nodes.sort(java.util.Comparator.comparing(EdgeObserved.Node::name));
    return new EdgeObserved(spec, key, List.copyOf(nodes), daemonSets);
  }

  /** Ready, and not tainted unreachable. */
  static boolean online(Node n) {
    var st = n.getStatus();
    boolean ready =
        st != null
            && st.getConditions() != null
            && st.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean unreachable =
        n.getSpec() != null
            && n.getSpec().getTaints() != null
            && n.getSpec().getTaints().stream().anyMatch(t -> UNREACHABLE.equals(t.getKey()));
    return ready && !unreachable;
  }

  /** Whether {@code manager} set the label {@code key} (server-side apply's managed fields). */
  static boolean owns(Node n, String manager, String key) {
    List<ManagedFieldsEntry> entries = n.getMetadata().getManagedFields();
    if (entries == null) {
      return false;
    }
    for (ManagedFieldsEntry e : entries) {
      if (!manager.equals(e.getManager()) || e.getFieldsV1() == null) {
        continue;
      }
      Object meta = e.getFieldsV1().getAdditionalProperties().get("f:metadata");
      if (meta instanceof Map<?, ?> m && m.get("f:labels") instanceof Map<?, ?> l) {
        if (l.containsKey("f:" + key)) {
          return true;
        }
      }
    }
    return false;
  }
}
