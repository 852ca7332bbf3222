package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelrollout.operator.analysis.QueryTarget;
import io.modelrollout.operator.api.Durations;
import io.modelrollout.operator.api.GateSpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves where a gate's query goes: address, timeout, credentials (the gate's Secret, or the
 * operator's token for its default Prometheus), headers.
 */
public class GateTargets {
  private final OperatorSettings settings;

  public GateTargets(OperatorSettings settings) {
    this.settings = settings;
  }

  /** Why a target could not be resolved; the gate's measurement is then inconclusive. */
  public static class UnresolvedTarget extends Exception {
    public UnresolvedTarget(String message) {
      super(message);
    }
  }

  /**
   * How long the gate's measurement may take: its queries run one after another, so a comparison or
   * an A/B metric, which sends several, gets the per-query timeout for each.
   */
  public java.time.Duration timeout(GateSpec gate) {
    String perQuery = gate.prometheus == null ? null : gate.prometheus.timeout;
    return Durations.parseOr(perQuery, settings.queryTimeout()).multipliedBy(queries(gate));
  }

  /** The queries a gate sends at most, one after another. */
  static int queries(GateSpec gate) {
    if (gate.comparison != null) {
      return gate.comparison.histogram != null ? 4 : 2; // buckets and _count, per side
    }
    if (gate.abMetric != null) {
      var mean = gate.abMetric.mean;
      return mean == null ? 4 : 6; // per variant: trials and successes; count, sum and variance
    }
    return 1;
  }

  public QueryTarget target(GateSpec gate, String namespace, KubernetesClient client)
      throws UnresolvedTarget {
    GateSpec.PrometheusGate p =
        gate.prometheus == null
            ? new GateSpec.PrometheusGate()
            : gate.prometheus; // comparison gates
    boolean ownAddress = p.address != null && !p.address.isBlank();
    String address = ownAddress ? p.address : settings.defaultPrometheus();
    var timeout = Durations.parseOr(p.timeout, settings.queryTimeout());
    Map<String, String> headers = new LinkedHashMap<>();
    if (p.headers != null) {
      p.headers.forEach(h -> headers.put(h.name, h.value));
    }
    String token = null;
    String user = null;
    String password = null;
    String ca = null;
    if (p.secretRef != null) {
      Map<String, String> data = secret(client, namespace, p.secretRef.name);
      token = data.get("token");
      user = data.get("username");
      password = data.get("password");
      ca = data.get("ca.crt");
      if (token == null && user == null && ca == null) {
        throw new UnresolvedTarget(
            "Secret "
                + p.secretRef.name
                + " has none of the keys token, username/password, ca.crt");
      }
    } else if (!ownAddress) {
      // the operator's own credentials go to its default Prometheus only, never to an address
      // that a ModelDeployment or policy names
      token = settings.defaultPrometheusToken();
    }
    return new QueryTarget(address, timeout, token, user, password, ca, headers);
  }

  private static Map<String, String> secret(KubernetesClient client, String namespace, String name)
      throws UnresolvedTarget {
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new UnresolvedTarget("cannot read Secret " + name + ": " + e.getMessage());
    }
    if (s == null) {
      throw new UnresolvedTarget("Secret " + name + " not found in namespace " + namespace);
    }
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim()));
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> out.put(k, v.trim()));
    }
    return out;
  }
}
