package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stands in for the CronJob and Job controllers on an API server without them: starts a run of a
 * CronJob as its controller would (a Job from its template, owned by it), and finishes Jobs by
 * writing their status (succeeded, or failed with a pod that exited non-zero).
 */
public final class FakeJobs {
  private final KubernetesClient client;
  private final String ns;

  public FakeJobs(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
  }

  /** A run of the CronJob {@code cron}, started now. */
  public Job startRun(String cron, String name) {
    CronJob c = client.batch().v1().cronjobs().inNamespace(ns).withName(cron).get();
    Map<String, String> labels =
        new LinkedHashMap<>(c.getSpec().getJobTemplate().getMetadata().getLabels());
    Job job =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(labels)
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("CronJob")
                    .withName(cron)
                    .withUid(c.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withSpec(c.getSpec().getJobTemplate().getSpec())
            .build();
    Job created = client.resource(job).create();
    created.setStatus(new JobStatusBuilder().withStartTime(now()).withActive(1).build());
    return client.resource(created).updateStatus();
  }

  public Job get(String name) {
    return client.batch().v1().jobs().inNamespace(ns).withName(name).get();
  }

  /** The Job succeeded. */
  public void succeed(String name) {
    Job j = get(name);
    String start = start(j);
    JobStatus st =
        new JobStatusBuilder()
            .withStartTime(start)
            .withCompletionTime(now())
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("SuccessCriteriaMet")
                    .withStatus("True")
                    .withLastTransitionTime(now())
                    .build(),
                new JobConditionBuilder()
                    .withType("Complete")
                    .withStatus("True")
                    .withLastTransitionTime(now())
                    .build())
            .build();
    j.setStatus(st);
    client.resource(j).updateStatus();
  }

  /** The Job failed after its backoff limit; its pod exited with {@code exitCode}. */
  public void fail(String name, int exitCode, String message) {
    Job j = get(name);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name + "-x1")
            .withNamespace(ns)
            .withLabels(withJobName(j.getSpec().getTemplate().getMetadata().getLabels(), name))
            .endMetadata()
            .withSpec(j.getSpec().getTemplate().getSpec())
            .build();
    Pod created = client.resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Failed")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(created.getSpec().getContainers().get(0).getName())
                    .withImage(created.getSpec().getContainers().get(0).getImage())
                    .withImageID("")
                    .withReady(false)
                    .withRestartCount(0)
                    .withState(
                        new ContainerStateBuilder()
                            .withNewTerminated()
                            .withExitCode(exitCode)
                            .withReason("Error")
                            .withMessage(message)
                            .endTerminated()
                            .build())
                    .build())
            .build());
    client.resource(created).updateStatus();
    JobStatus st =
        new JobStatusBuilder()
            .withStartTime(start(j))
            .withFailed(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("FailureTarget")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(now())
                    .build(),
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(now())
                    .build())
            .build();
    j.setStatus(st);
    client.resource(j).updateStatus();
  }

  private static Map<String, String> withJobName(Map<String, String> labels, String job) {
    Map<String, String> l = new LinkedHashMap<>(labels);
    l.put("batch.kubernetes.io/job-name", job);
    return l;
  }

  private static String start(Job j) {
    return j.getStatus() != null && j.getStatus().getStartTime() != null
        ? j.getStatus().getStartTime()
        : now();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
