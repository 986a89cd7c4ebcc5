package io.tollgate.protocol.provider;

/**
 * One API of a provider, as resolved from a request's method and path.
 *
 * @param api a short name for logs and metrics: {@code chat}, {@code responses}, {@code messages}, {@code images} ...
 * @param inspector reads the request body
 * @param usage reads the answer's usage
 * @param metered false for calls the gateway passes through without admission or usage (token counting)
 * @param pathModel the model named by the path (Gemini, Azure deployments), or null when the body names it
 * @param pathStream true when the path itself asks for a stream (Gemini's streamGenerateContent)
 * @param body what the request carries
 * @param billing how its answer is billed
 * @param resource the id the path names (a file, a batch, a stored response), or null
 */
public record Endpoint(String api, RequestInspector inspector, UsageExtractor usage, boolean metered, String pathModel,
    boolean pathStream, Body body, Billing billing, String resource) {

  /** What a request carries: JSON, a multipart form (files, audio, images to edit), or nothing (GET, DELETE). */
  public enum Body { JSON, FORM, NONE }

  /** How an answer is billed. */
  public enum Billing {
    /** By the usage the answer reports (or the gateway counts), each call. */
    PER_CALL,
    /** Not at all: files, batches and stored resources are managed at no cost. */
    FREE,
    /** By the usage the answer reports, the first time the resource's finished answer is read: a background response. */
    ONCE,
    /** As {@link #ONCE}, at the batch APIs' half rate: a batch's results. */
    ONCE_AT_BATCH_RATE;

    public boolean once() {
      return this == ONCE || this == ONCE_AT_BATCH_RATE;
    }
  }

  /** A JSON API billed per call. */
  public Endpoint(String api, RequestInspector inspector, UsageExtractor usage, boolean metered, String pathModel,
      boolean pathStream) {
    this(api, inspector, usage, metered, pathModel, pathStream, Body.JSON, Billing.PER_CALL, null);
  }

  public Endpoint withPathModel(String model, boolean stream) {
    return new Endpoint(api, inspector, usage, metered, model, stream, body, billing, resource);
  }
}
