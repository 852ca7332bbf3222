package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.modelrollout.operator.api.BatchSpec;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.rollout.ModeIntent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects of a Batch ModelDeployment (pure builders): the CronJob {@code <name>} that runs the
 * version in service, the validation Job {@code <name>-<revision>} of a new version, and the kept
 * job template of a revision (ControllerRevision {@code <name>-<revision>}).
 *
 * <p>Every run's container gets MODEL_INPUT_URI, MODEL_RUN_ID (the Job's name, from the pod's label
 * batch.kubernetes.io/job-name), MODEL_OUTPUT_URI ({@code <output>/<version>/$(MODEL_RUN_ID)}) and
 * MODEL_RUN_KIND (scheduled, validation or shadow); a shadow validation also
 * MODEL_BASELINE_OUTPUT_URI.
 */
public final class BatchObjects {
  public static final String KIND = "modelrollout.io/job-kind";
  public static final String ATTEMPT = "modelrollout.io/attempt";
  public static final String RUN = "run";
  public static final String VALIDATION = "validation";
  static final Set<String> BATCH_ENV =
      Set.of(
          "MODEL_INPUT_URI",
          "MODEL_OUTPUT_URI",
          "MODEL_RUN_ID",
          "MODEL_RUN_KIND",
          "MODEL_BASELINE_OUTPUT_URI");

  private BatchObjects() {}

  /** The pod template of the spec's revision: labels and MODEL_* environment, as a Deployment's. */
  public static PodTemplateSpec revisionTemplate(ModelDeployment md, String revision) {
    var model = md.getSpec().model;
    return RevisionDeployments.podTemplate(
        md.getSpec().template, labels(md, revision, model.version), model);
  }

  /** The kept job template of a revision. */
  public static ControllerRevision template(
      ModelDeployment md, String revision, String version, PodTemplateSpec template) {
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName(Labels.deploymentName(md, revision))
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels(md, revision, version))
        .withOwnerReferences(RevisionDeployments.ownerReference(md))
        .endMetadata()
        .withRevision(1L)
        .withData(template)
        .build();
  }

  /** The pod template kept in a ControllerRevision. */
  public static PodTemplateSpec templateOf(ControllerRevision r) {
    Object data = r.getData();
    var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    return serialization.convertValue(data, PodTemplateSpec.class);
  }

  /**
   * The CronJob running {@code template} (the pod template of {@code cron.revision()}).
   *
   * @param template the revision's pod template (labels and MODEL_* environment included)
   */
  public static CronJob cronJob(
      ModelDeployment md, PodTemplateSpec template, ModeIntent.CronTarget cron) {
    BatchSpec b = md.getSpec().batch;
    Map<String, String> labels = labels(md, cron.revision(), cron.version());
    Map<String, String> jobLabels = new LinkedHashMap<>(labels);
    jobLabels.put(KIND, RUN);
    PodTemplateSpec pod =
        withRunEnv(
            template,
            jobLabels,
            List.of(
                env("MODEL_INPUT_URI", b.input),
                runIdFromLabel(),
                env("MODEL_OUTPUT_URI", outputBase(b.output, cron.version()) + "/$(MODEL_RUN_ID)"),
                env("MODEL_RUN_KIND", "scheduled")));
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(md.getMetadata().getName())
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(RevisionDeployments.ownerReference(md))
        .endMetadata()
        .withNewSpec()
        .withSchedule(b.schedule)
        .withTimeZone(b.timeZone)
        .withConcurrencyPolicy(b.concurrencyPolicy == null ? "Forbid" : b.concurrencyPolicy.name())
        .withSuccessfulJobsHistoryLimit(
            b.successfulJobsHistoryLimit == null ? 3 : b.successfulJobsHistoryLimit)
        .withFailedJobsHistoryLimit(b.failedJobsHistoryLimit == null ? 1 : b.failedJobsHistoryLimit)
        .withStartingDeadlineSeconds(b.startingDeadlineSeconds)
        .withSuspend(cron.suspend())
        .withNewJobTemplate()
        .withNewMetadata()
        .withLabels(jobLabels)
        .endMetadata()
        .withSpec(jobSpec(b, b.activeDeadlineSeconds, pod))
        .endJobTemplate()
        .endSpec()
        .build();
  }

  /** The validation Job of a new version. */
  public static Job validationJob(
      ModelDeployment md, PodTemplateSpec template, ModeIntent.ValidationJob v) {
    BatchSpec b = md.getSpec().batch;
    Map<String, String> labels = labels(md, v.revision(), v.version());
    labels.put(KIND, VALIDATION);
    labels.put(ATTEMPT, v.attempt());
    List<EnvVar> env = new ArrayList<>();
    env.add(env("MODEL_INPUT_URI", v.input()));
    env.add(env("MODEL_RUN_ID", v.name()));
    env.add(env("MODEL_OUTPUT_URI", v.output()));
    env.add(env("MODEL_RUN_KIND", v.baselineOutput() == null ? "validation" : "shadow"));
    if (v.baselineOutput() != null) {
      env.add(env("MODEL_BASELINE_OUTPUT_URI", v.baselineOutput()));
    }
    PodTemplateSpec pod = withRunEnv(template, labels, env);
    return new JobBuilder()
        .withNewMetadata()
        .withName(v.name())
        .withNamespace(md.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(RevisionDeployments.ownerReference(md))
        .endMetadata()
        .withSpec(jobSpec(b, v.deadline().toSeconds(), pod))
        .build();
  }

  private static JobSpec jobSpec(BatchSpec b, Long deadline, PodTemplateSpec pod) {
    return new JobSpecBuilder()
        .withActiveDeadlineSeconds(deadline)
        .withBackoffLimit(b.backoffLimit)
        .withTemplate(pod)
        .build();
  }

  /** {@code <output>/<version>}, the version made safe for a path (as the engine writes it). */
  public static String outputBase(String output, String version) {
    String v = version.replaceAll("[^A-Za-z0-9._-]", "_");
    return (output.endsWith("/") ? output.substring(0, output.length() - 1) : output) + "/" + v;
  }

  /** Labels of a Batch object of a revision. */
  public static Map<String, String> labels(ModelDeployment md, String revision, String version) {
    Map<String, String> l = Labels.revision(md, revision, version);
    l.put(Labels.MODE, "Batch");
    return l;
  }

  private static PodTemplateSpec withRunEnv(
      PodTemplateSpec template, Map<String, String> labels, List<EnvVar> runEnv) {
    Map<String, String> podLabels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      podLabels.putAll(template.getMetadata().getLabels());
    }
    podLabels.putAll(labels);
    PodTemplateSpec t =
        new PodTemplateSpecBuilder(template)
            .editOrNewMetadata()
            .withLabels(podLabels)
            .endMetadata()
            .build();
    List<Container> containers = new ArrayList<>();
    for (Container c : t.getSpec().getContainers()) {
      List<EnvVar> env = new ArrayList<>();
      if (c.getEnv() != null) {
        c.getEnv().stream().filter(e -> !BATCH_ENV.contains(e.getName())).forEach(env::add);
      }
      env.addAll(runEnv);
      Container copy = new ContainerBuilder(c).build();
      copy.setEnv(env);
      containers.add(copy);
    }
    t.getSpec().setContainers(containers);
    String restart = t.getSpec().getRestartPolicy();
    if (restart == null || "Always".equals(restart)) {
      t.getSpec().setRestartPolicy("Never"); // a Job's pods must not restart forever
    }
    return t;
  }

  private static EnvVar runIdFromLabel() {
    return new EnvVarBuilder()
        .withName("MODEL_RUN_ID")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.labels['batch.kubernetes.io/job-name']")
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
