package io.modelrollout.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.Phase;
import io.modelrollout.operator.testing.FakeDeploymentController;
import io.modelrollout.operator.testing.Fixtures;
import io.modelrollout.operator.testing.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The operator image (target/model-rollout-operator-image.tar, built by -Pimage) runs: its layers
 * unpacked into a directory, its entrypoint (with -XX:MaxRAMPercentage) started under chroot as the
 * image's user, configured like a pod of the Helm chart (the chart's env, in-cluster ServiceAccount
 * token files, the Kubernetes service variables, a read-only root filesystem with a tmpfs on /tmp).
 * It starts, becomes ready and reconciles a ModelDeployment. No container engine can run here;
 * chroot into a read-only bind mount with /proc mounted is the closest thing.
 */
class ImageSmokeIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void imageStartsBecomesReadyAndReconciles() throws Exception {
    Path image =
        Path.of(
            System.getProperty(
                "mro.imageTar",
                TestCluster.projectDir()
                    .resolve("target/model-rollout-operator-image.tar")
                    .toString()));
    boolean required = "true".equals(System.getenv("MRO_REQUIRE_IMAGE"));
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!required) {
      Assumptions.assumeTrue(Files.exists(image), "no image: build it with ./mvnw package -Pimage");
      Assumptions.assumeTrue(root, "chroot and mount need root");
    }
    assertThat(image).as("build the image with ./mvnw package -Pimage").exists();
    assertThat(root).as("the image smoke test runs chroot and mount as root").isTrue();

    Path work = Files.createDirectories(TestCluster.projectDir().resolve("target/image-smoke"));
    Path rootfs = work.resolve("rootfs");
    Path readOnly = work.resolve("rootfs-ro"); // what the process sees: rootfs, read-only
    unmountAll(readOnly); // left over by a run that was killed
    sh("rm", "-rf", "--one-file-system", rootfs.toString(), work.resolve("image").toString());
    Files.createDirectories(rootfs);
    JsonNode config = unpack(image, work.resolve("image"), rootfs);
    List<String> entrypoint = new ArrayList<>();
    config.path("config").path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
    assertThat(entrypoint)
        .as("the JVM sizes its heap from the container's memory limit")
        .anySatisfy(a -> assertThat(a).matches("-XX:MaxRAMPercentage=[0-9.]+"));

    try (KubernetesClient admin = TestCluster.client()) {
      String releaseNs = TestCluster.newNamespace(admin, "mro-image");
      Installation inst = Installation.install(admin, releaseNs, Map.of());
      assertThat(inst.operatorEnv()).isNotEmpty();
      String chartImage =
          admin
              .apps()
              .deployments()
              .inNamespace(releaseNs)
              .withName(inst.deployment)
              .get()
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getImage();
      assertThat(config.path("repoTags").toString())
          .as("the chart's default image is what the build produced")
          .contains("\"" + chartImage + "\"");

      Path sa =
          Files.createDirectories(inside(rootfs, "/var/run/secrets/kubernetes.io/serviceaccount"));
      Files.writeString(sa.resolve("token"), inst.token());
      Files.writeString(sa.resolve("namespace"), releaseNs);
      Files.copy(Path.of(TestCluster.config().getCaCertFile()), sa.resolve("ca.crt"));

      URI api = URI.create(TestCluster.config().getMasterUrl());
      int port = OperatorProcess.freePort();
      Map<String, String> env = new LinkedHashMap<>();
      for (JsonNode e : config.path("config").path("Env")) {
        String[] kv = e.asText().split("=", 2);
        env.put(kv[0], kv[1]);
      }
      env.putAll(inst.operatorEnv());
      env.put("KUBERNETES_SERVICE_HOST", api.getHost());
      env.put("KUBERNETES_SERVICE_PORT", String.valueOf(api.getPort()));
      env.put("HOSTNAME", "image-smoke");
      env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
      env.put("QUARKUS_HTTP_HOST", "127.0.0.1"); // the host's network: stay on loopback

      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "chroot",
                  "--userspec=" + config.path("config").path("User").asText(),
                  readOnly.toString()));
      cmd.addAll(entrypoint);
      // as the chart runs it: a read-only root filesystem with a small writable /tmp (its
      // emptyDir), and /proc for the JVM
      Files.createDirectories(rootfs.resolve("proc"));
      Files.createDirectories(rootfs.resolve("tmp"));
      Files.createDirectories(readOnly);
      try {
        sh("mount", "--bind", rootfs.toString(), readOnly.toString());
        sh("mount", "-o", "remount,bind,ro", readOnly.toString());
        sh(
            "mount",
            "-t",
            "tmpfs",
            "-o",
            "size=64m,mode=1777",
            "tmpfs",
            readOnly.resolve("tmp").toString());
        sh("mount", "-t", "proc", "proc", readOnly.resolve("proc").toString());
        assertThatThrownBy(() -> Files.writeString(readOnly.resolve("deployments/probe"), "x"))
            .as("the root filesystem is read-only, even for root")
            .isInstanceOf(IOException.class);
        try (OperatorProcess op =
            OperatorProcess.command(cmd, env, port, work.resolve("operator.log"))) {
          op.awaitReady(Duration.ofSeconds(120));
          assertThat(uid(op.pid())).as("runs as the image's non-root user").isEqualTo("10001");
          assertThat(op.get("/q/health/live").statusCode()).isEqualTo(200);
          assertThat(op.get("/q/health/started").statusCode())
              .as("the chart's startupProbe")
              .isEqualTo(200);
          assertThat(Files.readString(Path.of("/proc/" + op.pid() + "/cmdline")).split("\0"))
              .as("the running JVM has the image's flags")
              .contains(
                  entrypoint.stream()
                      .filter(a -> a.startsWith("-XX:MaxRAMPercentage"))
                      .findFirst()
                      .orElseThrow());

          String ns = TestCluster.newNamespace(admin, "image-models");
          try (FakeDeploymentController pods = new FakeDeploymentController(admin, ns)) {
            admin.resource(Fixtures.model(ns, "smoke", "1.0.0", 1)).create();
            ModelDeployment md =
                Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(
                        () ->
                            admin
                                .resources(ModelDeployment.class)
                                .inNamespace(ns)
                                .withName("smoke")
                                .get(),
                        m -> m.getStatus() != null && m.getStatus().phase == Phase.Healthy);
            assertThat(md.getStatus().stable.version).isEqualTo("1.0.0");
          }
          assertThat(op.log()).doesNotContainIgnoringCase("forbidden");
        }
      } finally {
        unmountAll(readOnly);
      }
    } finally {
      sh("rm", "-rf", "--one-file-system", rootfs.toString(), work.resolve("image").toString());
    }
  }

  /** Unmounts /proc, /tmp and the read-only view itself, whichever are mounted. */
  private static void unmountAll(Path readOnly) throws Exception {
    for (Path m : List.of(readOnly.resolve("proc"), readOnly.resolve("tmp"), readOnly)) {
      if (mounted(m)) {
        sh("umount", m.toString());
      }
    }
  }

  private static boolean mounted(Path p) throws IOException {
    String target = p.toAbsolutePath().normalize().toString();
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .map(l -> l.split(" ")[1])
        .anyMatch(target::equals);
  }

  /** Unpacks a docker-archive: its layers in order into {@code rootfs}; returns its config. */
  private static JsonNode unpack(Path image, Path dir, Path rootfs) throws Exception {
    Files.createDirectories(dir);
    sh("tar", "-xf", image.toString(), "-C", dir.toString());
    JsonNode manifest = JSON.readTree(Files.readString(dir.resolve("manifest.json"))).get(0);
    for (JsonNode layer : manifest.path("Layers")) {
      sh("tar", "-xzf", dir.resolve(layer.asText()).toString(), "-C", rootfs.toString());
    }
    var config =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            JSON.readTree(Files.readString(dir.resolve(manifest.path("Config").asText())));
    config.set("repoTags", manifest.path("RepoTags"));
    return config;
  }

  /**
   * {@code path} as the chrooted process sees it, under {@code rootfs}: symbolic links are followed
   * within rootfs (Debian's /var/run is a link to the absolute /run, which must not lead to the
   * host's /run).
   */
  static Path inside(Path rootfs, String path) throws IOException {
    Path cur = rootfs;
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      Path next = cur.resolve(part);
      for (int hops = 0; Files.isSymbolicLink(next); hops++) {
        assertThat(hops).as("symbolic link loop at %s", next).isLessThan(10);
        String target = Files.readSymbolicLink(next).toString();
        next = target.startsWith("/") ? inside(rootfs, target) : cur.resolve(target).normalize();
      }
      cur = next;
    }
    assertThat(cur.normalize().startsWith(rootfs)).as("%s stays inside %s", path, rootfs).isTrue();
    return cur;
  }

  private static String uid(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[1];
      }
    }
    return null;
  }

  private static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
  }
}
