package io.tollgate.node.http;

import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Reads who a request is for: {@code X-Agent-ID}, {@code X-Session-ID}, {@code X-Customer-ID},
 * {@code X-Team-ID}, {@code X-User-ID} (else the body's {@code user}), and up to {@value #MAX_TAGS} free tags
 * {@code X-Tollgate-Tag-<name>: <value>}. Values that could not be stored or shown safely are refused.
 */
public final class AttributionHeaders {
  public static final int MAX_TAGS = 16;
  public static final int MAX_VALUE_LENGTH = 256;
  private static final String TAG_PREFIX = "x-tollgate-tag-";
  private static final Pattern TAG_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,39}");

  private AttributionHeaders() {}

  /**
   * @param bodyUser the OpenAI {@code user} field, used when no {@code X-User-ID} is sent
   * @throws InvalidRequestException naming the offending header
   */
  public static Attribution read(HttpRequest request, String bodyUser) {
    String agent = null;
    String session = null;
    String customer = null;
    String team = null;
    String user = null;
    Map<String, String> tags = new HashMap<>();
    for (HttpHeader header : request.getHeaders()) {
      String name = header.lowercaseName();
      switch (name) {
        case "x-agent-id" -> agent = checked(header);
        case "x-session-id" -> session = checked(header);
        case "x-customer-id" -> customer = checked(header);
        case "x-team-id" -> team = checked(header);
        case "x-user-id" -> user = checked(header);
        default -> {
          if (name.startsWith(TAG_PREFIX)) {
            String tag = name.substring(TAG_PREFIX.length());
            if (!TAG_NAME.matcher(tag).matches()) {
              throw new InvalidRequestException("Invalid tag header '" + header.name()
                  + "': tag names are 1-40 characters of a-z, 0-9, '_', '.', '-'.");
            }
            tags.put(tag, checked(header));
            if (tags.size() > MAX_TAGS) {
              throw new InvalidRequestException("At most " + MAX_TAGS + " X-Tollgate-Tag-* headers are allowed.");
            }
          }
        }
      }
    }
    if (user == null && bodyUser != null && !bodyUser.isEmpty()) {
      user = bodyUser.length() <= MAX_VALUE_LENGTH && SafeText.isSafe(bodyUser) ? bodyUser : null;
    }
    return new Attribution(agent, session, customer, team, user, tags);
  }

  private static String checked(HttpHeader header) {
    String value = header.value().trim();
    if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH || !SafeText.isSafe(value)) {
      throw new InvalidRequestException("Invalid " + header.name() + " header: 1-" + MAX_VALUE_LENGTH
          + " printable characters expected.");
    }
    return value;
  }

}
