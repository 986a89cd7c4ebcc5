package io.tollgate.persistence.projection;

import io.tollgate.persistence.projection.JournalPages.Position;
import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.AuditEntry;
import io.tollgate.protocol.org.BusinessOutcome;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgIds;
import io.tollgate.protocol.org.Webhook;
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
 * The journal's events of one type (usage batches, refusals) in commit order ({@link JournalPages}), read
 * straight from the journal table without tags (a tag costs the journal a returning insert per event, which it
 * cannot afford under load). The offset is the position of the event, {@code "<transaction id>:<ordering>"}.
 */
public final class JournalSource<E extends OrgEvent> extends SourceProvider<String, JournalSource.Journaled<E>> {
  /** One journaled event of one org. */
  public record Journaled<E>(String orgId, E event, String offset, long writtenAtMillis) {}

  private static final Logger log = LoggerFactory.getLogger(JournalSource.class);
  private static final int PAGE = 500;
  private static final Duration IDLE_POLL = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final DataSource pool;
  private final Executor blocking;
  private final Serialization serialization;
  private final Class<E> type;
  private final List<String> manifests;
  private final String projection;
  private final ProjectionLag lag;
  /** Pages are read one at a time, but on whichever thread of the blocking pool. */
  private volatile boolean failing;
  /** When the newest event this source has handed on was journaled (0: none yet). */
  private volatile long newestRead;

  /** {@code samples}: an event of each type read; their serializers' manifests select the journal's rows. */
  JournalSource(ActorSystem<?> system, DataSource pool, Class<E> type, List<? extends E> samples, String projection,
      ProjectionLag lag) {
    this.system = system;
    this.type = type;
    this.pool = pool;
    this.projection = projection;
    this.lag = lag;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.serialization = SerializationExtension.get(system.classicSystem());
    this.manifests = samples.stream().map(e -> Serializers.manifestFor(serialization.findSerializerFor(e), e)).toList();
  }

  /** The refusals, counted and in detail. */
  static JournalSource<OrgEvent.RequestsDenied> denials(ActorSystem<?> system, DataSource pool, String projection,
      ProjectionLag lag) {
    return new JournalSource<>(system, pool, OrgEvent.RequestsDenied.class,
        List.of(new OrgEvent.RequestsDenied(List.of(), 0, 0)), projection, lag);
  }

  /** The usage batches, the sessions closed, the outcomes reported and reviewed, and the admin changes, in journal order. */
  static JournalSource<OrgEvent> usageAndSessions(ActorSystem<?> system, DataSource pool, String projection,
      ProjectionLag lag) {
    return new JournalSource<>(system, pool, OrgEvent.class, List.of(new OrgEvent.UsageRecorded(List.of(), 0),
        new OrgEvent.SessionClosed("", 0), new OrgEvent.OutcomeReported(new BusinessOutcome("", null, "", 0, null,
            null, null, 0)), new OrgEvent.OutcomeReviewed("", true, "", 0),
        new OrgEvent.AdminAudited(new AuditEntry("", null, "", "", 0, null, null, 0))), projection, lag);
  }

  /** What webhooks are told of, and the webhooks themselves, in journal order. */
  static JournalSource<OrgEvent> webhookEvents(ActorSystem<?> system, DataSource pool, String projection,
      ProjectionLag lag) {
    return new JournalSource<>(system, pool, OrgEvent.class, List.of(
        new OrgEvent.WebhookAdded(new Webhook("", "", List.of(), "", "", 0)), new OrgEvent.WebhookRemoved("", 0),
        new OrgEvent.WebhookTested("", 0), new OrgEvent.KeyIssued(new ApiKey("", "", "", List.of(), 0, null)),
        new OrgEvent.KeyRevoked("", 0), new OrgEvent.OutcomeReported(new BusinessOutcome("", null, "", 0, null,
            null, null, 0)), new OrgEvent.OutcomeReviewed("", true, "", 0),
        new OrgEvent.BudgetThresholdsCrossed(List.of(), 0), new OrgEvent.LimitsCrossed(List.of(), 0),
        new OrgEvent.AnomaliesDetected(List.of(), 0), new OrgEvent.RateLimitsHit(List.of(), 0)), projection, lag);
  }

  /** The manifests of the journal rows this source reads. */
  List<String> manifests() {
    return manifests;
  }

  @Override
  public CompletionStage<Source<Journaled<E>, NotUsed>> source(Supplier<CompletionStage<Optional<String>>> offset) {
    return offset.get().thenApply(stored -> Source.unfoldAsync(
            stored.map(Position::parse).orElse(Position.START), this::nextPage)
        .mapConcat(page -> page));
  }

  @Override
  public String extractOffset(Journaled<E> batch) {
    return batch.offset();
  }

  @Override
  public long extractCreationTime(Journaled<E> batch) {
    return batch.writtenAtMillis();
  }

  /**
   * The events of the next page after {@code from}, and where the page ended: at once while the journal has
   * rows to look at (of any type), after a pause when it has none, or when it cannot be read just now. Never
   * ends: a failed read that ended the source would restart the projection while its handler may still hold a
   * transaction open, and the new run would wait on its locks.
   */
  private CompletionStage<Optional<Pair<Position, List<Journaled<E>>>>> nextPage(Position from) {
    return CompletableFuture.supplyAsync(() -> readOrNothing(from), blocking).thenCompose(page -> {
      if (page.scannedTo() != null) {
        return CompletableFuture.completedFuture(Optional.of(Pair.create(page.scannedTo(), page.events())));
      }
      lag.caughtUp(projection, newestRead);
      return Patterns.after(IDLE_POLL, system.classicSystem().scheduler(), system.executionContext(),
          () -> CompletableFuture.completedFuture(Optional.of(Pair.create(from, List.<Journaled<E>>of()))));
    });
  }

  /** A page's events of the types read, and the position of the last row it looked at (null: none). */
  private record Events<E>(List<Journaled<E>> events, Position scannedTo) {
    static <E> Events<E> none() {
      return new Events<>(List.of(), null);
    }
  }

  /** Logs the first failed read of a run of them, and the read that ends it: not one line a second. */
  private Events<E> readOrNothing(Position from) {
    try {
      Events<E> page = read(from);
      if (failing) {
        failing = false;
        log.atInfo().addKeyValue("from", from).log("reading the journal again");
      }
      return page;
    } catch (SQLException e) {
      if (!failing) {
        failing = true;
        log.atWarn().addKeyValue("from", from).addKeyValue("error", e.getMessage())
            .log("cannot read the journal; trying again every second");
      }
      return Events.none();
    }
  }

  private Events<E> read(Position from) throws SQLException {
    List<Journaled<E>> page = new ArrayList<>();
    JournalPages.Page rows;
    try (Connection c = pool.getConnection()) {
      rows = JournalPages.after(c, manifests, from, PAGE);
      for (JournalPages.Row row : rows.rows()) {
        Object event = serialization.deserialize(row.payload(), row.serializerId(), row.manifest()).get();
        page.add(new Journaled<>(OrgIds.ofPersistenceId(row.persistenceId()), type.cast(event),
            row.position().toString(), row.writtenAtMillis()));
        newestRead = Math.max(newestRead, row.writtenAtMillis());
      }
    }
    return new Events<>(page, rows.scannedTo());
  }
}
