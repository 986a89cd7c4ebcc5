package io.tollgate.node.request;

import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.upstream.ProviderPool;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.provider.Endpoint;
import io.tollgate.protocol.provider.Provider;
import io.tollgate.protocol.provider.RequestFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * A request the gateway accepted for proxying: checked, read, and ready to be admitted.
 *
 * @param endpoint which API of the provider it calls
 * @param upstream the configured provider's deployments, one of which takes the request
 * @param upstreamPath the provider path (and query) after its base URL, e.g. {@code /chat/completions}
 * @param method the HTTP method, {@code POST} for all but reading and deleting files, batches and stored resources
 * @param contentType the content type of a body that is not JSON (a multipart form's names its boundary); else null
 * @param forwardHeaders the client's headers that go upstream (credentials and attribution removed)
 * @param clientBody the body as the client sent it
 * @param upstreamBody the body to send upstream (may ask for stream usage the client did not)
 * @param secretHash the HMAC of the key's secret; the secret itself goes no further than the intake
 * @param options what the request asks beyond the call: fallbacks, idempotency, cache, its trace
 * @param responder completed with the response for the client
 */
public record ProxyCall(
    String requestId,
    long receivedNanos,
    Provider provider,
    Endpoint endpoint,
    ProviderPool upstream,
    String upstreamPath,
    String method,
    String contentType,
    List<HttpHeader> forwardHeaders,
    byte[] clientBody,
    byte[] upstreamBody,
    RequestFacts facts,
    ClientKey key,
    String secretHash,
    Attribution attribution,
    CallOptions options,
    CompletableFuture<HttpResponse> responder) {

  /** The call, having claimed {@code key}. */
  public ProxyCall claiming(String key) {
    return new ProxyCall(requestId, receivedNanos, provider, endpoint, upstream, upstreamPath, method, contentType, forwardHeaders,
        clientBody, upstreamBody, facts, this.key, secretHash, attribution, options.claiming(key), responder);
  }

  /** The call with a header for the provider, in place of any of that name. */
  public ProxyCall withForwardHeader(String name, String value) {
    List<HttpHeader> headers = new ArrayList<>(forwardHeaders.size() + 1);
    for (HttpHeader h : forwardHeaders) {
      if (!h.is(name.toLowerCase(Locale.ROOT))) {
        headers.add(h);
      }
    }
    headers.add(RawHeader.create(name, value));
    return new ProxyCall(requestId, receivedNanos, provider, endpoint, upstream, upstreamPath, method, contentType, headers,
        clientBody, upstreamBody, facts, key, secretHash, attribution, options, responder);
  }

  /** The {@code Idempotency-Key} this request claimed, or null. */
  public String idempotencyKey() {
    return options.idempotencyKey();
  }

  /** Whether the gateway asked the upstream for stream usage that the client must not see. */
  public boolean hidesStreamUsage() {
    return upstreamBody != clientBody;
  }
}
