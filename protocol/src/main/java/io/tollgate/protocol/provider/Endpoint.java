package io.tollgate.protocol.provider;

/**
 * One API of a provider, as resolved from a request path.
 *
 * @param api a short name for logs and metrics: {@code chat}, {@code responses}, {@code messages}, ...
 * @param inspector reads the request body
 * @param usage reads the answer's usage
 * @param metered false for calls the gateway passes through without admission or usage (token counting)
 * @param pathModel the model named by the path (Gemini, Azure deployments), or null when the body names it
 * @param pathStream true when the path itself asks for a stream (Gemini's streamGenerateContent)
 */
public record Endpoint(
    String api, RequestInspector inspector, UsageExtractor usage, boolean metered, String pathModel, boolean pathStream) {

  public Endpoint withPathModel(String model, boolean stream) {
    return new Endpoint(api, inspector, usage, metered, model, stream);
  }
}
