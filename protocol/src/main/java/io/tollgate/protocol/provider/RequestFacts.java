package io.tollgate.protocol.provider;

/**
 * What the gateway needs to know about a request before sending it upstream.
 *
 * @param model the requested model
 * @param stream whether the client asked for a streamed answer
 * @param clientWantsStreamUsage whether the client itself asked for usage in the stream
 * @param streamOptionsPresent whether the body already carries a {@code stream_options} object
 * @param maxOutputTokens the client's output cap, or null when it set none
 * @param user the OpenAI {@code user} field, or null
 */
public record RequestFacts(
    String model,
    boolean stream,
    boolean clientWantsStreamUsage,
    boolean streamOptionsPresent,
    Long maxOutputTokens,
    String user) {}
