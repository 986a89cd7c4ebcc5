package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** How many requests of one key were denied for one reason within a batch; keyId is null for unknown keys. */
public record DenialCount(String keyId, DenialReason reason, long count) implements CborSerializable {}
