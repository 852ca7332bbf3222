package io.modelrollout.operator.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus application as packaged: it starts the operator against the test API server, reports
 * ready, reconciles, and exposes its metrics on /q/metrics.
 */
@QuarkusTest
@QuarkusTestResource(ApiServerResource.class)
class OperatorAppIT {
  @Test
  void reconcilesAndExposesHealthAndMetrics() {
    given().when().get("/q/health/ready").then().statusCode(200).body(containsString("\"UP\""));
    try (KubernetesClient client = TestCluster.client()) {
      String ns = ApiServerResource.NAMESPACE;
      try (FakeDeploymentController pods = new FakeDeploymentController(client, ns)) {
        client.resource(Fixtures.model(ns, "metered", "1.0.0", 2)).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  ModelDeployment md =
                      client
                          .resources(ModelDeployment.class)
                          .inNamespace(ns)
                          .withName("metered")
                          .get();
                  return md.getStatus() != null && md.getStatus().phase == Phase.Healthy;
                });
      }
      String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
      assertThat(metrics)
          .contains(
              "modelrollout_phase{name=\"metered\",namespace=\"" + ns + "\",phase=\"Healthy\"} 1.0")
          .contains(
              "modelrollout_phase{name=\"metered\",namespace=\""
                  + ns
                  + "\",phase=\"Progressing\"} 0.0")
          .contains("modelrollout_canary_weight{name=\"metered\",namespace=\"" + ns + "\"} 0.0")
          .contains("modelrollout_promotions_total{name=\"metered\",namespace=\"" + ns + "\"} 1.0")
          .contains("operator_sdk_reconciliations_executions")
          .contains("operator_sdk_controllers_execution_reconcile_seconds_count{")
          .as("the SDK's meters are per controller: no series per object")
          .doesNotContain("resource_name=\"metered\"");

      client.resources(ModelDeployment.class).inNamespace(ns).withName("metered").delete();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !given()
                      .get("/q/metrics")
                      .then()
                      .extract()
                      .asString()
                      .contains("modelrollout_phase{name=\"metered\""));
    }
  }
}
