package io.tollgate.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tollgate.protocol.provider.ForwardingRules;
import io.tollgate.protocol.provider.ProviderId;
import io.tollgate.protocol.provider.Providers;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class UpstreamHeadersTest {
  private static List<String> forwarded(UpstreamHeaders headers, ProviderId provider, HttpHeader... sent) {
    return headers.of(Providers.get(provider), HttpRequest.POST("/").addHeaders(List.of(sent))).stream()
        .map(HttpHeader::lowercaseName).toList();
  }

  @Test
  void eachProviderGetsItsOwnClientHeadersAndNoOneElses() {
    UpstreamHeaders none = new UpstreamHeaders(List.of());
    HttpHeader[] sent = {RawHeader.create("anthropic-version", "2023-06-01"), RawHeader.create("OpenAI-Beta", "v2"),
        RawHeader.create("User-Agent", "sdk"), RawHeader.create("OpenAI-Organization", "org-x"),
        RawHeader.create("OpenAI-Project", "p"), RawHeader.create("X-Forwarded-For", "1.2.3.4"),
        RawHeader.create("Forwarded", "for=1.2.3.4"), RawHeader.create("X-Anything", "1"),
        RawHeader.create("X-Agent-ID", "a")};
    assertEquals(List.of("anthropic-version", "user-agent"), forwarded(none, ProviderId.ANTHROPIC, sent));
    assertEquals(List.of("openai-beta", "user-agent"), forwarded(none, ProviderId.OPENAI, sent));
  }

  @Test
  void theOperatorsOwnHeadersGoTooButNotThoseTheConnectionHeaderNames() {
    UpstreamHeaders own = new UpstreamHeaders(List.of("helicone-auth", "x-trace-*"));
    assertEquals(List.of("helicone-auth", "x-trace-id"), forwarded(own, ProviderId.GROQ,
        RawHeader.create("Helicone-Auth", "h"), RawHeader.create("X-Trace-Id", "t"), RawHeader.create("X-Other", "o")));
    assertEquals(List.of("helicone-auth"), forwarded(own, ProviderId.GROQ, RawHeader.create("Connection", "x-trace-id"),
        RawHeader.create("Helicone-Auth", "h"), RawHeader.create("X-Trace-Id", "t")));
  }

  @Test
  void anOperatorCannotListCredentialsOrRoutingHeaders() {
    for (String name : List.of("authorization", "openai-organization", "openai-*", "x-forwarded-for", "x-*", "x-api-*",
        "forwarded", "x-tollgate-tag-*", "x-agent-id", "proxy-*")) {
      assertFalse(ForwardingRules.operatorMayForward(name), name);
    }
    assertTrue(ForwardingRules.operatorMayForward("x-sim-*"));
    assertTrue(ForwardingRules.operatorMayForward("helicone-auth"));
  }
}
