package io.tollgate.protocol.pii;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds personal data and secrets in text and replaces each with its type's placeholder: credentials (API keys
 * and tokens of the common shapes), e-mail addresses, IBANs (with their mod-97 check), payment cards (with the
 * Luhn check), US social security numbers, phone numbers (international, or North American 3-3-4) and IP
 * addresses; where two overlap, the earlier type in that order wins. A regex pass over a whole prompt costs tens
 * of microseconds each on this JVM, so one pass over the characters finds where each type could start (an '@',
 * a run of digits, a key's prefix) and the patterns run only there. No state: one for all threads.
 */
public final class PiiScanner {
  private static final Pattern CREDENTIAL = Pattern.compile(
      "\\b(?:sk-(?:proj-|ant-[a-z0-9]{2,6}-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}"
          + "|github_pat_[A-Za-z0-9_]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
          + "|tg_[a-z0-9-]+_[a-z0-9]+_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
          + "|(?i:bearer)\\s+[A-Za-z0-9._~+/-]{20,}=*)");
  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}\\b");
  private static final Pattern IBAN = Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b");
  private static final Pattern CARD = Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b");
  private static final Pattern SSN = Pattern.compile("\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b");
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){2,4}\\b"
          + "|(?<![\\w-])(?:\\(\\d{3}\\) ?|\\d{3}[.-])\\d{3}[.-]\\d{4}\\b");
  private static final Pattern IPV4 = Pattern.compile(
      "\\b(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}\\b");
  private static final Pattern IPV6 = Pattern.compile("\\b(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}\\b"
      + "|(?:\\b[0-9a-fA-F]{1,4})?(?::[0-9a-fA-F]{1,4}){0,6}::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4}){0,6})?\\b");

  private PiiScanner() {}

  /** What {@link #redact} found: the count of each type. */
  public static final class Found {
    private final Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);

    void add(PiiType type) {
      counts.merge(type, 1, Integer::sum);
    }

    public Map<PiiType, Integer> counts() {
      return counts;
    }

    public boolean any() {
      return !counts.isEmpty();
    }
  }

  /** A finding: where, and what. */
  private record Span(int start, int end, PiiType type) {}

  /** The text with each finding replaced by its placeholder, counted in {@code found}. */
  public static String redact(String text, Found found) {
    List<Span> spans = new ArrayList<>(0);
    credentials(text, spans);
    emails(text, spans);
    numbers(text, spans);
    ipv6(text, spans);
    if (spans.isEmpty()) {
      return text;
    }
    spans.sort((a, b) -> Integer.compare(a.start, b.start));
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (Span s : spans) {
      out.append(text, last, s.start).append(s.type.placeholder());
      last = s.end;
      found.add(s.type);
    }
    return out.append(text, last, text.length()).toString();
  }

  /** Adds a finding unless it overlaps one already made (by an earlier type, or earlier in the text). */
  private static void add(List<Span> spans, int start, int end, PiiType type) {
    for (Span s : spans) {
      if (start < s.end && s.start < end) {
        return;
      }
    }
    spans.add(new Span(start, end, type));
  }

  /** Where a key's prefix starts, the credential pattern is tried. */
  private static void credentials(String text, List<Span> spans) {
    Matcher m = null;
    for (int i = 0; i < text.length(); i++) {
      if (!mayStartCredential(text, i)) {
        continue;
      }
      m = m == null ? matcher(CREDENTIAL, text) : m;
      m.region(i, text.length());
      if (m.lookingAt()) {
        add(spans, m.start(), m.end(), PiiType.CREDENTIAL);
        i = m.end() - 1;
      }
    }
  }

  private static boolean mayStartCredential(String text, int i) {
    return switch (text.charAt(i)) {
      case 's' -> text.startsWith("sk-", i);
      case 'A' -> text.startsWith("AKIA", i) || text.startsWith("AIza", i);
      case 'g' -> text.startsWith("gh", i) && text.startsWith("_", i + 3) || text.startsWith("github_pat_", i);
      case 'x' -> text.startsWith("xox", i);
      case 't' -> text.startsWith("tg_", i);
      case 'e' -> text.startsWith("eyJ", i);
      case 'b', 'B' -> text.regionMatches(true, i, "bearer", 0, 6);
      default -> false;
    };
  }

  /** Around each '@': the local part to its left, a domain to its right. */
  private static void emails(String text, List<Span> spans) {
    Matcher m = null;
    for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      int start = at;
      while (start > 0 && at - start < 64 && isLocal(text.charAt(start - 1))) {
        start--;
      }
      if (start == at) {
        continue;
      }
      m = m == null ? matcher(DOMAIN, text) : m;
      m.region(at + 1, text.length());
      if (m.lookingAt()) {
        add(spans, start, m.end(), PiiType.EMAIL);
      }
    }
  }

  private static boolean isLocal(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '%'
        || c == '+' || c == '-';
  }

  /**
   * The runs of digits, capitals and single separators ("+44 20 7946 0958", "DE89 3704 0044", "10.0.0.1") with at
   * least four digits: each is searched for the IBANs, cards, SSNs, phones and IPv4 addresses its shape allows,
   * in that order.
   */
  private static void numbers(String text, List<Span> spans) {
    Matchers matchers = new Matchers(text);
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (!isRunChar(c) || c == ' ') {
        i++;
        continue;
      }
      int start = i;
      int digits = 0;
      boolean dash = false;
      boolean dot = false;
      int end = i;
      while (i < n) {
        char d = text.charAt(i);
        if (d >= '0' && d <= '9' || d >= 'A' && d <= 'Z' || d == '+' || d == '(' || d == ')') {
          digits += d >= '0' && d <= '9' ? 1 : 0;
          end = ++i;
        } else if ((d == ' ' || d == '-' || d == '.') && i + 1 < n && isRunChar(text.charAt(i + 1))
            && text.charAt(i + 1) != ' ') {
          dash |= d == '-';
          dot |= d == '.';
          i++;
        } else {
          break;
        }
      }
      if (digits >= 4) {
        boolean country = end - start >= 4 && isCapital(text.charAt(start)) && isCapital(text.charAt(start + 1));
        if (country && digits >= 10) {
          matchers.find(IBAN, start, end, PiiType.IBAN, spans);
        }
        if (digits >= 13) {
          matchers.find(CARD, start, end, PiiType.CARD, spans);
        }
        if (dash && digits >= 9) {
          matchers.find(SSN, start, end, PiiType.SSN, spans);
        }
        if (digits >= 7) {
          matchers.find(PHONE, start, end, PiiType.PHONE, spans);
        }
        if (dot && digits <= 12) {
          matchers.find(IPV4, start, end, PiiType.IP, spans);
        }
      }
      i = Math.max(i, start + 1);
    }
  }

  private static boolean isRunChar(char c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '+' || c == '(' || c == ')' || c == ' ';
  }

  private static boolean isCapital(char c) {
    return c >= 'A' && c <= 'Z';
  }

  /** One matcher per pattern for a text, made when first needed. */
  private static final class Matchers {
    private final String text;
    private final Map<PiiType, Matcher> byType = new EnumMap<>(PiiType.class);

    Matchers(String text) {
      this.text = text;
    }

    void find(Pattern pattern, int from, int to, PiiType type, List<Span> spans) {
      Matcher m = byType.computeIfAbsent(type, t -> matcher(pattern, text));
      m.region(from, to);
      while (m.find()) {
        String value = m.group();
        boolean valid = switch (type) {
          case IBAN -> ibanChecks(value);
          case CARD -> luhnChecks(value);
          default -> true;
        };
        if (valid) {
          add(spans, m.start(), m.end(), type);
        }
      }
    }
  }

  /** Runs of hex digits and colons with a "::" or seven colons. */
  private static void ipv6(String text, List<Span> spans) {
    int n = text.length();
    for (int colon = text.indexOf(':'); colon >= 0 && colon < n; colon = text.indexOf(':', colon + 1)) {
      int start = colon;
      while (start > 0 && isHexOrColon(text.charAt(start - 1))) {
        start--;
      }
      int end = colon;
      int colons = 0;
      while (end < n && isHexOrColon(text.charAt(end))) {
        colons += text.charAt(end) == ':' ? 1 : 0;
        end++;
      }
      if (colons >= 7 || colons >= 2 && text.substring(start, end).contains("::")) {
        Matcher m = matcher(IPV6, text);
        m.region(start, end);
        while (m.find()) {
          if (hasDigit(text, m.start(), m.end())) { // not "a::b" in code
            add(spans, m.start(), m.end(), PiiType.IP);
          }
        }
      }
      colon = end;
    }
  }

  private static boolean hasDigit(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        return true;
      }
    }
    return false;
  }

  private static boolean isHexOrColon(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':';
  }

  /** A matcher whose \b and lookbehinds see past the region it searches. */
  private static Matcher matcher(Pattern pattern, String text) {
    return pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
  }

  /** The Luhn check of a card number written with spaces or dashes, 13 to 19 digits. */
  static boolean luhnChecks(String candidate) {
    int sum = 0;
    int digits = 0;
    boolean doubled = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
      doubled = !doubled;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  /** The ISO 13616 check: the country and check digits moved to the end, letters as numbers, mod 97 is 1. */
  static boolean ibanChecks(String candidate) {
    String iban = candidate.replace(" ", "");
    if (iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    String moved = iban.substring(4) + iban.substring(0, 4);
    int remainder = 0;
    for (int i = 0; i < moved.length(); i++) {
      char c = moved.charAt(i);
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
    }
    return remainder == 1;
  }
}
