package io.tollgate.protocol;

/**
 * Text that every later use can take: serialized to JSON or CBOR, stored in PostgreSQL, written to a log.
 * Safe text is well-formed UTF-16 (no unpaired surrogate, which no UTF-8 encoder accepts) without control
 * characters (NUL, which PostgreSQL's text refuses; newlines and escapes, which forge log lines).
 *
 * <p>Text from outside is checked once where it enters: refused where the caller sent it (a 400 in its own
 * format), made safe where nobody can be asked again (a provider's answer, a record already journaled).
 */
public final class SafeText {
  /** What an unsafe character becomes: U+FFFD, the replacement character. */
  public static final char REPLACEMENT = '\uFFFD';

  private SafeText() {}

  public static boolean isSafe(String text) {
    return text == null || firstUnsafe(text) < 0;
  }

  /** The text with each unsafe character replaced by {@link #REPLACEMENT}; the same instance when it was safe. */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) || Character.isISOControl(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }

  /** {@link #clean} and cut to at most {@code maxLength} characters, never between the halves of a pair. */
  public static String clean(String text, int maxLength) {
    String safe = clean(text);
    if (safe == null || safe.length() <= maxLength) {
      return safe;
    }
    int end = Character.isHighSurrogate(safe.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
    return safe.substring(0, end);
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        continue; // printable ASCII, nearly all text here
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
        return i;
      }
    }
    return -1;
  }
}
