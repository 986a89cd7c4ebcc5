package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/** The requests a rate limit of a scope value refused in one minute. */
public record RateLimitHit(String scope, DenialReason reason, long count, long minuteStartMillis)
    implements CborSerializable {}
