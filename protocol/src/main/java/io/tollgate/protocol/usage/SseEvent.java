package io.tollgate.protocol.usage;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event as it crossed the wire.
 *
 * @param name the {@code event:} field, or {@code null} when absent
 * @param data the {@code data:} lines joined by '\n', or {@code null} for an event without data (a comment
 *     such as {@code : ping})
 * @param raw every byte of the event, its terminating blank line included, exactly as received
 */
public record SseEvent(String name, byte[] data, byte[] raw) {
  public boolean hasData() {
    return data != null;
  }

  public String dataAsString() {
    return data == null ? null : new String(data, StandardCharsets.UTF_8);
  }
}
