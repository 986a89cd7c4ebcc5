package io.tollgate.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one shared, thread-safe Jackson mapper for wire formats (request inspection, usage, catalogs). */
public final class Json {
  /** Reads decimals as BigDecimal: a provider's reported cost must not pass through a double. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, true)
      .configure(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS, false);

  private Json() {}
}
