package io.tollgate.node.access;

import io.tollgate.node.keys.AdminToken;
import io.tollgate.node.keys.KeyHasher;
import io.tollgate.persistence.access.AdminTokens;
import io.tollgate.persistence.access.AdminTokens.Row;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The admin API's tokens for a node: who an {@code Authorization} header is (the bootstrap token, or an issued
 * token neither expired nor revoked), and issuing, listing and revoking tokens, over the {@link AdminTokens} every
 * node shares. Looked up on each call, so a revocation holds at once on every node.
 */
public final class Tokens {
  /** A token just issued: its row, and the token itself, shown this once. */
  public record Issued(Row row, String token) {}

  private interface Query<T> {
    T run() throws SQLException;
  }

  private final byte[] bootstrap;
  private final AdminTokens store;
  private final KeyHasher hasher;
  private final Executor blocking;
  private final Clock clock;

  public Tokens(String bootstrapToken, AdminTokens store, KeyHasher hasher, Executor blocking, Clock clock) {
    this.bootstrap = ("Bearer " + bootstrapToken).getBytes(StandardCharsets.UTF_8);
    this.store = store;
    this.hasher = hasher;
    this.blocking = blocking;
    this.clock = clock;
  }

  /** Who presents this header; empty when no one the API knows. */
  public CompletionStage<Optional<AdminPrincipal>> authenticate(String authorization) {
    if (MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), bootstrap)) {
      return CompletableFuture.completedFuture(Optional.of(AdminPrincipal.bootstrap()));
    }
    Optional<AdminToken> token = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? AdminToken.parse(authorization.substring(7).trim()) : Optional.empty();
    if (token.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String hash = hasher.hash(token.get().secret());
    return run(() -> store.find(token.get().id())).thenApply(row -> row
        .filter(r -> MessageDigest.isEqual(r.secretHash().getBytes(StandardCharsets.UTF_8),
            hash.getBytes(StandardCharsets.UTF_8)))
        .filter(r -> r.revokedAtMillis() == null)
        .filter(r -> r.expiresAtMillis() == null || r.expiresAtMillis() > clock.millis())
        .flatMap(r -> AdminRole.of(r.role()).map(role -> new AdminPrincipal(r.id(), role, r.orgId(), r.name()))));
  }

  public CompletionStage<Issued> issue(AdminPrincipal by, AdminRole role, String orgId, String name, Long expiresAtMillis) {
    AdminToken token = hasher.newAdminToken();
    Row row = new Row(token.id(), hasher.hash(token.secret()), role.label(), orgId, name, by.tokenId(), clock.millis(),
        expiresAtMillis, null);
    return run(() -> {
      store.insert(row);
      return new Issued(row, token.plaintext());
    });
  }

  /** The live tokens of one org, or (null) of all. */
  public CompletionStage<List<Row>> list(String orgId) {
    return run(() -> store.list(orgId));
  }

  public CompletionStage<Optional<Row>> find(String id) {
    return run(() -> store.find(id));
  }

  public CompletionStage<Boolean> revoke(String id) {
    return run(() -> store.revoke(id, clock.millis()));
  }

  private <T> CompletionStage<T> run(Query<T> query) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return query.run();
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
