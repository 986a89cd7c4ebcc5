package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.JournalSource.Journaled;
import io.tollgate.persistence.projection.WebhookMessages.Message;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.Webhook;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.projection.Projection;
import org.apache.pekko.projection.ProjectionId;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;
import org.apache.pekko.projection.jdbc.javadsl.JdbcProjection;

/**
 * Keeps each org's webhooks in {@code webhook_endpoints} (and its keys' expiry in {@code webhook_keys}) and
 * queues a delivery in {@code webhook_deliveries}
 * for every message of the journal and every webhook of its org that takes it, exactly once: the rows and
 * the offset past them commit together, and a message queued twice (a repeated report) is one row.
 */
public final class WebhookProjection {
  public static final ProjectionId ID = ProjectionId.of("webhooks", "journal");
  private static final int GROUP_EVENTS = 200;
  private static final Duration GROUP_WAIT = Duration.ofMillis(200);

  private static final String ADD = """
      INSERT INTO webhook_endpoints (org_id, webhook_id, url, format, secret, events, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (org_id, webhook_id) DO UPDATE SET url = EXCLUDED.url, format = EXCLUDED.format,
        secret = EXCLUDED.secret, events = EXCLUDED.events, created_at = EXCLUDED.created_at, removed_at = NULL
      """;
  private static final String REMOVE = """
      UPDATE webhook_endpoints SET removed_at = ? WHERE org_id = ? AND webhook_id = ?
      """;
  private static final String KEY_ISSUED = """
      INSERT INTO webhook_keys (org_id, key_id, name, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (org_id, key_id) DO UPDATE SET name = EXCLUDED.name, expires_at = EXCLUDED.expires_at
      """;
  private static final String KEY_REVOKED = """
      UPDATE webhook_keys SET revoked_at = ? WHERE org_id = ? AND key_id = ?
      """;
  private static final String QUEUE = """
      INSERT INTO webhook_deliveries (org_id, webhook_id, message_id, type, body, created_at, status, next_attempt_at)
      SELECT org_id, webhook_id, ?, ?, CASE WHEN format = 'slack' THEN ? ELSE ? END, ?, 'pending', now()
      FROM webhook_endpoints
      WHERE org_id = ? AND removed_at IS NULL
        AND (CASE WHEN ?::text IS NULL THEN cardinality(events) = 0 OR ? = ANY(events) ELSE webhook_id = ? END)
      ON CONFLICT DO NOTHING
      """;

  private WebhookProjection() {}

  /** The projection, to be run by one node at a time (a sharded daemon process of one). */
  public static Projection<Journaled<OrgEvent>> create(ActorSystem<?> system, DataSource pool, ProjectionLag lag) {
    return JdbcProjection.groupedWithin(ID, JournalSource.webhookEvents(system, pool, ID.name(), lag),
            () -> new PooledJdbcSession(pool), () -> new Writer(lag), system)
        .withGroup(GROUP_EVENTS, GROUP_WAIT);
  }

  private static final class Writer extends JdbcHandler<List<Journaled<OrgEvent>>, PooledJdbcSession> {
    private final ProjectionLag lag;

    Writer(ProjectionLag lag) {
      this.lag = lag;
    }

    @Override
    public void process(PooledJdbcSession session, List<Journaled<OrgEvent>> events) throws Exception {
      long newest = 0;
      for (Journaled<OrgEvent> e : events) {
        session.withConnection(connection -> {
          write(connection, e.orgId(), e.offset(), e.event());
          return null;
        });
        newest = Math.max(newest, e.writtenAtMillis());
      }
      lag.written(ID.name(), newest);
    }
  }

  /** One event of the journal, in order: a webhook added or removed, or a message queued for the org's webhooks. */
  static void write(Connection connection, String orgId, String offset, OrgEvent event) throws SQLException {
    if (event instanceof OrgEvent.WebhookAdded added) {
      Webhook w = added.webhook();
      try (PreparedStatement st = connection.prepareStatement(ADD)) {
        st.setString(1, orgId);
        st.setString(2, w.id());
        st.setString(3, w.url());
        st.setString(4, w.format());
        st.setString(5, w.secret());
        st.setArray(6, connection.createArrayOf("text", w.events().toArray()));
        st.setObject(7, Instant.ofEpochMilli(w.createdAtMillis()).atOffset(ZoneOffset.UTC));
        st.executeUpdate();
      }
    } else if (event instanceof OrgEvent.WebhookRemoved removed) {
      try (PreparedStatement st = connection.prepareStatement(REMOVE)) {
        st.setObject(1, Instant.ofEpochMilli(removed.atMillis()).atOffset(ZoneOffset.UTC));
        st.setString(2, orgId);
        st.setString(3, removed.webhookId());
        st.executeUpdate();
      }
    } else {
      if (event instanceof OrgEvent.KeyIssued issued && issued.key().expiresAtMillis() != null) {
        try (PreparedStatement st = connection.prepareStatement(KEY_ISSUED)) {
          st.setString(1, orgId);
          st.setString(2, issued.key().id());
          st.setString(3, issued.key().name());
          st.setObject(4, Instant.ofEpochMilli(issued.key().expiresAtMillis()).atOffset(ZoneOffset.UTC));
          st.executeUpdate();
        }
      } else if (event instanceof OrgEvent.KeyRevoked revoked) {
        try (PreparedStatement st = connection.prepareStatement(KEY_REVOKED)) {
          st.setObject(1, Instant.ofEpochMilli(revoked.atMillis()).atOffset(ZoneOffset.UTC));
          st.setString(2, orgId);
          st.setString(3, revoked.keyId());
          st.executeUpdate();
        }
      }
      for (Message message : WebhookMessages.of(orgId, offset, event)) {
        queue(connection, orgId, message);
      }
    }
  }

  /** Queues the message for every webhook of the org that takes its type (or the one it is only for); once. */
  static void queue(Connection connection, String orgId, Message m) throws SQLException {
    try (PreparedStatement st = connection.prepareStatement(QUEUE)) {
      st.setString(1, m.id());
      st.setString(2, m.type());
      st.setString(3, m.slackBody());
      st.setString(4, m.standardBody());
      st.setObject(5, Instant.ofEpochMilli(m.atMillis()).atOffset(ZoneOffset.UTC));
      st.setString(6, orgId);
      st.setString(7, m.onlyTo());
      st.setString(8, m.type());
      st.setString(9, m.onlyTo());
      st.executeUpdate();
    }
  }
}
