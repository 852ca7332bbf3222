package io.modelrollout.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real kube-apiserver with its etcd, as local processes on 127.0.0.1, from the binaries
 * hack/k8s-local.sh builds; certificates come from openssl. No controllers run: tests that need
 * Deployment status use {@link FakeDeploymentController}.
 */
public final class LocalApiServer implements AutoCloseable {
  private final Path dir;
  private final Path bin;
  private final List<Process> processes = new ArrayList<>();
  private String kubeconfig;

  public LocalApiServer(Path bin) throws IOException {
    this.bin = bin;
    this.dir = Files.createTempDirectory("mro-apiserver");
  }

  public void start() throws Exception {
    pki();
    int etcdPort = freePort();
    int peerPort = freePort();
    int apiPort = freePort();
    run(
        "etcd",
        bin.resolve("etcd").toString(),
        "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls=http://127.0.0.1:" + peerPort,
        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
        "--initial-cluster=default=http://127.0.0.1:" + peerPort,
        "--listen-metrics-urls=",
        "--unsafe-no-fsync=true");
    Path pki = dir.resolve("pki");
    run(
        "kube-apiserver",
        bin.resolve("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiPort,
        "--cert-dir=" + pki,
        "--tls-cert-file=" + pki.resolve("apiserver.crt"),
        "--tls-private-key-file=" + pki.resolve("apiserver.key"),
        "--client-ca-file=" + pki.resolve("ca.crt"),
        "--service-account-issuer=https://kubernetes.default.svc",
        "--service-account-key-file=" + pki.resolve("sa.pub"),
        "--service-account-signing-key-file=" + pki.resolve("sa.key"),
        "--service-cluster-ip-range=10.0.0.0/16", // room for the Services of many tests
        "--authorization-mode=RBAC",
        "--disable-admission-plugins=ServiceAccount",
        "--allow-privileged=true");
    kubeconfig =
        "apiVersion: v1\nkind: Config\n"
            + "clusters: [{name: local, cluster: {server: 'https://127.0.0.1:"
            + apiPort
            + "', certificate-authority: '"
            + pki.resolve("ca.crt")
            + "'}}]\n"
            + "users: [{name: admin, user: {client-certificate: '"
            + pki.resolve("admin.crt")
            + "', client-key: '"
            + pki.resolve("admin.key")
            + "'}}]\n"
            + "contexts: [{name: local, context: {cluster: local, user: admin}}]\n"
            + "current-context: local\n";
    Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
    awaitReady(Duration.ofSeconds(120));
  }

  /** The kubeconfig YAML (client certificate of system:masters). */
  public String kubeconfig() {
    return kubeconfig;
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    try (KubernetesClient c =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      while (System.nanoTime() < deadline) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IllegalStateException("a control-plane process exited; logs in " + dir);
          }
        }
        try {
          if (c.namespaces().withName("default").get() != null) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException(
        "kube-apiserver not ready within " + timeout + "; logs in " + dir, last);
  }

  private void pki() throws Exception {
    Path p = dir.resolve("pki");
    Files.createDirectories(p);
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "30",
        "-subj",
        "/CN=mro-test-ca",
        "-keyout",
        p.resolve("ca.key").toString(),
        "-out",
        p.resolve("ca.crt").toString());
    signed(
        p,
        "apiserver",
        "/CN=kube-apiserver",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    signed(p, "admin", "/O=system:masters/CN=admin", "extendedKeyUsage=clientAuth\n");
    openssl("genrsa", "-out", p.resolve("sa.key").toString(), "2048");
    openssl(
        "rsa",
        "-in",
        p.resolve("sa.key").toString(),
        "-pubout",
        "-out",
        p.resolve("sa.pub").toString());
  }

  private void signed(Path p, String name, String subject, String ext) throws Exception {
    Path extFile = p.resolve(name + ".ext");
    Files.writeString(extFile, ext);
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        subject,
        "-keyout",
        p.resolve(name + ".key").toString(),
        "-out",
        p.resolve(name + ".csr").toString());
    openssl(
        "x509",
        "-req",
        "-in",
        p.resolve(name + ".csr").toString(),
        "-CA",
        p.resolve("ca.crt").toString(),
        "-CAkey",
        p.resolve("ca.key").toString(),
        "-CAcreateserial",
        "-days",
        "30",
        "-sha256",
        "-extfile",
        extFile.toString(),
        "-out",
        p.resolve(name + ".crt").toString());
  }

  private void openssl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes());
    if (proc.waitFor() != 0) {
      throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }

  private void run(String name, String... cmd) throws IOException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    processes.add(p);
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.destroy();
      try {
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
