package io.tollgate.protocol.provider;

/** Reads a provider-format request body without changing it, and asks for usage in streams where it can. */
public interface RequestInspector {
  /**
   * @throws InvalidRequestException when the body is not a request this provider format accepts
   */
  RequestFacts inspect(byte[] body);

  /**
   * The body to send upstream so that a streamed answer reports its usage. Returns {@code body} itself
   * when nothing needs to change.
   */
  byte[] askForStreamUsage(byte[] body, RequestFacts facts);
}
