package io.tollgate.protocol.provider;

/**
 * A call billed nothing (files, batches, stored responses, cached contents): its body, whatever it is, goes
 * upstream unread, and it is recorded under its API's name in place of a model. A key limited to some models may
 * not make it: it names no model to check.
 */
public final class FreeCallInspector implements RequestInspector {
  private final String label;

  public FreeCallInspector(String label) {
    this.label = label;
  }

  @Override
  public RequestFacts inspect(byte[] body, String pathModel, boolean pathStream) {
    return new RequestFacts(label, false, false, false, 0L, null);
  }

  @Override
  public byte[] askForStreamUsage(byte[] body, RequestFacts facts) {
    return body;
  }
}
