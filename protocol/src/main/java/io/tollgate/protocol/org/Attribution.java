package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.Map;

/** Who a request was for, from the attribution headers and the OpenAI {@code user} field; any may be null. */
public record Attribution(String agent, String session, String customer, String team, String user, Map<String, String> tags)
    implements CborSerializable {
  public static final Attribution NONE = new Attribution(null, null, null, null, null, Map.of());

  public Attribution {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
