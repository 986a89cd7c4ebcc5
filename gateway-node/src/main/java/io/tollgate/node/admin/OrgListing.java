package io.tollgate.node.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.query.OrgDirectory;
import io.tollgate.protocol.money.Money;
import io.tollgate.protocol.org.AdminReply;
import io.tollgate.protocol.provider.InvalidRequestException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code GET /admin/orgs}: every org, a page at a time in id order, each with its plan, status and this
 * month's spend as its own actor has them (live, not the read model's).
 */
public final class OrgListing {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private final OrgDirectory directory;
  private final OrgAdmin admin;
  private final Executor blocking;

  public OrgListing(OrgDirectory directory, OrgAdmin admin, Executor blocking) {
    this.directory = directory;
    this.admin = admin;
    this.blocking = blocking;
  }

  static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidRequestException("'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
  }

  /** The page after {@code cursor} (an org id, null: the first page), with the cursor of the next page. */
  CompletionStage<ObjectNode> page(String cursor, int limit) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return directory.page(cursor, limit + 1); // one more tells whether a next page exists
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking).thenCompose(ids -> {
      List<String> page = ids.size() > limit ? ids.subList(0, limit) : ids;
      List<CompletableFuture<ObjectNode>> rows = page.stream().map(id -> row(id).toCompletableFuture()).toList();
      return CompletableFuture.allOf(rows.toArray(CompletableFuture[]::new)).thenApply(done -> {
        ObjectNode o = AdminJson.MAPPER.createObjectNode();
        ArrayNode orgs = o.putArray("orgs");
        rows.forEach(r -> orgs.add(r.join()));
        if (ids.size() > limit) {
          o.put("next_cursor", page.get(page.size() - 1));
        } else {
          o.putNull("next_cursor");
        }
        return o;
      });
    });
  }

  private CompletionStage<ObjectNode> row(String orgId) {
    return admin.describe(orgId).thenCombine(admin.quota(orgId), (described, quota) -> {
      ObjectNode o = AdminJson.MAPPER.createObjectNode();
      o.put("id", orgId);
      if (described instanceof AdminReply.OrgDescription d) {
        o.put("name", d.profile().name());
        o.put("status", d.profile().disabled() ? "disabled" : "active");
        o.put("plan", d.plan());
        o.put("time_zone", d.profile().zoneName());
      }
      o.put("period", quota.month().period());
      o.put("monthly_requests", quota.monthlyRequests());
      o.put("monthly_cost_usd", Money.formatUsd(quota.month().costNanos()));
      o.put("in_flight", quota.inFlight());
      return o;
    });
  }
}
