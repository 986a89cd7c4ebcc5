package io.tollgate.protocol.provider;

/** The client's request cannot be served as sent; the message is safe to show to the client. */
public final class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String message) {
    super(message, null, false, false);
  }
}
