package io.tollgate.protocol.provider;

/** Shapes a gateway error the way the caller's provider shapes its own, so the caller's SDK can read it. */
public interface ErrorFormat {
  byte[] render(GatewayError error);
}
