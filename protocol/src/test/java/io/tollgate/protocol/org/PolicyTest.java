package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private final Policy policy = new Policy(Map.of(
      "gpt-4o", List.of("gpt-4o-mini"),
      "gpt-4o*", List.of("mistral/mistral-large-latest"),
      "gpt-*", List.of("groq/llama-3.3-70b-versatile"),
      "*", List.of("deepseek-chat")));

  @Test
  void anExactNameWinsThenTheLongestPattern() {
    assertEquals(List.of("gpt-4o-mini"), policy.fallbacksFor("gpt-4o"));
    assertEquals(List.of("mistral/mistral-large-latest"), policy.fallbacksFor("gpt-4o-2024-08-06"));
    assertEquals(List.of("groq/llama-3.3-70b-versatile"), policy.fallbacksFor("gpt-5"));
    assertEquals(List.of("deepseek-chat"), policy.fallbacksFor("o1"));
    assertEquals(List.of(), Policy.NONE.fallbacksFor("gpt-4o"));
  }

  @Test
  void aProviderInFrontOfANameIsOnlyAKnownProvider() {
    assertEquals("mistral", Policy.providerOf("mistral/mistral-large-latest"));
    assertEquals("mistral-large-latest", Policy.modelOf("mistral/mistral-large-latest"));
    assertNull(Policy.providerOf("meta-llama/Llama-3.3-70B-Instruct-Turbo"), "Together's model names have a slash");
    assertEquals("meta-llama/Llama-3.3-70B-Instruct-Turbo", Policy.modelOf("meta-llama/Llama-3.3-70B-Instruct-Turbo"));
    assertEquals("anthropic/claude-3.5-sonnet", Policy.modelOf("openrouter/anthropic/claude-3.5-sonnet"));
  }

  @Test
  void aKeysPolicyReplacesTheOrgsForTheModelsItNames() {
    OrgPolicies policies = OrgPolicies.NONE.with(null, policy)
        .with("k1", new Policy(Map.of("gpt-4o", List.of("o1"))));
    assertEquals(List.of("o1"), policies.fallbacksFor("k1", "gpt-4o"));
    assertEquals(List.of("deepseek-chat"), policies.fallbacksFor("k1", "claude-3"), "the org's for the rest");
    assertEquals(List.of("gpt-4o-mini"), policies.fallbacksFor("k2", "gpt-4o"));
    assertEquals(Policy.NONE, policies.with("k1", Policy.NONE).of("k1"), "an empty key policy removes it");
  }

  @Test
  void aKeysPiiModeAndCacheTimeAreUsedOverTheOrgs() {
    OrgPolicies policies = OrgPolicies.NONE.with(null, new Policy(Map.of(), PiiMode.REDACT, 3600L))
        .with("k1", new Policy(Map.of(), PiiMode.BLOCK, 0L))
        .with("k2", new Policy(Map.of("gpt-4o", List.of("o1")), null, null));
    assertEquals(PiiMode.BLOCK, policies.piiFor("k1"));
    assertEquals(PiiMode.REDACT, policies.piiFor("k2"), "k2 sets none: the org's");
    assertEquals(null, policies.cacheTtlFor("k1"), "0: the key's answers are not cached");
    assertEquals(3600L, policies.cacheTtlFor("k2"));
    assertEquals(null, OrgPolicies.NONE.with(null, new Policy(Map.of(), PiiMode.OFF, null)).piiFor("k1"), "off");
  }

  @Test
  void badPoliciesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Policy(Map.of("gpt*4o", List.of("x"))));
    assertThrows(IllegalArgumentException.class, () -> new Policy(Map.of("gpt-4o", List.of())));
    assertThrows(IllegalArgumentException.class, () -> new Policy(Map.of("gpt-4o", List.of("a", "b", "c", "d", "e"))));
    assertThrows(IllegalArgumentException.class, () -> new Policy(Map.of("gpt-4o", List.of("a,b"))));
    assertThrows(IllegalArgumentException.class, () -> new Policy(Map.of(), null, -1L));
  }
}
