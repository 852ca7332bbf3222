package io.modelrollout.operator.resources;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.modelrollout.operator.api.ModelDeployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The labels and names of the objects a ModelDeployment owns. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MODEL = "modelrollout.io/model";
  public static final String REVISION = "modelrollout.io/revision";
  public static final String VERSION = "modelrollout.io/version";
  public static final String OPERATOR = "model-rollout-operator";
  public static final String ACTION_ANNOTATION = "modelrollout.io/action";

  /** The mode of the pods and objects of a Batch or an Edge ModelDeployment. */
  public static final String MODE = "modelrollout.io/mode";

  private static final Pattern INVALID = Pattern.compile("[^A-Za-z0-9._-]");

  private Labels() {}

  /** Labels of everything owned by the ModelDeployment. */
  public static Map<String, String> common(ModelDeployment md) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(NAME, md.getMetadata().getName());
    l.put(MANAGED_BY, OPERATOR);
    l.put(MODEL, labelValue(md.getSpec().model.name));
    return l;
  }

  /** Labels of a revision's Deployment and pods. */
  public static Map<String, String> revision(ModelDeployment md, String revision, String version) {
    Map<String, String> l = common(md);
    l.put(REVISION, revision);
    l.put(VERSION, labelValue(version));
    return l;
  }

  /** Selects the pods of one revision. */
  public static Map<String, String> revisionSelector(ModelDeployment md, String revision) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put(NAME, md.getMetadata().getName());
    l.put(REVISION, revision);
    return l;
  }

  /** The selector of one revision's pods as text, as the scale subresource reports it. */
  public static String selectorText(ModelDeployment md, String revision) {
    return NAME + "=" + md.getMetadata().getName() + "," + REVISION + "=" + revision;
  }

  /** Selects the pods of every revision. */
  public static Map<String, String> allRevisionsSelector(ModelDeployment md) {
    return Map.of(NAME, md.getMetadata().getName());
  }

  public static String deploymentName(ModelDeployment md, String revision) {
    return md.getMetadata().getName() + "-" + revision;
  }

  /** Whether {@code o} has {@code md} as its owner (same uid): an object the operator made. */
  public static boolean ownedBy(HasMetadata o, ModelDeployment md) {
    String uid = md.getMetadata().getUid();
    return uid != null
        && o.getMetadata().getOwnerReferences() != null
        && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  public static String stableService(ModelDeployment md) {
    return md.getMetadata().getName() + "-stable";
  }

  public static String canaryService(ModelDeployment md) {
    return md.getMetadata().getName() + "-canary";
  }

  /** A label value from free text: invalid characters become '_', at most 63 characters. */
  public static String labelValue(String text) {
    if (text == null) {
      return "";
    }
    String v = INVALID.matcher(text).replaceAll("_");
    if (v.length() > 63) {
      v = v.substring(0, 63);
    }
    v = v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    return v;
  }
}
