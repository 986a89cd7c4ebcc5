package io.tollgate.node.keys;

import io.tollgate.protocol.org.OrgIds;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A client key, {@code tg_<org>_<keyId>_<secret>}: it names its own org and key, so any node knows which
 * org actor to ask without a database lookup. Only the secret is secret.
 */
public record ClientKey(String orgId, String keyId, String secret) {
  private static final String PREFIX = "tg_";
  private static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{8,32}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9]{20,128}");

  public static Optional<ClientKey> parse(String presented) {
    if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 300) {
      return Optional.empty();
    }
    String rest = presented.substring(PREFIX.length());
    int secretStart = rest.lastIndexOf('_');
    if (secretStart <= 0) {
      return Optional.empty();
    }
    int keyStart = rest.lastIndexOf('_', secretStart - 1);
    if (keyStart <= 0) {
      return Optional.empty();
    }
    String org = rest.substring(0, keyStart);
    String keyId = rest.substring(keyStart + 1, secretStart);
    String secret = rest.substring(secretStart + 1);
    if (!OrgIds.isValid(org) || !KEY_ID.matcher(keyId).matches() || !SECRET.matcher(secret).matches()) {
      return Optional.empty();
    }
    return Optional.of(new ClientKey(org, keyId, secret));
  }

  /** The key as the client presents it. Shown once, when issued. */
  public String plaintext() {
    return PREFIX + orgId + '_' + keyId + '_' + secret;
  }

  /** Never the secret: logs and errors see only which key it was. */
  @Override
  public String toString() {
    return "ClientKey[" + orgId + "/" + keyId + "]";
  }
}
