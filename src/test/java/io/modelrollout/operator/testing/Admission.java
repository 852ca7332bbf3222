package io.modelrollout.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Makes the real API server refuse a kind of request, with a ValidatingAdmissionPolicy bound to one
 * namespace: the way a test makes a write fail where a real cluster would (a policy, a webhook, a
 * missing permission), without touching the operator.
 */
public final class Admission implements AutoCloseable {
  private final KubernetesClient client;
  private final String name;

  private Admission(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  /**
   * Refuses {@code operation} (CREATE, UPDATE, DELETE) on {@code resource} of {@code group} in
   * {@code namespace} when the CEL {@code expression} is false; waits until the refusal is in
   * force, as {@code inForce} tells.
   */
  public static Admission refuse(
      KubernetesClient client,
      String namespace,
      String group,
      String resource,
      String operation,
      String expression,
      BooleanSupplier inForce) {
    String name = "test-refuse-" + namespace;
    String policy =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: %s}
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: ["%s"]
                apiVersions: ["*"]
                resources: ["%s"]
                operations: ["%s"]
          validations:
            - expression: %s
              message: refused by the test's admission policy
        """
            .formatted(name, group, resource, operation, Serialization.asJson(expression));
    String binding =
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: %s}
        spec:
          policyName: %s
          validationActions: [Deny]
          matchResources:
            namespaceSelector:
              matchLabels: {kubernetes.io/metadata.name: %s}
        """
            .formatted(name, name, namespace);
    client.resource(Serialization.unmarshal(policy, GenericKubernetesResource.class)).create();
    client.resource(Serialization.unmarshal(binding, GenericKubernetesResource.class)).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(inForce::getAsBoolean);
    return new Admission(client, name);
  }

  /** Lifts the refusal. */
  @Override
  public void close() {
    client
        .genericKubernetesResources(
            "admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding")
        .withName(name)
        .delete();
    client
        .genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")
        .withName(name)
        .delete();
  }
}
