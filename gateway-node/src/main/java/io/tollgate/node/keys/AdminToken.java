package io.tollgate.node.keys;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An admin token as presented: {@code tga_<id>_<secret>}. Its id finds it; the hash of its secret proves it. */
public record AdminToken(String id, String secret) {
  private static final String PREFIX = "tga_";
  private static final Pattern FORM = Pattern.compile("tga_([a-z0-9]{8,32})_([A-Za-z0-9]{20,128})");

  public static Optional<AdminToken> parse(String presented) {
    Matcher m = FORM.matcher(presented);
    return m.matches() ? Optional.of(new AdminToken(m.group(1), m.group(2))) : Optional.empty();
  }

  /** The token as its holder sends it, shown once when issued. */
  public String plaintext() {
    return PREFIX + id + "_" + secret;
  }

  @Override
  public String toString() {
    return "AdminToken[" + id + "]"; // never the secret, in a log or a message
  }
}
