package io.tollgate.protocol.provider;

/** Reads a provider-format request body without changing it, and asks for usage in streams where it can. */
public interface RequestInspector {
  /**
   * @param pathModel the model the request path names (Gemini, Azure deployments), used when the body names
   *     none; null when the path names none
   * @param pathStream true when the path itself asks for a stream
   * @throws InvalidRequestException when the body is not a request this provider format accepts
   */
  RequestFacts inspect(byte[] body, String pathModel, boolean pathStream);

  /** As above, for a body of this content type (a multipart form names its boundary there). */
  default RequestFacts inspect(byte[] body, String contentType, String pathModel, boolean pathStream) {
    return inspect(body, pathModel, pathStream);
  }

  default RequestFacts inspect(byte[] body) {
    return inspect(body, null, false);
  }

  /**
   * The body to send upstream so that a streamed answer reports its usage. Returns {@code body} itself
   * when nothing needs to change.
   */
  byte[] askForStreamUsage(byte[] body, RequestFacts facts);
}
