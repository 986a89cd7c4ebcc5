package io.tollgate.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.admin.OrgAdmin;
import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.node.request.RequestDeps;
import io.tollgate.node.stream.Stages;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * {@code POST /v1/outcomes}: an application reports a business outcome with its own Tollgate key; the org
 * journals it. Errors come in OpenAI's format, as the SDKs that call the gateway read them.
 */
public final class OutcomeIntake {
  public static final String PATH = "/v1/outcomes";
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final int MAX_TEXT = 128;
  static final int MAX_METADATA_CHARS = 16 * 1024;
  static final long MAX_VALUE_NANOS = Money.parseUsd("1000000000");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Provider OPENAI = Providers.get(ProviderId.OPENAI);

  private final RequestDeps deps;
  private final KeyHasher hasher;
  private final OrgAdmin admin;

  public OutcomeIntake(RequestDeps deps, KeyHasher hasher, OrgAdmin admin) {
    this.deps = deps;
    this.hasher = hasher;
    this.admin = admin;
  }

  public CompletionStage<HttpResponse> handle(HttpRequest request) {
    String requestId = ProxyIntake.newRequestId(deps.clock().millis());
    Optional<ClientKey> presented = ProxyIntake.presentedKey(OPENAI, request).flatMap(ClientKey::parse);
    if (presented.isEmpty()) {
      request.discardEntityBytes(deps.materializer());
      return CompletableFuture.completedFuture(error(requestId, GatewayError.of(ErrorKind.INVALID_KEY,
          "Missing or malformed API key. Send your Tollgate key (tg_...) as 'Authorization: Bearer <key>'.")));
    }
    ClientKey key = presented.get();
    return request.entity().withSizeLimit(MAX_BODY_BYTES).toStrict(10_000, deps.materializer())
        .thenCompose(entity -> {
          BusinessOutcome outcome = outcome(entity.getData().utf8String(), key.keyId(),
              AttributionHeaders.read(request, null));
          CompletionStage<Admission> access = Stages.direct(deps.sharding().entityRefFor(OrgEntity.TYPE_KEY, key.orgId())
              .ask(replyTo -> new OrgCommand.CheckKey(key.keyId(), hasher.hash(key.secret()), replyTo),
                  deps.settings().admission().timeout()));
          return access.thenCompose(answer -> answer instanceof Admission.Denied denied
                  ? CompletableFuture.completedFuture(GatewayResponses.error(OPENAI.errors(),
                      GatewayResponses.denial(denied), requestId, 0, null, deps.clock().millis()))
                  : admin.reportOutcome(key.orgId(), outcome).thenApply(reply -> reply instanceof AdminReply.Rejected
                      ? error(requestId, GatewayError.of(ErrorKind.INVALID_KEY, "This API key's organization does"
                          + " not exist."))
                      : created(requestId, outcome)));
        })
        .exceptionally(failure -> failed(requestId, failure));
  }

  /**
   * The outcome in a report's body: {@code id} and {@code name} required, {@code value_usd} a decimal string.
   *
   * @throws InvalidRequestException with a message for the caller
   */
  BusinessOutcome outcome(String body, String keyId, Attribution headers) {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (Exception e) {
      throw new InvalidRequestException("The body must be a JSON object: {\"id\", \"name\", \"value_usd\", ...}.");
    }
    if (json == null || !json.isObject()) {
      throw new InvalidRequestException("The body must be a JSON object: {\"id\", \"name\", \"value_usd\", ...}.");
    }
    String id = text(json, "id", true);
    String name = text(json, "name", true);
    String session = text(json, "session_id", false);
    JsonNode value = json.get("value_usd");
    long nanos = 0;
    if (value != null && !value.isNull()) {
      if (!value.isTextual()) {
        throw new InvalidRequestException("'value_usd' must be a decimal string such as \"12.50\", not a number:"
            + " a JSON number may not hold cents exactly.");
      }
      try {
        nanos = Money.parseUsd(value.asText());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException("'value_usd' must be a decimal amount of USD such as \"12.50\": " + e.getMessage());
      }
      if (nanos < 0 || nanos > MAX_VALUE_NANOS) {
        throw new InvalidRequestException("'value_usd' must be between 0 and 1000000000.");
      }
    }
    JsonNode metadata = json.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw new InvalidRequestException("'metadata' must be a JSON object.");
    }
    String metadataJson = metadata == null || metadata.isNull() ? "{}" : metadata.toString();
    if (metadataJson.length() > MAX_METADATA_CHARS || !SafeText.isSafe(metadataJson)) {
      throw new InvalidRequestException("'metadata' must be printable JSON of at most " + MAX_METADATA_CHARS
          + " characters.");
    }
    return new BusinessOutcome(id, session != null ? session : headers.session(), name, nanos, metadataJson, keyId,
        headers, deps.clock().millis());
  }

  private static String text(JsonNode json, String field, boolean required) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new InvalidRequestException("'" + field + "' is required.");
      }
      return null;
    }
    String value = node.isTextual() ? node.asText() : "";
    if (value.isEmpty() || value.length() > MAX_TEXT || !SafeText.isSafe(value)) {
      throw new InvalidRequestException("'" + field + "' must be a string of 1-" + MAX_TEXT + " printable characters.");
    }
    return value;
  }

  private static HttpResponse created(String requestId, BusinessOutcome o) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("id", o.id());
    body.put("object", "outcome");
    body.put("status", "recorded");
    body.put("session_id", o.session());
    body.put("name", o.name());
    body.put("value_usd", Money.formatUsd(o.valueNanos()));
    body.put("reported_at", Instant.ofEpochMilli(o.reportedAtMillis()).toString());
    return HttpResponse.create().withStatus(StatusCodes.CREATED).addHeader(RawHeader.create("X-Request-ID", requestId))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  private HttpResponse failed(String requestId, Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof InvalidRequestException e) {
      return error(requestId, GatewayError.of(ErrorKind.INVALID_REQUEST, e.getMessage()));
    }
    if (cause instanceof EntityStreamSizeException) {
      return error(requestId, GatewayError.of(ErrorKind.BODY_TOO_LARGE, "An outcome's body may be at most "
          + MAX_BODY_BYTES + " bytes."));
    }
    return error(requestId, GatewayError.of(ErrorKind.UNAVAILABLE,
        "The gateway could not record this outcome in time; retry with the same id."));
  }

  private HttpResponse error(String requestId, GatewayError error) {
    return GatewayResponses.error(OPENAI.errors(), error, requestId, error.kind() == ErrorKind.UNAVAILABLE ? 1 : 0, null,
        deps.clock().millis());
  }
}
