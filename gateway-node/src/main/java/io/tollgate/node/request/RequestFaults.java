package io.tollgate.node.request;

/**
 * Where a test may make a request fail: called at the start of each stage of a {@link RequestActor}, and a
 * no-op in production. The actor must answer and release what it holds whatever throws, at any stage.
 */
@FunctionalInterface
public interface RequestFaults {
  RequestFaults NONE = (stage, call) -> {};

  enum Stage {
    /** Building the ask to the org (the hold's estimate and price). */
    ADMITTING,
    /** Admitted; building and sending the upstream request. */
    CALLING,
    /** The upstream's whole answer arrived: reading its usage and pricing it. */
    ANSWERING,
    /** The streamed answer ended: reading its usage and pricing it. */
    STREAMED,
    /** Making the usage record and handing it to the org. */
    SETTLING
  }

  void at(Stage stage, ProxyCall call);
}
