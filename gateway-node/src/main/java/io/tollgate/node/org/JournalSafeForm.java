package io.tollgate.node.org;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.OrgEvent;
import java.util.Iterator;
import java.util.Map;

/**
 * An event as the journal can always take it: every text in it made safe ({@link SafeText}). Text is
 * checked where it enters the gateway; this is for whatever slipped past, so that one record the journal
 * refuses is journaled in this form instead of failing its batch and its org. Built with the journal's own
 * Jackson mapper, so it knows every event type without a line per field.
 */
final class JournalSafeForm {
  private final ObjectMapper mapper;

  JournalSafeForm(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The event with its text made safe; the same instance when nothing needed to change. */
  OrgEvent of(OrgEvent event) {
    JsonNode tree = mapper.valueToTree(event);
    if (!clean(tree)) {
      return event;
    }
    try {
      return mapper.treeToValue(tree, event.getClass());
    } catch (Exception e) {
      throw new IllegalStateException("cannot rebuild " + event.getClass().getSimpleName() + " in safe form", e);
    }
  }

  /** Cleans the tree in place; true if anything changed. */
  private static boolean clean(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue() instanceof TextNode text && !SafeText.isSafe(text.asText())) {
          field.setValue(TextNode.valueOf(SafeText.clean(text.asText())));
          changed = true;
        } else {
          changed |= clean(field.getValue());
        }
      }
      // Keys too (tags are a map): rebuilt only when one is unsafe, which keeps the order of the rest.
      if (object.properties().stream().anyMatch(f -> !SafeText.isSafe(f.getKey()))) {
        ObjectNode copy = object.objectNode();
        object.fields().forEachRemaining(f -> copy.set(SafeText.clean(f.getKey()), f.getValue()));
        object.removeAll().setAll(copy);
        changed = true;
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode item = array.get(i);
        if (item instanceof TextNode text && !SafeText.isSafe(text.asText())) {
          array.set(i, TextNode.valueOf(SafeText.clean(text.asText())));
          changed = true;
        } else {
          changed |= clean(item);
        }
      }
    }
    return changed;
  }
}
