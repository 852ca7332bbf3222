package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.BatchObjects;
import io.modelrollout.operator.resources.EdgeObjects;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.rollout.BatchObserved;
import io.modelrollout.operator.rollout.EdgeObserved;
import io.modelrollout.operator.rollout.ModeIntent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes the objects of a Batch or an Edge ModelDeployment match a decision, each write only when
 * the live object differs.
 *
 * <p>Batch, in order: keep the spec's job template (ControllerRevision); delete validation Jobs no
 * longer wanted, create the one wanted; the CronJob (its job template from the spec or from the
 * kept template of its revision, suspended or not); drop kept templates no longer needed.
 *
 * <p>Edge, in order: the DaemonSet of the spec's revision (before a node is labeled for it); the
 * node labels, by server-side apply with this ModelDeployment's own field manager and without
 * force, so a label someone else set is never taken over, and a label no longer sent is removed
 * only if this ModelDeployment set it; then the DaemonSets no node needs any more.
 */
final class ModeApplier {
  private static final Logger LOG = Logger.getLogger(ModeApplier.class);
  private final ObjectWriter writer = new ObjectWriter();

  void batch(
      ModelDeployment md,
      String specRevision,
      BatchObserved b,
      ModeIntent.Batch intent,
      Context<ModelDeployment> ctx) {
    String version = md.getSpec().model.version;
    // 1. the spec's job template, kept for a later rollback
    if (intent.templates().contains(specRevision) && !b.templates().contains(specRevision)) {
      ControllerRevision r =
          BatchObjects.template(
              md, specRevision, version, BatchObjects.revisionTemplate(md, specRevision));
      writer.ensure(r, null, ControllerRevision.class, ctx);
    }
    // 2. validation Jobs
    List<Job> jobs = ModeEventSources.ofModel(Job.class, md, ctx);
    boolean deleting = false;
    for (String name : intent.deleteJobs()) {
      Optional<Job> j =
          jobs.stream().filter(x -> name.equals(x.getMetadata().getName())).findFirst();
      if (j.isPresent()) {
        deleting |= intent.validation() != null && name.equals(intent.validation().name());
        delete(j.get(), ctx);
      }
    }
    ModeIntent.ValidationJob v = intent.validation();
    if (v != null
        && !deleting
        && jobs.stream().noneMatch(x -> v.name().equals(x.getMetadata().getName()))) {
      Job job =
          BatchObjects.validationJob(
              md, template(md, v.revision(), specRevision, ctx).orElseThrow(), v);
      writer.ensure(job, null, Job.class, ctx);
    }
    // 3. the CronJob
    ModeIntent.CronTarget cron = intent.cron();
    Optional<PodTemplateSpec> template = template(md, cron.revision(), specRevision, ctx);
    CronJob live = ctx.getSecondaryResource(CronJob.class).orElse(null);
    if (template.isPresent()) {
      writer.ensure(BatchObjects.cronJob(md, template.get(), cron), live, CronJob.class, ctx);
    } else {
      LOG.warnf(
          "%s/%s: the job template of revision %s is not kept; the CronJob stays as it is",
          md.getMetadata().getNamespace(), md.getMetadata().getName(), cron.revision());
    }
    // 4. kept templates no longer needed
    for (ControllerRevision r : ctx.getSecondaryResources(ControllerRevision.class)) {
      if (intent.dropTemplates().contains(r.getMetadata().getLabels().get(Labels.REVISION))) {
        delete(r, ctx);
      }
    }
  }

  /** The pod template of a revision: from the spec, or from its kept template. */
  private static Optional<PodTemplateSpec> template(
      ModelDeployment md, String revision, String specRevision, Context<ModelDeployment> ctx) {
    if (revision.equals(specRevision)) {
      return Optional.of(BatchObjects.revisionTemplate(md, revision));
    }
    return ModeReader.template(md, revision, ctx);
  }

  void edge(
      ModelDeployment md,
      String specRevision,
      EdgeObserved e,
      ModeIntent.Edge intent,
      Context<ModelDeployment> ctx) {
    Map<String, DaemonSet> live = new java.util.HashMap<>();
    ctx.getSecondaryResources(DaemonSet.class)
        .forEach(d -> live.put(d.getMetadata().getLabels().get(Labels.REVISION), d));
    // 1. the spec's DaemonSet
    if (intent.daemonSets().contains(specRevision)) {
      writer.ensure(
          EdgeObjects.daemonSet(md, specRevision), live.get(specRevision), DaemonSet.class, ctx);
    }
    // 2. node labels
    String manager = EdgeObjects.fieldManager(md);
    for (EdgeObserved.Node n : e.nodes()) {
      ModeIntent.NodeLabels want = intent.labels().get(n.name());
      if (want == null
          || (Objects.equals(want.revision(), n.revision())
              && Objects.equals(want.surge(), n.surge()))) {
        continue;
      }
      Node patch = EdgeObjects.nodeLabels(md, n.name(), want);
      try {
        ctx.getClient().resource(patch).fieldManager(manager).serverSideApply();
      } catch (KubernetesClientException x) {
        if (x.getCode() == 409) {
          LOG.infof(
              "%s/%s: node %s: a label is someone else's, left alone: %s",
              md.getMetadata().getNamespace(),
              md.getMetadata().getName(),
              n.name(),
              ObjectWriter.why(x));
          continue;
        }
        throw new ApplyException("label node " + n.name(), x);
      }
    }
    // 3. DaemonSets no node needs
    live.forEach(
        (rev, d) -> {
          if (!intent.daemonSets().contains(rev)) {
            delete(d, ctx);
          }
        });
  }

  private void delete(HasMetadata o, Context<ModelDeployment> ctx) {
    LOG.infof(
        "deleting %s %s/%s: no longer needed",
        o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    writer.run(
        "delete " + o.getKind() + " " + o.getMetadata().getName(),
        () -> ctx.getClient().resource(o).delete());
  }
}
