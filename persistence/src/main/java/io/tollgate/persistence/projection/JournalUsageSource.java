package io.tollgate.persistence.projection;

import io.tollgate.protocol.org.OrgEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.projection.javadsl.SourceProvider;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal's usage batches in commit order, read straight from the journal table without tags (a tag
 * costs the journal a returning insert per event, which it cannot afford under load). Each row carries the
 * id of the transaction that wrote it; only rows of transactions older than every transaction still running
 * are read, so no row can later appear behind a position already read. The offset is that position,
 * {@code "<transaction id>:<ordering>"}.
 */
public final class JournalUsageSource extends SourceProvider<String, JournalUsageSource.UsageBatch> {
  /** One journaled usage batch of one org. */
  public record UsageBatch(String orgId, OrgEvent.UsageRecorded event, String offset, long writtenAtMillis) {}

  private record Position(String txId, long ordering) {
    static Position parse(String offset) {
      int colon = offset.indexOf(':');
      return new Position(offset.substring(0, colon), Long.parseLong(offset.substring(colon + 1)));
    }

    @Override
    public String toString() {
      return txId + ":" + ordering;
    }
  }

  private static final Position START = new Position("0", 0);
  private static final int PAGE = 500;
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final String NEXT_PAGE = """
      SELECT tx_id::text, ordering, persistence_id, event_ser_id, event_payload, write_timestamp
      FROM event_journal
      WHERE event_ser_manifest = ? AND (tx_id, ordering) > (?::xid8, ?)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id, ordering
      LIMIT ?
      """;

  private final ActorSystem<?> system;
  private final DataSource pool;
  private final Executor blocking;
  private final Serialization serialization;
  private final String usageManifest;

  JournalUsageSource(ActorSystem<?> system, DataSource pool) {
    this.system = system;
    this.pool = pool;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.serialization = SerializationExtension.get(system.classicSystem());
    OrgEvent.UsageRecorded sample = new OrgEvent.UsageRecorded(List.of(), 0);
    this.usageManifest = Serializers.manifestFor(serialization.findSerializerFor(sample), sample);
  }

  @Override
  public CompletionStage<Source<UsageBatch, NotUsed>> source(Supplier<CompletionStage<Optional<String>>> offset) {
    return offset.get().thenApply(stored -> Source.unfoldAsync(stored.map(Position::parse).orElse(START), this::nextPage)
        .mapConcat(page -> page));
  }

  @Override
  public String extractOffset(UsageBatch batch) {
    return batch.offset();
  }

  @Override
  public long extractCreationTime(UsageBatch batch) {
    return batch.writtenAtMillis();
  }

  /** The next page after {@code from}; an empty page after a pause when there is nothing new. Never ends. */
  private CompletionStage<Optional<Pair<Position, List<UsageBatch>>>> nextPage(Position from) {
    return CompletableFuture.supplyAsync(() -> read(from), blocking).thenCompose(page -> {
      if (!page.isEmpty()) {
        Position last = Position.parse(page.get(page.size() - 1).offset());
        return CompletableFuture.completedFuture(Optional.of(Pair.create(last, page)));
      }
      return Patterns.after(IDLE_POLL, system.classicSystem().scheduler(), system.executionContext(),
          () -> CompletableFuture.completedFuture(Optional.of(Pair.create(from, List.<UsageBatch>of()))));
    });
  }

  private List<UsageBatch> read(Position from) {
    List<UsageBatch> page = new ArrayList<>();
    try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(NEXT_PAGE)) {
      st.setString(1, usageManifest);
      st.setString(2, from.txId());
      st.setLong(3, from.ordering());
      st.setInt(4, PAGE);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Object event = serialization.deserialize(rs.getBytes(5), rs.getInt(4), usageManifest).get();
          page.add(new UsageBatch(UsageProjection.orgIdOf(rs.getString(3)), (OrgEvent.UsageRecorded) event,
              new Position(rs.getString(1), rs.getLong(2)).toString(), rs.getLong(6)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read usage from the journal: " + e.getMessage(), e);
    }
    return page;
  }
}
