package io.modelrollout.operator.resources;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelrollout.operator.api.ModelDeploymentSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The revision of a spec: a short hash of the pod template and the model fields. Map keys are
 * sorted first, so reordering labels in YAML does not start a rollout.
 */
public final class RevisionHash {
  private static final ObjectMapper SORTED =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();
  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();

  private RevisionHash() {}

  /** A 10-character revision id, stable for equal template and model fields. */
  public static String of(ModelDeploymentSpec spec) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("model", SORTED.convertValue(spec.model, Map.class));
    input.put("template", SORTED.convertValue(spec.template, Map.class));
    try {
      byte[] json = SORTED.writeValueAsBytes(input);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      StringBuilder sb = new StringBuilder(10);
      for (int i = 0; i < 10; i++) {
        sb.append(ALPHABET[(digest[i] & 0xff) % ALPHABET.length]);
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash the spec", e);
    }
  }
}
