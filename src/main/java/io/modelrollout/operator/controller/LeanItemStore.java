package io.modelrollout.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An informer cache that keeps objects without what the operator never reads from a cached object:
 * the {@code metadata.managedFields} entries of other field managers (controllers' and users'
 * status and spec updates: a large part of a cached object's heap; the operator's own entries stay,
 * its writes compare against them), and whatever {@code trim} removes. One store per informer: a
 * store shared by the informers of several namespaces would lose entries when one of them lists
 * again.
 */
public final class LeanItemStore<T extends HasMetadata> implements ItemStore<T> {
  private final BasicItemStore<T> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final Consumer<T> trim;

  public LeanItemStore() {
    this(o -> {});
  }

  public LeanItemStore(Consumer<T> trim) {
    this.trim = trim;
  }

  /**
   * A store that keeps no managedFields at all: for objects the operator never server-side applies
   * whole (its ModelDeployments: their status is compared by value, not by field ownership).
   */
  public static <T extends HasMetadata> LeanItemStore<T> withoutManagedFields() {
    return new LeanItemStore<>(o -> o.getMetadata().setManagedFields(null));
  }

  /** The object as this store keeps it (changed in place). */
  T lean(T obj) {
    if (obj != null && obj.getMetadata() != null) {
      var fields = obj.getMetadata().getManagedFields();
      if (fields != null) {
        obj.getMetadata()
            .setManagedFields(
                fields.stream()
                    .filter(
                        f ->
                            f.getManager() != null
                                && f.getManager().startsWith(OperatorSettings.FIELD_MANAGER))
                    .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)));
      }
      trim.accept(obj);
    }
    return obj;
  }

  @Override
  public String getKey(T obj) {
    return store.getKey(obj);
  }

  @Override
  public T put(String key, T obj) {
    return store.put(key, lean(obj));
  }

  @Override
  public T remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<T> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public T get(String key) {
    return store.get(key);
  }
}
