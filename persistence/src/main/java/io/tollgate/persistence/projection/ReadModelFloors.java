package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.JournalPages.Position;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where read models stood when their projections were merged into one (V21): a read model already holds every
 * journal row at or before its floor, and the merged projection, which starts from the lowest of them, skips
 * those rows for it. A floor is forgotten in the transaction that moves the offset past it, so it is read once.
 */
final class ReadModelFloors {
  static final String REQUEST_LOG = "request_log";
  static final String USAGE_DAILY = "usage_daily";

  private final Map<String, Position> floors;
  private final Set<String> forgotten = new HashSet<>();

  ReadModelFloors(Map<String, Position> floors) {
    this.floors = new HashMap<>(floors);
  }

  static ReadModelFloors load(Connection connection) throws SQLException {
    Map<String, Position> floors = new HashMap<>();
    try (PreparedStatement st = connection.prepareStatement("SELECT read_model, after_offset FROM read_model_floors");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        floors.put(rs.getString(1), Position.parse(rs.getString(2)));
      }
    }
    return new ReadModelFloors(floors);
  }

  /** Whether the read model already holds the journal row at this offset. */
  boolean holds(String readModel, String offset) {
    Position floor = floors.get(readModel);
    return floor != null && Position.parse(offset).compareTo(floor) <= 0;
  }

  /**
   * Forgets, in the database, the floors at or before this position, the last of a group the projection commits.
   * They stay in memory: should that transaction roll back, the group is written again and still skips them (a
   * floor left in the table is harmless once the offset is past it).
   */
  void passed(Connection connection, String offset) throws SQLException {
    if (floors.size() == forgotten.size()) {
      return;
    }
    Position position = Position.parse(offset);
    for (Map.Entry<String, Position> floor : floors.entrySet()) {
      if (floor.getValue().compareTo(position) <= 0 && !forgotten.contains(floor.getKey())) {
        try (PreparedStatement st = connection.prepareStatement("DELETE FROM read_model_floors WHERE read_model = ?")) {
          st.setString(1, floor.getKey());
          st.executeUpdate();
        }
        forgotten.add(floor.getKey());
      }
    }
  }
}
