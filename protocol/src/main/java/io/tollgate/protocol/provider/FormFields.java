package io.tollgate.protocol.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.ByteSearch;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text fields of a {@code multipart/form-data} body (its files skipped), as a JSON object of strings: what
 * the gateway reads of an upload (the model, how many images, their size) before passing the body on unchanged.
 */
public final class FormFields {
  private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[;\\s]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  /** Text fields are parameters (a model, a size, a prompt): anything longer is not one the gateway reads. */
  private static final int MAX_FIELD_BYTES = 64 * 1024;

  private FormFields() {}

  /** @throws InvalidRequestException when the body is not a multipart form with a boundary */
  public static ObjectNode read(byte[] body, String contentType) {
    Matcher boundary = contentType == null ? null : BOUNDARY.matcher(contentType);
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
        || !boundary.find()) {
      throw new InvalidRequestException("This API takes a multipart/form-data body (with a boundary).");
    }
    String b = boundary.group(1) != null ? boundary.group(1) : boundary.group(2);
    byte[] delimiter = ("--" + b).getBytes(StandardCharsets.US_ASCII);
    byte[] nextPart = ("\r\n--" + b).getBytes(StandardCharsets.US_ASCII);
    ObjectNode fields = Json.MAPPER.createObjectNode();
    int at = ByteSearch.indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new InvalidRequestException("The multipart body has no part with its boundary.");
    }
    at += delimiter.length;
    while (at + 1 < body.length && !(body[at] == '-' && body[at + 1] == '-')) { // "--" ends the form
      int headersEnd = ByteSearch.indexOf(body, HEADERS_END, at);
      int end = headersEnd < 0 ? -1 : ByteSearch.indexOf(body, nextPart, headersEnd + HEADERS_END.length);
      if (end < 0) {
        throw new InvalidRequestException("The multipart body is cut short: a part has no end.");
      }
      String headers = new String(body, at, headersEnd - at, StandardCharsets.UTF_8);
      int valueStart = headersEnd + HEADERS_END.length;
      Matcher name = NAME.matcher(headers);
      boolean file = headers.toLowerCase(Locale.ROOT).contains("filename=");
      if (name.find() && !file && end - valueStart <= MAX_FIELD_BYTES) {
        fields.put(name.group(1), new String(body, valueStart, end - valueStart, StandardCharsets.UTF_8));
      }
      at = end + nextPart.length;
    }
    return fields;
  }
}
