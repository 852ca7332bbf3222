package io.modelrollout.operator.controller;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.modelrollout.operator.api.GateStatus;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.api.ModelDeploymentStatus;
import io.modelrollout.operator.status.StatusCopy;
import io.modelrollout.operator.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds back status writes that only record gate measurements (values, counters, times): at most
 * one such write per ModelDeployment per {@code interval}; a verdict, a step, a phase, an event or
 * anything else is written at once. The measurements held meanwhile are the start of the next
 * reconcile, as long as the status in the cache is the one they were taken on. A restart loses at
 * most one interval of counters: the gates measure again, no step is skipped.
 *
 * <p>A settling step (its weight just asked for; the next reconcile, a moment later, ends it) may
 * also hold what it observed (ready pods, the weight in force) for that reconcile's write, once:
 * the written status is never more than one settle behind the route, so a restart asks for the same
 * weight again and nothing flaps. Its events are emitted when it is held.
 *
 * <p>Each ModelDeployment has its own period, between 3/4 of the interval and the interval (fixed
 * per object): ModelDeployments whose analyses began together would otherwise write together, every
 * interval, and hold every reconcile thread for that moment.
 */
public class StatusThrottle {
  /** A status not written yet, on top of {@code base}; due at {@code dueAt}, or null: interval. */
  private record Held(ModelDeploymentStatus base, ModelDeploymentStatus status, Instant dueAt) {}

  private final Duration interval;
  private final double spread;
  private final Map<ResourceID, Instant> lastWrite = new ConcurrentHashMap<>();
  private final Map<ResourceID, Held> held = new ConcurrentHashMap<>();
  private final Set<ResourceID> unwritten = ConcurrentHashMap.newKeySet();

  /** {@code interval} zero: every change is written at once. */
  public StatusThrottle(Duration interval) {
    this(interval, 0.25);
  }

  /**
   * @param spread how much shorter than {@code interval} a ModelDeployment's period may be, as a
   *     fraction of it (0: exactly the interval for all)
   */
  StatusThrottle(Duration interval, double spread) {
    this.interval = interval;
    this.spread = spread;
  }

  /** This ModelDeployment's period: the interval less its share of the spread. */
  Duration period(ResourceID id) {
    if (spread == 0 || interval.isZero()) {
      return interval;
    }
    int h = id.hashCode() * 0x9E3779B9; // spread neighbouring hashes apart
    double share = spread * Math.floorMod(h, 1000) / 1000.0;
    return interval.minusMillis(Math.round(interval.toMillis() * share));
  }

  /** The ModelDeployment with the measurements held for it, or itself when none apply. */
  public ModelDeployment overlay(ModelDeployment md) {
    ResourceID id = ResourceID.fromResource(md);
    Held h = held.get(id);
    if (h == null) {
      return md;
    }
    if (h.base() != md.getStatus() && !Json.same(h.base(), md.getStatus())) {
      held.remove(id, h); // the status changed under them: start from what is written
      return md;
    }
    ModelDeployment copy = new ModelDeployment();
    copy.setMetadata(md.getMetadata());
    copy.setSpec(md.getSpec());
    copy.setStatus(h.status());
    return copy;
  }

  /**
   * Whether {@code after} may wait instead of being written now; if so, it is held on top of {@code
   * cached} (the status in the informer's cache).
   */
  public boolean hold(
      ModelDeployment cached,
      ModelDeploymentStatus before,
      ModelDeploymentStatus after,
      boolean eventful,
      Instant now) {
    ResourceID id = ResourceID.fromResource(cached);
    Instant last = lastWrite.get(id);
    if (interval.isZero()
        || eventful
        || last == null
        || !now.isBefore(last.plus(period(id)))
        || before == null
        || !onlyMeasurements(before, after)) {
      return false;
    }
    held.put(id, new Held(cached.getStatus(), after, null));
    return true;
  }

  /**
   * Whether the status of a settling step may wait for the next reconcile (due at {@code due});
   * only when nothing is held already, so two settles in a row write the second.
   */
  public boolean holdSettling(ModelDeployment cached, ModelDeploymentStatus after, Instant due) {
    ResourceID id = ResourceID.fromResource(cached);
    if (interval.isZero() || cached.getStatus() == null || unwritten.contains(id)) {
      return false; // after a failed write every reconcile tries to write (and tells its failure)
    }
    return held.putIfAbsent(id, new Held(cached.getStatus(), after, due)) == null;
  }

  /** How long until a held status must be written, or null when nothing is held. */
  public Duration flushIn(ModelDeployment md, Instant now) {
    ResourceID id = ResourceID.fromResource(md);
    Held h = held.get(id);
    Instant last = lastWrite.get(id);
    if (h == null || (h.dueAt() == null && last == null)) {
      return null;
    }
    Duration d = Duration.between(now, h.dueAt() != null ? h.dueAt() : last.plus(period(id)));
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Whether a status is held whose time to be written has come. */
  public boolean due(ModelDeployment md, Instant now) {
    Duration d = flushIn(md, now);
    return d != null && d.isZero();
  }

  /** A status of {@code md} was written at {@code now}: nothing is held any more. */
  public void written(ModelDeployment md, Instant now) {
    ResourceID id = ResourceID.fromResource(md);
    held.remove(id);
    unwritten.remove(id);
    lastWrite.put(id, now);
  }

  /** A status write of {@code md} failed: no settle waits until one succeeds. */
  public void failed(ModelDeployment md) {
    unwritten.add(ResourceID.fromResource(md));
  }

  /** Forgets a ModelDeployment that is gone. */
  public void forget(ResourceID id) {
    held.remove(id);
    unwritten.remove(id);
    lastWrite.remove(id);
  }

  /**
   * Whether {@code after} differs from {@code before} only in revisions gone from the scale-down
   * list whose time had come: that alone is not worth a write; the next write carries it.
   */
  public static boolean onlyExpiredScaleDowns(
      ModelDeploymentStatus before, ModelDeploymentStatus after, Instant now) {
    if (before == null
        || after == null
        || before.scaleDown == null
        || after.scaleDown == null
        || before.scaleDown.size() <= after.scaleDown.size()) {
      return false;
    }
    ModelDeploymentStatus pruned = StatusCopy.of(before);
    pruned.scaleDown.removeIf(
        d ->
            d.at != null
                && !Instant.parse(d.at).isAfter(now)
                && after.scaleDown.stream().noneMatch(a -> eq(a.revision, d.revision)));
    return Json.same(pruned, after);
  }

  /** Whether the two statuses differ only in what a gate measurement records. */
  static boolean onlyMeasurements(ModelDeploymentStatus before, ModelDeploymentStatus after) {
    if (before.gates == null || after.gates == null || before.gates.size() != after.gates.size()) {
      return false;
    }
    for (int i = 0; i < after.gates.size(); i++) {
      GateStatus b = before.gates.get(i);
      GateStatus a = after.gates.get(i);
      if (b == null || a == null || b.verdict != a.verdict || !eq(b.name, a.name)) {
        return false;
      }
    }
    return Json.same(withoutMeasurements(before), withoutMeasurements(after));
  }

  private static ModelDeploymentStatus withoutMeasurements(ModelDeploymentStatus st) {
    ModelDeploymentStatus c = StatusCopy.of(st);
    for (GateStatus g : c.gates) {
      g.value = null;
      g.successes = null;
      g.failures = null;
      g.inconclusives = null;
      g.measuredAt = null;
      g.message = null;
      g.comparison = null;
    }
    return c;
  }

  private static boolean eq(String a, String b) {
    return a == null ? b == null : a.equals(b);
  }
}
