package io.modelrollout.operator.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Equality and deep copies by JSON value: key order and Java types do not matter. */
public final class Json {
  private static final ObjectMapper SORTED =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private Json() {}

  /** The value serialized with sorted keys. */
  public static String canonical(Object value) {
    try {
      return SORTED.writeValueAsString(SORTED.convertValue(value, Object.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether two values serialize to the same JSON, whatever their key order (as {@link #canonical}
   * compares them, without building and sorting the two texts: numbers are equal when they print
   * the same).
   */
  public static boolean same(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    JsonNode x = SORTED.valueToTree(a);
    JsonNode y = SORTED.valueToTree(b);
    return x.equals(SAME_TEXT, y);
  }

  private static final java.util.Comparator<JsonNode> SAME_TEXT =
      (p, q) -> {
        if (p.isNumber() && q.isNumber()) {
          return p.asText().equals(q.asText()) ? 0 : 1;
        }
        return p.equals(q) ? 0 : 1;
      };

  /** A deep copy of {@code value} as {@code type}. */
  public static <T> T copy(Object value, Class<T> type) {
    return SORTED.convertValue(value, type);
  }
}
