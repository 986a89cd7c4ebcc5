package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.JournalPages.Position;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgIds;
import java.sql.Connection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's usage batches in commit order ({@link JournalPages}), read straight from the journal table
 * without tags (a tag costs the journal a returning insert per event, which it cannot afford under load). The
 * offset is the position of the batch, {@code "<transaction id>:<ordering>"}.
 */
public final class JournalUsageSource extends SourceProvider<String, JournalUsageSource.UsageBatch> {
  /** One journaled usage batch of one org. */
  public record UsageBatch(String orgId, OrgEvent.UsageRecorded event, String offset, long writtenAtMillis) {}

  private static final Logger log = LoggerFactory.getLogger(JournalUsageSource.class);
  private static final int PAGE = 500;
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final DataSource pool;
  private final Executor blocking;
  private final Serialization serialization;
  private final String usageManifest;
  private final String projection;
  private final ProjectionLag lag;
  /** Pages are read one at a time, but on whichever thread of the blocking pool. */
  private volatile boolean failing;

  JournalUsageSource(ActorSystem<?> system, DataSource pool, String projection, ProjectionLag lag) {
    this.system = system;
    this.pool = pool;
    this.projection = projection;
    this.lag = lag;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.serialization = SerializationExtension.get(system.classicSystem());
    OrgEvent.UsageRecorded sample = new OrgEvent.UsageRecorded(List.of(), 0);
    this.usageManifest = Serializers.manifestFor(serialization.findSerializerFor(sample), sample);
  }

  @Override
  public CompletionStage<Source<UsageBatch, NotUsed>> source(Supplier<CompletionStage<Optional<String>>> offset) {
    return offset.get().thenApply(stored -> Source.unfoldAsync(
            stored.map(Position::parse).orElse(Position.START), this::nextPage)
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

  /**
   * The next page after {@code from}; an empty page after a pause when there is nothing new, or when the
   * journal cannot be read just now. Never ends: a failed read that ended the source would restart the
   * projection while its handler may still hold a transaction open, and the new run would wait on its locks.
   */
  private CompletionStage<Optional<Pair<Position, List<UsageBatch>>>> nextPage(Position from) {
    return CompletableFuture.supplyAsync(() -> readOrNothing(from), blocking).thenCompose(page -> {
      if (!page.isEmpty()) {
        Position last = Position.parse(page.get(page.size() - 1).offset());
        return CompletableFuture.completedFuture(Optional.of(Pair.create(last, page)));
      }
      lag.caughtUp(projection);
      return Patterns.after(IDLE_POLL, system.classicSystem().scheduler(), system.executionContext(),
          () -> CompletableFuture.completedFuture(Optional.of(Pair.create(from, List.<UsageBatch>of()))));
    });
  }

  /** Logs the first failed read of a run of them, and the read that ends it: not one line a second. */
  private List<UsageBatch> readOrNothing(Position from) {
    try {
      List<UsageBatch> page = read(from);
      if (failing) {
        failing = false;
        log.atInfo().addKeyValue("from", from).log("reading usage from the journal again");
      }
      return page;
    } catch (SQLException e) {
      if (!failing) {
        failing = true;
        log.atWarn().addKeyValue("from", from).addKeyValue("error", e.getMessage())
            .log("cannot read usage from the journal; trying again every second");
      }
      return List.of();
    }
  }

  private List<UsageBatch> read(Position from) throws SQLException {
    List<UsageBatch> page = new ArrayList<>();
    try (Connection c = pool.getConnection()) {
      for (JournalPages.Row row : JournalPages.after(c, usageManifest, from, PAGE)) {
        Object event = serialization.deserialize(row.payload(), row.serializerId(), usageManifest).get();
        page.add(new UsageBatch(OrgIds.ofPersistenceId(row.persistenceId()), (OrgEvent.UsageRecorded) event,
            row.position().toString(), row.writtenAtMillis()));
      }
    }
    return page;
  }
}
