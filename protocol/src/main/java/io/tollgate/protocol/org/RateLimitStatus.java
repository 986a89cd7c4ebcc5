package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * The per-minute limits after a decision, for OpenAI-style {@code x-ratelimit-*} headers. A null limit is
 * unlimited. Both windows reset at {@code resetAtMillis}, the start of the next UTC minute.
 */
public record RateLimitStatus(
    Long requestLimit, long requestsRemaining, Long tokenLimit, long tokensRemaining, long resetAtMillis)
    implements CborSerializable {}
