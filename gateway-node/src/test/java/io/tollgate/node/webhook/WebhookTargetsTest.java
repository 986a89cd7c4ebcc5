package io.tollgate.node.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where deliveries may go: https to public addresses by default; what the operator allows beyond that. */
class WebhookTargetsTest {
  private final WebhookTargets strict = new WebhookTargets(false, false);
  private final WebhookTargets open = new WebhookTargets(true, true);

  @Test
  void httpsToAPublicHostIsAllowedAndPlainHttpOnlyWhenTheOperatorSaysSo() {
    assertEquals(Optional.empty(), strict.refusal("https://hooks.example.com/tollgate?x=1"));
    assertEquals(Optional.empty(), strict.refusal("https://93.184.216.34:8443/in"));
    assertTrue(strict.refusal("http://hooks.example.com/").orElseThrow().contains("TOLLGATE_WEBHOOK_ALLOW_HTTP"));
    assertEquals(Optional.empty(), new WebhookTargets(true, false).refusal("http://hooks.example.com/"));
    for (String bad : List.of("ftp://hooks.example.com/", "hooks.example.com", "https:///path", "https://u:p@example.com/",
        "https://example.com/#x", "not a url")) {
      assertTrue(open.refusal(bad).isPresent(), bad);
    }
    assertTrue(strict.refusal(null).isPresent());
    assertTrue(strict.refusal("https://example.com/" + "a".repeat(WebhookTargets.MAX_URL)).isPresent());
  }

  @Test
  void internalAddressesAreRefusedUnlessTheOperatorAllowsThem() {
    for (String url : List.of("https://127.0.0.1/", "https://localhost/", "https://api.localhost/", "https://10.1.2.3/",
        "https://172.16.0.1/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data", "https://0.0.0.0/",
        "https://100.64.0.1/", "https://[::1]/", "https://[fd00::1]/", "https://[fe80::1]/", "https://2130706433/")) {
      assertTrue(strict.refusal(url).orElseThrow().contains("TOLLGATE_WEBHOOK_ALLOW_PRIVATE"), url);
      assertEquals(Optional.empty(), open.refusal(url), url);
    }
    assertTrue(strict.deliveryRefusal("localhost").isPresent(), "a name is checked by what it resolves to");
    assertEquals(Optional.empty(), open.deliveryRefusal("localhost"));
    assertEquals(Optional.empty(), strict.deliveryRefusal("93.184.216.34"));
  }
}
