package io.modelrollout.operator.analysis.prometheus;

import io.modelrollout.operator.analysis.QueryTarget;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients per trust configuration: one for the system trust store, one per CA bundle. */
class HttpClients {
  private final HttpClient plain = builder().build();
  private final Map<String, HttpClient> byCa = new ConcurrentHashMap<>();

  HttpClient forTarget(QueryTarget target) {
    if (target.caPem() == null || target.caPem().isBlank()) {
      return plain;
    }
    return byCa.computeIfAbsent(target.caPem(), pem -> builder().sslContext(trusting(pem)).build());
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .version(HttpClient.Version.HTTP_1_1);
  }

  private static SSLContext trusting(String pem) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalArgumentException("invalid CA bundle: " + e.getMessage(), e);
    }
  }
}
