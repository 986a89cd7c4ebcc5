package io.tollgate.protocol.org;

import io.tollgate.protocol.CborSerializable;

/**
 * A request for admission, with what it could use at most.
 *
 * @param secretHash the HMAC of the presented secret, computed by the node that received the request
 * @param reservedTokens the tokens to hold against the per-minute token limit until settled
 * @param reservedCostNanos the most the request can cost, held against the monthly budget until settled
 */
public record AdmitRequest(
    String requestId, String keyId, String secretHash, String model, long reservedTokens, long reservedCostNanos)
    implements CborSerializable {}
