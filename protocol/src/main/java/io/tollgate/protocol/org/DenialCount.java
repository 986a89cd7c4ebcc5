package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * How many requests of one key were denied for one reason within a batch; keyId is null for unknown keys.
 *
 * @param scope the {@link ScopeKey#id()} whose limit refused them, null for a refusal by no limit (or one
 *     journaled before scopes existed)
 */
public record DenialCount(String keyId, DenialReason reason, long count, String scope) implements CborSerializable {
  public DenialCount(String keyId, DenialReason reason, long count) {
    this(keyId, reason, count, null);
  }
}
