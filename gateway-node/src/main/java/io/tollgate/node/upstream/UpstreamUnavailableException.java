package io.tollgate.node.upstream;

/** The upstream could not be called at all (no connection slot, not reachable). */
public final class UpstreamUnavailableException extends RuntimeException {
  public UpstreamUnavailableException(String message) {
    super(message, null, false, false);
  }
}
