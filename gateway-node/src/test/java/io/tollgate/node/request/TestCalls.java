package io.tollgate.node.request;

import io.tollgate.node.http.ProxyTarget;
import io.tollgate.node.keys.ClientKey;
import io.tollgate.node.upstream.ProviderPool;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.provider.RequestFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/** Proxy calls as the intake makes them, for tests of the request's parts without an intake or an org. */
final class TestCalls {
  static final ClientKey KEY = new ClientKey("acme", "k1234567", "s3cretS3cretS3cretS3cret");

  private TestCalls() {}

  /** A call to a proxy path such as {@code /v1/chat/completions}, with no upstream to send it to. */
  static ProxyCall call(String path, String body) {
    return call(path, body, null, List.of(), Attribution.NONE);
  }

  static ProxyCall call(String path, String body, ProviderPool upstream, List<HttpHeader> forwardHeaders,
      Attribution attribution) {
    ProxyTarget target = ProxyTarget.of(path).orElseThrow(() -> new IllegalArgumentException("no target " + path));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var endpoint = target.endpoint();
    RequestFacts facts = endpoint.inspector().inspect(bytes, endpoint.pathModel(), endpoint.pathStream());
    return new ProxyCall("req-1", System.nanoTime(), target.provider(), endpoint, upstream, target.upstreamPath(),
        "POST", null, forwardHeaders, bytes, endpoint.inspector().askForStreamUsage(bytes, facts), facts, KEY, "hash-of-secret",
        attribution, CallOptions.NONE, new CompletableFuture<>());
  }
}
