package io.tollgate.protocol.provider;

import io.tollgate.protocol.usage.ReportedUsage;
import java.util.Optional;

/** Reads the usage a provider reports, from a whole JSON body or from a stream. */
public interface UsageExtractor {
  /** Usage in a complete (non-streamed) response body; empty if the body reports none or is not JSON. */
  Optional<ReportedUsage> fromBody(byte[] body);

  /**
   * The usage in a complete body per model that answered, for bodies that hold many answers (a batch's
   * results); the one {@link #fromBody} reports otherwise.
   */
  default java.util.List<ReportedUsage> perModel(byte[] body) {
    return fromBody(body).map(java.util.List::of).orElse(java.util.List.of());
  }

  /** The generated text in a complete response body, for estimating tokens when it reports no usage. */
  String completionText(byte[] body);

  /**
   * @param hideForcedUsage true when the gateway asked for stream usage the client did not ask for; the
   *     reader then keeps that usage away from the client so it sees exactly the stream it asked for
   */
  StreamUsageReader streamReader(boolean hideForcedUsage);
}
