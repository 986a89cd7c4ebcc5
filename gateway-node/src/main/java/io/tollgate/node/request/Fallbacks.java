package io.tollgate.node.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.org.ModelRates;
import io.tollgate.node.upstream.ProviderPool;
import io.tollgate.node.upstream.Upstreams;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.org.AdmitRequest.HoldBasis;
import io.tollgate.protocol.org.Policy;
import io.tollgate.protocol.pricing.PricingCatalog;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.InvalidRequestException;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import io.tollgate.protocol.provider.RequestFacts;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Where a chat request goes when it is served by another model than the one it names (a fallback, a scope's
 * downgrade): across the providers that speak OpenAI's chat API. {@code mistral/mistral-large-latest} names the
 * provider; a bare name is the request's provider's if its catalog knows the model, else the first configured
 * provider whose catalog does, else the request's provider's. No actor in it; one per node.
 */
public final class Fallbacks implements ModelRates {
  /** The providers a chat request may move between: one wire format, one error format. */
  static final Set<ProviderId> OPENAI_COMPATIBLE = EnumSet.of(ProviderId.OPENAI, ProviderId.AZURE, ProviderId.XAI,
      ProviderId.MISTRAL, ProviderId.GROQ, ProviderId.DEEPSEEK, ProviderId.TOGETHER, ProviderId.OPENROUTER);

  private final Upstreams upstreams;
  private final Pricer pricer;

  /** A provider and model to serve a call with. */
  record Target(ProviderId provider, String model) {}

  public Fallbacks(Upstreams upstreams, Pricer pricer) {
    this.upstreams = upstreams;
    this.pricer = pricer;
  }

  /** True when a call of this provider and API may be served by another model. */
  public static boolean movable(Provider provider, Endpoint endpoint) {
    return OPENAI_COMPATIBLE.contains(provider.id()) && endpoint.api().equals("chat");
  }

  /** Where {@code name} sends a chat request first sent to {@code asked}. */
  Target target(ProviderId asked, String name) {
    String named = Policy.providerOf(name);
    String model = Policy.modelOf(name);
    if (named != null) {
      return new Target(ProviderId.fromId(named).orElseThrow(), model);
    }
    PricingCatalog catalog = pricer.catalog();
    if (catalog.resolveDearest(asked.id(), model).isPresent()) {
      return new Target(asked, model);
    }
    for (ProviderId id : OPENAI_COMPATIBLE) {
      if (upstreams.of(id).isPresent() && catalog.resolveDearest(id.id(), model).isPresent()) {
        return new Target(id, model);
      }
    }
    return new Target(asked, model);
  }

  @Override
  public HoldBasis basis(String provider, String model, HoldBasis asked) {
    Target target = ProviderId.fromId(provider).map(id -> target(id, model)).orElse(null);
    if (target == null) {
      return UNPRICED.basis(provider, model, asked);
    }
    return pricer.hold(target.provider().id(), target.model(), asked.promptTokens(), asked.outputTokens(),
        asked.outputDefaulted()).basis();
  }

  /**
   * The call as {@code name} serves it: its body naming that model, sent to that provider's chat API; empty
   * when that provider is not OpenAI-compatible or not configured here.
   */
  Optional<ProxyCall> serve(ProxyCall call, String name) {
    Target target = target(call.provider().id(), name);
    Optional<ProviderPool> pool = upstreams.of(target.provider());
    if (!OPENAI_COMPATIBLE.contains(target.provider()) || pool.isEmpty()) {
      return Optional.empty();
    }
    Provider provider = Providers.get(target.provider());
    String path = target.provider() == ProviderId.AZURE ? "/openai/v1/chat/completions" : "/chat/completions";
    Endpoint endpoint = provider.endpoint(path).orElseThrow();
    RequestFacts asked = call.facts();
    RequestFacts facts = new RequestFacts(target.model(), asked.stream(), asked.clientWantsStreamUsage(),
        asked.streamOptionsPresent(), asked.maxOutputTokens(), asked.user());
    byte[] body = withModel(call.clientBody(), target.model());
    return Optional.of(new ProxyCall(call.requestId(), call.receivedNanos(), provider, endpoint, pool.get(), path,
        call.method(), call.contentType(), call.forwardHeaders(), body, endpoint.inspector().askForStreamUsage(body, facts), facts, call.key(),
        call.secretHash(), call.attribution(), call.options(), call.responder()));
  }

  /** The body with its {@code model} set (Azure's deployment paths leave it out of the body). */
  static byte[] withModel(byte[] body, String model) {
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      if (!(json instanceof ObjectNode object)) {
        throw new InvalidRequestException("The request body must be a JSON object.");
      }
      object.put("model", model);
      return Json.MAPPER.writeValueAsBytes(object);
    } catch (IOException e) {
      throw new InvalidRequestException("The request body is not valid JSON.");
    }
  }
}
