package io.tollgate.protocol.provider;

/**
 * An error produced by the gateway (not passed through from a provider).
 *
 * @param limit for rate limits, which limit was hit ({@code "requests"} or {@code "tokens"}); otherwise null
 */
public record GatewayError(ErrorKind kind, String message, String limit) {
  public static GatewayError of(ErrorKind kind, String message) {
    return new GatewayError(kind, message, null);
  }

  public int status() {
    return kind.status();
  }
}
