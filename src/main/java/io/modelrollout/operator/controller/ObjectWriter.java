package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.Objects;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The writes of owned objects: server-side apply when the live object differs, scale, delete. A
 * failed write becomes an {@link ApplyException} that names it; a written object goes into the
 * informer cache at once, so the next reconcile sees it.
 */
final class ObjectWriter {
  private static final Logger LOG = Logger.getLogger(ObjectWriter.class);

  /** Runs a write, naming it in the error when it fails. */
  <T> T run(String what, Supplier<T> write) {
    try {
      return write.get();
    } catch (ApplyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ApplyException(what, e);
    }
  }

  private final MatchMemo memo = new MatchMemo();

  /** Server-side applies {@code desired} unless the live object already matches it. */
  <R extends HasMetadata> void ensure(
      R desired, R actual, Class<R> type, Context<ModelDeployment> ctx) {
    ensure(desired, null, actual, type, ctx);
  }

  /**
   * Whether {@code actual} is known to match what {@code recipe} builds: the desired object need
   * not be built at all.
   */
  boolean unchanged(HasMetadata actual, String recipe) {
    return actual != null && memo.knownRecipe(actual, recipe);
  }

  /** Applies {@code desired} unless {@code actual} matches it; {@code recipe} may be null. */
  <R extends HasMetadata> void ensure(
      R desired, String recipe, R actual, Class<R> type, Context<ModelDeployment> ctx) {
    if (actual != null && memo.knownRecipe(actual, recipe)) {
      return;
    }
    if (actual != null && memo.known(desired, actual)) {
      memo.recipe(actual, recipe);
      return;
    }
    if (actual != null
        && SSABasedGenericKubernetesResourceMatcher.<R>getInstance()
            .matches(actual, desired, ctx)) {
      memo.matched(desired, actual, recipe);
      return;
    }
    String what = "apply " + desired.getKind() + " " + desired.getMetadata().getName();
    LOG.debugf("%s", what);
    R applied =
        run(
            what,
            () ->
                ctx.getClient()
                    .resource(desired)
                    .fieldManager(OperatorSettings.FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply());
    remember(applied, actual, type, ctx);
  }

  void scale(Deployment d, int replicas, Context<ModelDeployment> ctx) {
    if (Objects.equals(d.getSpec().getReplicas(), replicas)) {
      return;
    }
    String what = "scale Deployment " + d.getMetadata().getName() + " to " + replicas;
    LOG.debugf("%s", what);
    Deployment patched =
        run(
            what,
            () ->
                ctx.getClient()
                    .resource(d)
                    .patch(
                        new PatchContext.Builder()
                            .withPatchType(PatchType.JSON_MERGE)
                            .withFieldManager(OperatorSettings.FIELD_MANAGER + "-scale")
                            .build(),
                        "{\"spec\":{\"replicas\":" + replicas + "}}"));
    remember(patched, d, Deployment.class, ctx);
  }

  void delete(Deployment d, String revision, Context<ModelDeployment> ctx) {
    LOG.infof(
        "deleting Deployment %s: revision %s is no longer needed",
        d.getMetadata().getName(), revision);
    run(
        "delete Deployment " + d.getMetadata().getName(),
        () -> ctx.getClient().resource(d).delete());
    memo.forget(d);
  }

  /** Deletes an object of ours that is no longer in use; {@code why} goes to the log. */
  void remove(HasMetadata o, String why, Context<ModelDeployment> ctx) {
    String what = "delete " + o.getKind() + " " + o.getMetadata().getName();
    LOG.infof("%s: %s", what, why);
    run(what, () -> ctx.getClient().resource(o).delete());
    memo.forget(o);
  }

  /** The API server's reason for a failed request, in one line. */
  static String why(RuntimeException e) {
    if (e instanceof KubernetesClientException k) {
      Status s = k.getStatus();
      if (s != null && s.getMessage() != null) {
        return s.getMessage() + (k.getCode() > 0 ? " (HTTP " + k.getCode() + ")" : "");
      }
      Throwable cause = k.getCause();
      if (cause != null && cause.getMessage() != null) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
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
