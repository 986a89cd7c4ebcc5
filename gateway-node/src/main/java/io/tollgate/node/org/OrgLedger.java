package io.tollgate.node.org;

import io.tollgate.node.org.OrgCommand.LedgerRecovered;
import io.tollgate.node.org.OrgCommand.LedgerWritten;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgIds;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The journal of one org: a child of its {@link OrgEntity} that persists the batches it is given, one
 * write at a time, and folds them into the {@link OrgBook}. It holds the only copy of the book; the entity
 * reads the immutable book it hands back, so admission never waits behind a write.
 */
public final class OrgLedger extends EventSourcedBehavior<OrgLedger.Write, OrgEvent, OrgBook> {

  /** Persist these events atomically. */
  public record Write(List<OrgEvent> events) {}

  private final ActorRef<OrgCommand> entity;
  private final int snapshotEvery;
  private final int maxTrackedValues;

  private OrgLedger(String orgId, ActorRef<OrgCommand> entity, int snapshotEvery, int maxTrackedValues) {
    super(persistenceId(orgId));
    this.entity = entity;
    this.snapshotEvery = snapshotEvery;
    this.maxTrackedValues = maxTrackedValues;
  }

  public static PersistenceId persistenceId(String orgId) {
    return PersistenceId.ofUniqueId(OrgIds.persistenceId(orgId));
  }

  public static Behavior<Write> create(String orgId, ActorRef<OrgCommand> entity, OrgSettings settings) {
    return new OrgLedger(orgId, entity, settings.snapshotEvery(), settings.maxTrackedValues());
  }

  @Override
  public OrgBook emptyState() {
    return OrgBook.EMPTY;
  }

  @Override
  public CommandHandler<Write, OrgEvent, OrgBook> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Write.class, (book, write) -> Effect().persist(write.events())
            .thenRun(written -> entity.tell(new LedgerWritten(written))))
        .build();
  }

  @Override
  public EventHandler<OrgBook, OrgEvent> eventHandler() {
    return (book, event) -> book.apply(event, maxTrackedValues);
  }

  @Override
  public SignalHandler<OrgBook> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), book -> entity.tell(new LedgerRecovered(book)))
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }
}
