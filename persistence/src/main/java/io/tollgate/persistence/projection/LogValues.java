package io.tollgate.persistence.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.UpstreamAttempt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Values as the logs store them: text cut and made safe, lists and tags as JSON. */
final class LogValues {
  /** Longer values are cut, unsafe characters replaced: no record can make a row unwritable. */
  static final int MAX_TEXT = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private LogValues() {}

  static String text(String value) {
    return SafeText.clean(value, MAX_TEXT);
  }

  /** The values as a PostgreSQL array literal, quotes and backslashes escaped: cast to text[] per row, cheaply. */
  static String arrayLiteral(List<String> values) {
    StringBuilder literal = new StringBuilder("{");
    for (String value : values) {
      if (literal.length() > 1) {
        literal.append(',');
      }
      literal.append('"').append(text(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return literal.append('}').toString();
  }

  static String tags(Attribution attribution) {
    return json(attribution.tags().entrySet().stream()
        .collect(Collectors.toMap(e -> text(e.getKey()), e -> text(e.getValue()), (a, b) -> a, LinkedHashMap::new)));
  }

  /** The tries that did not serve a request, as a JSON array; null when there were none. */
  static String attempts(List<UpstreamAttempt> attempts) {
    if (attempts == null) {
      return null;
    }
    List<Map<String, Object>> array = new ArrayList<>(attempts.size());
    for (UpstreamAttempt a : attempts) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("provider", text(a.provider()));
      o.put("model", text(a.model()));
      o.put("deployment", text(a.deployment()));
      o.put("status", a.status());
      o.put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
      o.put("ms", a.millis());
      array.add(o);
    }
    return json(array);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
