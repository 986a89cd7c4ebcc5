package io.tollgate.persistence.query;

import io.tollgate.protocol.org.OrgIds;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Which orgs exist, in id order, a page at a time: every org journal's first event is its creation. */
public final class OrgDirectory {
  private final DataSource pool;

  public OrgDirectory(DataSource pool) {
    this.pool = pool;
  }

  /** Blocking: up to {@code limit} org ids after {@code after} (null: from the first). */
  public List<String> page(String after, int limit) throws SQLException {
    String from = OrgIds.persistenceId(after == null ? "" : after);
    List<String> ids = new ArrayList<>(limit);
    try (Connection c = pool.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT persistence_id FROM event_journal WHERE sequence_number = 1"
            + " AND persistence_id > ? AND persistence_id LIKE 'org|%' ORDER BY persistence_id LIMIT ?")) {
      st.setString(1, from);
      st.setInt(2, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(OrgIds.ofPersistenceId(rs.getString(1)));
        }
      }
    }
    return ids;
  }
}
