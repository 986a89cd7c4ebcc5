package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * A try of a request's call that did not serve it (the provider failed, refused with 429, or did not answer),
 * before another try did or the request gave up. It used nothing the provider bills: none of the providers
 * reports usage for such an answer.
 *
 * @param deployment the name of the provider's deployment it went to
 * @param status the provider's HTTP status; 0 when no answer came
 * @param outcome {@link Outcome#UPSTREAM_ERROR}, {@link Outcome#UPSTREAM_TIMEOUT} or {@link Outcome#UPSTREAM_UNREACHABLE}
 * @param millis from sending it to its answer's headers, or to giving up on it
 */
public record UpstreamAttempt(String provider, String model, String deployment, int status, Outcome outcome, long millis)
    implements CborSerializable {}
