package io.tollgate.protocol.pii;

import java.util.Locale;

/** The kinds of personal data and secrets the gateway finds in prompts, each with the placeholder that replaces it. */
public enum PiiType {
  CREDENTIAL,
  EMAIL,
  IBAN,
  CARD,
  SSN,
  PHONE,
  IP;

  /** {@code [EMAIL]}: what a redacted prompt says in its place. */
  public String placeholder() {
    return "[" + name() + "]";
  }

  /** {@code email}: as metrics and messages name it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
