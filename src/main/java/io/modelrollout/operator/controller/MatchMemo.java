package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * Remembers which live object versions already matched which desired objects, so a reconcile that
 * changes nothing skips the server-side apply matcher (the largest CPU cost of a reconcile that
 * only takes a gate measurement). A live object that changed has another resourceVersion, a desired
 * object that changed another fingerprint: either one matches again in full.
 */
final class MatchMemo {
  static final int MAX_ENTRIES = 50_000; // then it starts over: a bound, not an eviction policy

  private record Matched(String resourceVersion, long fingerprint, String recipe) {}

  private final Map<String, Matched> matched = new ConcurrentHashMap<>();

  /** Whether {@code actual} at its resourceVersion matched this same {@code desired} before. */
  boolean known(HasMetadata desired, HasMetadata actual) {
    Matched m = matched.get(key(desired));
    return m != null
        && m.resourceVersion().equals(actual.getMetadata().getResourceVersion())
        && m.fingerprint() == fingerprint(desired);
  }

  /**
   * Whether {@code actual} at its resourceVersion matched a desired object made from this same
   * {@code recipe}: what the desired object was built from (the ModelDeployment's uid and spec
   * generation, and the decision's inputs). A known recipe needs neither the desired object nor its
   * fingerprint.
   */
  boolean knownRecipe(HasMetadata actual, String recipe) {
    Matched m = matched.get(key(actual));
    return m != null
        && recipe != null
        && recipe.equals(m.recipe())
        && m.resourceVersion().equals(actual.getMetadata().getResourceVersion());
  }

  /** Adds the recipe to the match recorded for {@code actual}. */
  void recipe(HasMetadata actual, String recipe) {
    if (recipe != null) {
      matched.computeIfPresent(
          key(actual), (k, m) -> new Matched(m.resourceVersion(), m.fingerprint(), recipe));
    }
  }

  /** Records that {@code actual} matches {@code desired}. */
  void matched(HasMetadata desired, HasMetadata actual) {
    matched(desired, actual, null);
  }

  /** Records that {@code actual} matches {@code desired}, built from {@code recipe}. */
  void matched(HasMetadata desired, HasMetadata actual, String recipe) {
    if (actual.getMetadata().getResourceVersion() == null) {
      return;
    }
    if (matched.size() >= MAX_ENTRIES) {
      matched.clear();
    }
    matched.put(
        key(desired),
        new Matched(actual.getMetadata().getResourceVersion(), fingerprint(desired), recipe));
  }

  /** Forgets an object that is gone. */
  void forget(HasMetadata o) {
    matched.remove(key(o));
  }

  int size() {
    return matched.size();
  }

  private static String key(HasMetadata o) {
    return o.getClass().getSimpleName()
        + "/"
        + o.getMetadata().getNamespace()
        + "/"
        + o.getMetadata().getName();
  }

  /** 64 bits of the object's JSON: two independent 32-bit hashes. */
  static long fingerprint(HasMetadata o) {
    String json = Serialization.asJson(o);
    CRC32 crc = new CRC32();
    crc.update(json.getBytes(StandardCharsets.UTF_8));
    return ((long) json.hashCode() << 32) ^ crc.getValue();
  }
}
