package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.ModelServices;
import io.modelrollout.operator.resources.RevisionDeployments;
import io.modelrollout.operator.rollout.RolloutDecision;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Makes the owned Deployments and Services match a decision. Writes only what differs: the spec's
 * own revision is server-side applied when the SSA matcher sees a difference, other revisions are
 * only scaled, revisions the decision drops are deleted.
 */
public class ResourceApplier {
  private static final Logger LOG = Logger.getLogger(ResourceApplier.class);

  /** Applies the Deployments and Services of {@code decision}. */
  public void apply(
      ModelDeployment md,
      String desiredRevision,
      RolloutDecision decision,
      Map<String, String> entrySelector,
      Context<ModelDeployment> ctx) {
    Map<String, Deployment> live = WorldReader.deployments(ctx);
    for (Map.Entry<String, Integer> e : decision.replicas().entrySet()) {
      String rev = e.getKey();
      int replicas = e.getValue();
      if (rev.equals(desiredRevision)) {
        ensure(
            RevisionDeployments.desired(md, rev, replicas), live.get(rev), Deployment.class, ctx);
      } else if (live.containsKey(rev)) {
        scale(live.get(rev), replicas, ctx);
      }
    }
    for (Map.Entry<String, Deployment> e : live.entrySet()) {
      if (!decision.replicas().containsKey(e.getKey())) {
        LOG.infof(
            "deleting Deployment %s: revision %s is no longer needed",
            e.getValue().getMetadata().getName(), e.getKey());
        ctx.getClient().resource(e.getValue()).delete();
      }
    }
    List<Service> services =
        ModelServices.desired(
            md, decision.stableRevision(), decision.canaryRevision(), entrySelector);
    for (Service s : services) {
      Service actual =
          ctx.getSecondaryResources(Service.class).stream()
              .filter(x -> x.getMetadata().getName().equals(s.getMetadata().getName()))
              .findFirst()
              .orElse(null);
      ensure(s, actual, Service.class, ctx);
    }
  }

  /** Server-side applies {@code desired} unless the live object already matches it. */
  <R extends HasMetadata> void ensure(
      R desired, R actual, Class<R> type, Context<ModelDeployment> ctx) {
    if (actual != null
        && SSABasedGenericKubernetesResourceMatcher.<R>getInstance()
            .matches(actual, desired, ctx)) {
      return;
    }
    LOG.debugf("applying %s %s", desired.getKind(), desired.getMetadata().getName());
    R applied =
        ctx.getClient()
            .resource(desired)
            .fieldManager(OperatorSettings.FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
    remember(applied, actual, type, ctx);
  }

  private void scale(Deployment d, int replicas, Context<ModelDeployment> ctx) {
    if (Objects.equals(d.getSpec().getReplicas(), replicas)) {
      return;
    }
    LOG.debugf("scaling %s to %d", d.getMetadata().getName(), replicas);
    Deployment patched =
        ctx.getClient()
            .resource(d)
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.JSON_MERGE)
                    .withFieldManager(OperatorSettings.FIELD_MANAGER + "-scale")
                    .build(),
                "{\"spec\":{\"replicas\":" + replicas + "}}");
    remember(patched, d, Deployment.class, ctx);
  }

  /** Puts a written object into the informer cache, so the next reconcile sees it. */
  private static <R extends HasMetadata> void remember(
      R written, R previous, Class<R> type, Context<ModelDeployment> ctx) {
    try {
      @SuppressWarnings("unchecked")
      InformerEventSource<R, ModelDeployment> source =
          (InformerEventSource<R, ModelDeployment>)
              ctx.eventSourceRetriever().getEventSourceFor(type);
      ResourceID id = ResourceID.fromResource(written);
      if (previous == null) {
        source.handleRecentResourceCreate(id, written);
      } else {
        source.handleRecentResourceUpdate(id, written, previous);
      }
    } catch (RuntimeException e) {
      LOG.debugf("could not cache %s: %s", written.getMetadata().getName(), e.getMessage());
    }
  }
}
