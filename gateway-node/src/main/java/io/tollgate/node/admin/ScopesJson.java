package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.http.AttributionHeaders;
import io.tollgate.protocol.SafeText;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scope values in the admin API: {@code /limits/{scope}/{value}}, a key's {@code binds}, the limits listing. */
final class ScopesJson {
  private ScopesJson() {}

  /** The scope value a path names; only teams, customers, users and agents have limits set this way. */
  static ScopeKey scope(String scopeName, String value) {
    Scope scope = Scope.ofWire(scopeName);
    if (scope == Scope.KEY) {
      throw new InvalidRequestException("A key's limits live on the key: PUT /admin/orgs/{org}/keys/{keyId}/limits.");
    }
    if (scope == null || !scope.setPerValue()) {
      throw new InvalidRequestException("Unknown scope '" + scopeName + "': limits are set per team, customer, user"
          + " or agent.");
    }
    return new ScopeKey(scope, value(value, scopeName));
  }

  /** A key's binds: {@code {"team": "research"}}; only a team, customer or user may be bound. */
  static Map<String, String> binds(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("'binds' must be an object such as {\"team\": \"research\"}.");
    }
    Map<String, String> binds = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      Scope scope = Scope.ofWire(e.getKey());
      if (scope != Scope.TEAM && scope != Scope.CUSTOMER && scope != Scope.USER) {
        throw new InvalidRequestException("A key may be bound to a team, customer or user, not '" + e.getKey() + "'.");
      }
      if (!e.getValue().isTextual() || e.getValue().asText().equals(ScopeKey.ANY)) {
        throw new InvalidRequestException("'binds." + e.getKey() + "' must be the value to bind, as a string.");
      }
      binds.put(scope.wireName(), value(e.getValue().asText(), e.getKey()));
    });
    return binds;
  }

  private static String value(String value, String scopeName) {
    if (value.isBlank() || value.length() > AttributionHeaders.MAX_VALUE_LENGTH || !SafeText.isSafe(value)) {
      throw new InvalidRequestException("A " + scopeName + " is 1-" + AttributionHeaders.MAX_VALUE_LENGTH
          + " printable characters.");
    }
    return value;
  }

  static ObjectNode scopeLimits(AdminReply.ScopeLimitsDescription d) {
    ScopeKey key = ScopeKey.parse(d.scope());
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("scope", key.scope().wireName());
    o.put("value", key.value());
    if (d.limits() == null) {
      o.putNull("limits");
    } else {
      o.set("limits", LimitsJson.write(d.limits()));
    }
    return o;
  }

  static ObjectNode limitsList(String orgId, AdminReply.LimitsList list) {
    ObjectNode o = AdminJson.MAPPER.createObjectNode();
    o.put("org", orgId);
    o.set("limits", LimitsJson.write(list.org()));
    ArrayNode scopes = o.putArray("scopes");
    list.scopes().forEach((id, limits) -> {
      ScopeKey key = ScopeKey.parse(id);
      ObjectNode entry = scopes.addObject();
      entry.put("scope", key.scope().wireName());
      entry.put("value", key.value());
      entry.set("limits", LimitsJson.write(limits));
    });
    ArrayNode keys = o.putArray("keys");
    list.keys().forEach((keyId, limits) -> {
      ObjectNode entry = keys.addObject();
      entry.put("key_id", keyId);
      entry.set("limits", LimitsJson.write(limits));
    });
    return o;
  }
}
