package io.tollgate.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.node.org.OrgCommand;
import io.tollgate.node.org.OrgEntity;
import io.tollgate.node.request.GatewayResponses;
import io.tollgate.node.request.RequestDeps;
import io.tollgate.node.stream.Stages;
import io.tollgate.protocol.org.Admission;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.provider.ErrorKind;
import io.tollgate.protocol.provider.GatewayError;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The models a key may use, in the list format of the provider its SDK speaks: the catalog's models for a
 * configured provider, narrowed by the key's {@code allowed_models}. The key is checked by its org; nothing
 * is counted.
 */
public final class ModelListing {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The catalog's models carry no dates; the SDKs need one. */
  private static final String EPOCH = "1970-01-01T00:00:00Z";

  private final RequestDeps deps;
  private final KeyHasher hasher;

  public ModelListing(RequestDeps deps, KeyHasher hasher) {
    this.deps = deps;
    this.hasher = hasher;
  }

  public CompletionStage<HttpResponse> handle(ModelsTarget target, HttpRequest request) {
    request.discardEntityBytes(deps.materializer());
    Provider provider = Providers.get(target.provider());
    String requestId = ProxyIntake.newRequestId(deps.clock().millis());
    if (deps.upstreams().of(provider.id()).isEmpty()) {
      return refuse(provider, requestId, GatewayError.of(ErrorKind.PROVIDER_NOT_CONFIGURED,
          "The provider '" + provider.id().id() + "' is not configured on this gateway."));
    }
    Optional<ClientKey> key = ProxyIntake.presentedKey(provider, request).flatMap(ClientKey::parse);
    if (key.isEmpty()) {
      return refuse(provider, requestId, GatewayError.of(ErrorKind.INVALID_KEY,
          "Missing or malformed API key. Send your Tollgate key (tg_...) where your SDK sends its API key."));
    }
    ClientKey k = key.get();
    CompletionStage<Admission> access = Stages.direct(deps.sharding().entityRefFor(OrgEntity.TYPE_KEY, k.orgId())
        .ask(replyTo -> new OrgCommand.CheckKey(k.keyId(), hasher.hash(k.secret()), replyTo),
            deps.settings().admission().timeout()));
    return access.thenApply(answer -> {
      if (answer instanceof Admission.Denied denied) {
        return GatewayResponses.error(provider.errors(), GatewayResponses.denial(denied), requestId, 0, null,
            deps.clock().millis());
      }
      List<String> models = models(provider.id(), ((Admission.ModelAccess) answer).allowedModels());
      if (target.model() == null) {
        return json(requestId, list(provider.id(), models));
      }
      String wanted = provider.id() == ProviderId.GEMINI && target.model().startsWith("models/")
          ? target.model().substring("models/".length()) : target.model();
      return models.contains(wanted) ? json(requestId, model(provider.id(), wanted))
          : GatewayResponses.error(provider.errors(), GatewayError.of(ErrorKind.NOT_FOUND, "The model '" + wanted
              + "' does not exist or you do not have access to it."), requestId, 0, null, deps.clock().millis());
    }).exceptionally(failure -> GatewayResponses.error(provider.errors(), GatewayError.of(ErrorKind.UNAVAILABLE,
        "The gateway could not check this key in time; please retry shortly."), requestId, 1, null, deps.clock().millis()));
  }

  private List<String> models(ProviderId provider, List<String> allowed) {
    return deps.metering().pricer().catalog().models(provider.id()).stream()
        // Google's prices include Claude on Vertex; the Gemini API serves Google's own models.
        .filter(m -> provider != ProviderId.GEMINI || !m.startsWith("claude"))
        .filter(m -> allowed.isEmpty() || allowed.stream().anyMatch(pattern -> Limits.matches(pattern, m)))
        .toList();
  }

  private static ObjectNode list(ProviderId provider, List<String> models) {
    ObjectNode o = MAPPER.createObjectNode();
    if (provider == ProviderId.ANTHROPIC) {
      ArrayNode data = o.putArray("data");
      models.forEach(m -> data.add(model(provider, m)));
      o.put("has_more", false);
      putNullable(o, "first_id", models.isEmpty() ? null : models.get(0));
      putNullable(o, "last_id", models.isEmpty() ? null : models.get(models.size() - 1));
    } else if (provider == ProviderId.GEMINI) {
      ArrayNode data = o.putArray("models");
      models.forEach(m -> data.add(model(provider, m)));
    } else {
      o.put("object", "list");
      ArrayNode data = o.putArray("data");
      models.forEach(m -> data.add(model(provider, m)));
    }
    return o;
  }

  private static ObjectNode model(ProviderId provider, String id) {
    ObjectNode o = MAPPER.createObjectNode();
    if (provider == ProviderId.ANTHROPIC) {
      o.put("type", "model");
      o.put("id", id);
      o.put("display_name", id);
      o.put("created_at", EPOCH);
    } else if (provider == ProviderId.GEMINI) {
      o.put("name", "models/" + id);
      o.put("displayName", id);
      ArrayNode methods = o.putArray("supportedGenerationMethods");
      if (id.contains("embedding")) {
        methods.add("embedContent").add("batchEmbedContents");
      } else {
        methods.add("generateContent").add("streamGenerateContent").add("countTokens");
      }
    } else {
      o.put("id", id);
      o.put("object", "model");
      o.put("created", 0);
      o.put("owned_by", provider.id());
    }
    return o;
  }

  private static void putNullable(ObjectNode o, String field, String value) {
    if (value == null) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }

  private static HttpResponse json(String requestId, ObjectNode body) {
    return HttpResponse.create().addHeader(RawHeader.create("X-Request-ID", requestId))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }

  private CompletionStage<HttpResponse> refuse(Provider provider, String requestId, GatewayError error) {
    return CompletableFuture.completedFuture(GatewayResponses.error(provider.errors(), error, requestId, 0, null,
        deps.clock().millis()));
  }
}
