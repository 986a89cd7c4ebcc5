package io.tollgate.node.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our signatures against the specification's example and the Standard Webhooks project's own library. */
class WebhookSignatureTest {
  @Test
  void signsTheSpecificationsExample() {
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
  }

  @Test
  void aNewSecretsSignaturesVerifyWithTheReferenceLibraryAndNothingElseDoes() throws Exception {
    String secret = WebhookSignature.newSecret();
    assertTrue(secret.startsWith("whsec_"), secret);
    assertEquals(24, Base64.getDecoder().decode(secret.substring(6)).length);
    assertNotEquals(secret, WebhookSignature.newSecret());

    long now = Instant.now().getEpochSecond();
    String body = "{\"type\":\"key.created\",\"data\":{\"name\":\"é – ✓\"}}";
    String signature = WebhookSignature.sign(secret, "msg_1", now, body);
    Webhook reference = new Webhook(secret);
    assertDoesNotThrow(() -> reference.verify(body, headers("msg_1", now, signature)));
    assertThrows(WebhookVerificationException.class, () -> reference.verify(body + " ", headers("msg_1", now, signature)));
    assertThrows(WebhookVerificationException.class, () -> reference.verify(body, headers("msg_2", now, signature)));
    assertThrows(WebhookVerificationException.class, () -> new Webhook(WebhookSignature.newSecret())
        .verify(body, headers("msg_1", now, signature)));
  }

  private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
    return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
        "webhook-signature", List.of(signature));
  }
}
