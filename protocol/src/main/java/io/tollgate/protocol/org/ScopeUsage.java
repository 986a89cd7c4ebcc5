package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;
import java.util.List;
import java.util.Map;

/**
 * What scope values have used at {@code atMillis}, against their limits: what requests in flight hold is
 * included (it counts against every limit until settled).
 *
 * @param resetsAtMillis when each window ({@code minute}, {@code hour}, {@code day}, {@code month}) next resets
 */
public record ScopeUsage(String timeZone, long atMillis, Map<String, Long> resetsAtMillis, List<Value> values)
    implements CborSerializable {

  /** One scope value ({@code team:research}): its limits (null: none) and its tally. */
  public record Value(String scope, Limits limits, Tally tally) implements CborSerializable {}
}
