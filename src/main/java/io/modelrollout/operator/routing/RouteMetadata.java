package io.modelrollout.operator.routing;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.modelrollout.operator.api.ModelDeployment;
import io.modelrollout.operator.resources.Labels;
import io.modelrollout.operator.resources.RevisionDeployments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Marks a route object as the ModelDeployment's: name, labels, ownerReference; keeps the rest. */
public final class RouteMetadata {
  private RouteMetadata() {}

  public static void own(ObjectMeta meta, ModelDeployment md) {
    meta.setName(md.getMetadata().getName());
    meta.setNamespace(md.getMetadata().getNamespace());
    Map<String, String> labels =
        new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    labels.putAll(Labels.common(md));
    meta.setLabels(labels);
    OwnerReference owner = RevisionDeployments.ownerReference(md);
    List<OwnerReference> owners =
        new ArrayList<>(meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences());
    if (owners.stream().noneMatch(o -> Objects.equals(o.getUid(), owner.getUid()))) {
      owners.add(owner);
    }
    meta.setOwnerReferences(owners);
  }
}
