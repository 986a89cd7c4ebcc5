package io.tollgate.protocol.org;

/** What the gateway does with personal data and secrets it finds in a prompt. */
public enum PiiMode {
  /** Nothing: the prompt goes as it came. */
  OFF,
  /** Each finding is replaced by a typed placeholder ({@code [EMAIL]}) before the provider sees the prompt. */
  REDACT,
  /** A prompt with any finding is refused with a 400 in the provider's format. */
  BLOCK
}
