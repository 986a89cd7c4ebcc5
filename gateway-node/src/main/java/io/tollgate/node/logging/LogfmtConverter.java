package io.tollgate.node.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * An event's key-value pairs as logfmt ({@code %logfmt} in logback.xml): {@code key=value}, the value quoted
 * when it holds a space, '=', a quote or a character that is not printable, with quotes, backslashes and
 * control characters escaped. Values come from clients and providers (model names, attribution): a newline
 * must not forge a line, an escape must not colour a terminal, {@code x org=beta} must not add a field.
 */
public final class LogfmtConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs == null || pairs.isEmpty()) {
      return "";
    }
    StringBuilder line = new StringBuilder(pairs.size() * 16);
    for (KeyValuePair pair : pairs) {
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(pair.key).append('=');
      append(line, String.valueOf(pair.value));
    }
    return line.toString();
  }

  static void append(StringBuilder line, String value) {
    if (!value.isEmpty() && plain(value)) {
      line.append(value);
      return;
    }
    line.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (Character.isISOControl(c) || Character.isSurrogate(c) && !pairedAt(value, i)) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }

  /** Printable ASCII without space, '=', '"' or '\': written as it is (nearly every value: ids, numbers). */
  private static boolean plain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '=' || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
