package io.tollgate.persistence.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How far each read model trails the journal, read from PostgreSQL so that any node can tell, whichever runs the
 * projection: the events of its types journaled after its stored offset, and when the oldest of them was written.
 * It looks at the next {@link #LOOK_AHEAD} journal rows only, so that asking stays cheap however far behind a
 * projection is. Blocking: call it off the actor threads.
 */
public final class ProjectionProgress {
  /** One projection's progress; {@code oldestPendingAtMillis} null when it has read every event there is. */
  public record Progress(String projection, long pendingEvents, Long oldestPendingAtMillis, Long lastUpdatedMillis) {}

  static final int LOOK_AHEAD = 10_000;

  private final DataSource pool;
  /** Each projection's name, and the manifests of the events it reads. */
  private final Map<String, List<String>> projections;

  ProjectionProgress(DataSource pool, Map<String, List<String>> projections) {
    this.pool = pool;
    this.projections = projections;
  }

  /** The projections every node starts, with the events their sources read. */
  public static ProjectionProgress of(ActorSystem<?> system, DataSource pool) {
    Map<String, List<String>> projections = new LinkedHashMap<>();
    ProjectionLag none = ProjectionLag.NONE;
    projections.put(RequestLogProjection.ID.name(), JournalSource.usageAndSessions(system, pool, "", none).manifests());
    projections.put(DenialLogProjection.ID.name(), JournalSource.denials(system, pool, "", none).manifests());
    projections.put(WebhookProjection.ID.name(), JournalSource.webhookEvents(system, pool, "", none).manifests());
    return new ProjectionProgress(pool, projections);
  }

  public List<Progress> read() throws SQLException {
    List<Progress> all = new ArrayList<>();
    try (Connection c = pool.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT current_offset, last_updated FROM pekko_projection_offset_store"
            + " WHERE projection_name = ? AND projection_key = 'journal'")) {
      for (Map.Entry<String, List<String>> p : projections.entrySet()) {
        st.setString(1, p.getKey());
        JournalPages.Position from = JournalPages.Position.START;
        Long updated = null;
        try (ResultSet rs = st.executeQuery()) {
          if (rs.next()) {
            from = JournalPages.Position.parse(rs.getString(1));
            updated = rs.getLong(2);
          }
        }
        JournalPages.Pending pending = JournalPages.pending(c, p.getValue(), from, LOOK_AHEAD);
        all.add(new Progress(p.getKey(), pending.events(), pending.oldestWrittenAtMillis(), updated));
      }
    }
    return all;
  }
}
