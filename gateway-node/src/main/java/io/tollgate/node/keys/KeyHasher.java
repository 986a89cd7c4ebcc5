package io.tollgate.node.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes key secrets with HMAC-SHA-256 under the node's pepper, so a copy of the journal alone cannot be
 * used to forge or check keys. Every node of a cluster must share the pepper.
 */
public final class KeyHasher {
  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private final SecretKeySpec pepper;
  private final ThreadLocal<Mac> macs;
  private final SecureRandom random = new SecureRandom();

  public KeyHasher(String pepper) {
    if (pepper == null || pepper.length() < 16) {
      throw new IllegalArgumentException("the key pepper must be at least 16 characters");
    }
    this.pepper = new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public String hash(String secret) {
    Mac mac = macs.get();
    return HexFormat.of().formatHex(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** A new key for an org: a random id and a 40-character secret (about 238 bits). */
  public ClientKey newKey(String orgId) {
    return new ClientKey(orgId, randomString(ID_ALPHABET, 12), randomString(ALPHABET, 40));
  }

  /** A new admin token: a random id and a 40-character secret. */
  public AdminToken newAdminToken() {
    return new AdminToken(randomString(ID_ALPHABET, 12), randomString(ALPHABET, 40));
  }

  /** A new secret for an existing key, as a rotation gives it. */
  public ClientKey newSecret(String orgId, String keyId) {
    return new ClientKey(orgId, keyId, randomString(ALPHABET, 40));
  }

  private String randomString(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(out);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(pepper);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
    }
  }
}
