package io.tollgate.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The one shared, thread-safe Jackson mapper for wire formats (request inspection, usage, catalogs). */
public final class Json {
  /** Reads decimals as BigDecimal: a provider's reported cost must not pass through a double. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
      .configure(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS, false);

  private Json() {}

  /** A JSON document as a tree, or null when it is not JSON. */
  public static JsonNode treeOrNull(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }

  /** Appends a text value (for estimating tokens from what was streamed); anything else adds nothing. */
  public static void appendText(StringBuilder text, JsonNode value) {
    if (value != null && value.isTextual()) {
      text.append(value.asText());
    }
  }
}
