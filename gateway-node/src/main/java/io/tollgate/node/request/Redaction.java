package io.tollgate.node.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.pii.PiiScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A request's prompt with its personal data and secrets found, and replaced by placeholders: every text value of
 * its JSON body (messages, system prompts, tool arguments, the {@code user} field...) but those that name how
 * the request is handled (model, roles, types, ids). No actor in it.
 */
final class Redaction {
  /** Fields whose text is the request's machinery, never a person's data. */
  private static final Set<String> KEPT = Set.of("model", "role", "type", "id", "tool_call_id", "finish_reason",
      "mime_type", "mimeType", "media_type", "format", "encoding_format", "object", "tool_choice");

  /** What was found, and the call with it redacted (the same call when nothing was). */
  record Result(ProxyCall call, PiiScanner.Found found) {}

  private Redaction() {}

  static Result of(ProxyCall call) {
    PiiScanner.Found found = new PiiScanner.Found();
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(call.clientBody());
    } catch (IOException e) {
      return new Result(call, found); // inspected as JSON already; nothing here to redact otherwise
    }
    if (!redact(body, found)) {
      return new Result(call, found);
    }
    byte[] redacted;
    try {
      redacted = Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(new ProxyCall(call.requestId(), call.receivedNanos(), call.provider(), call.endpoint(),
        call.upstream(), call.upstreamPath(), call.method(), call.contentType(), call.forwardHeaders(), redacted,
        call.endpoint().inspector().askForStreamUsage(redacted, call.facts()), call.facts(), call.key(),
        call.secretHash(), call.attribution(), call.options(), call.responder()), found);
  }

  /** Redacts the text values under {@code node} in place; true if any changed. */
  private static boolean redact(JsonNode node, PiiScanner.Found found) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode clean = KEPT.contains(field.getKey()) ? null : redacted(field.getValue(), found);
        if (clean != null) {
          field.setValue(clean);
          changed = true;
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode clean = redacted(array.get(i), found);
        if (clean != null) {
          array.set(i, clean);
          changed = true;
        }
      }
    }
    return changed;
  }

  /** The value redacted (a new text, or the same object or array changed in place), or null if nothing was found. */
  private static JsonNode redacted(JsonNode value, PiiScanner.Found found) {
    if (value.isTextual()) {
      String text = value.asText();
      String clean = PiiScanner.redact(text, found);
      return clean.equals(text) ? null : TextNode.valueOf(clean);
    }
    return redact(value, found) ? value : null;
  }
}
