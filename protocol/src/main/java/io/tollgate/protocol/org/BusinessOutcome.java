package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * A business outcome an application reported with its key: what a session achieved and what it is worth.
 *
 * @param id the application's own id: a repeat of it changes nothing
 * @param session the session that achieved it ({@code X-Session-ID}), or null
 * @param valueNanos what it is worth, in nano-USD
 * @param metadataJson the application's metadata, a JSON object as text ({@code "{}"} for none)
 * @param attribution the agent and customer of the report's headers, if it named them
 */
public record BusinessOutcome(String id, String session, String name, long valueNanos, String metadataJson,
    String keyId, Attribution attribution, long reportedAtMillis) implements CborSerializable {

  public BusinessOutcome {
    attribution = attribution == null ? Attribution.NONE : attribution;
    metadataJson = metadataJson == null ? "{}" : metadataJson;
  }
}
