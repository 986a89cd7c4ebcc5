package io.tollgate.protocol.provider;

import io.tollgate.protocol.usage.ReportedUsage;
import java.util.Optional;

/** Reads the usage a provider reports, from a whole JSON body or from a stream. */
public interface UsageExtractor {
  /** Usage in a complete (non-streamed) response body; empty if the body reports none or is not JSON. */
  Optional<ReportedUsage> fromBody(byte[] body);

  /** The generated text in a complete response body, for estimating tokens when it reports no usage. */
  String completionText(byte[] body);

  /**
   * @param hideForcedUsage true when the gateway asked for stream usage the client did not ask for; the
   *     reader then keeps that usage away from the client so it sees exactly the stream it asked for
   */
  StreamUsageReader streamReader(boolean hideForcedUsage);
}
