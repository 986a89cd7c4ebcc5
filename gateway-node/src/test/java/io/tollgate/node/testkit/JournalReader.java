package io.tollgate.node.testkit;

import io.tollgate.node.org.OrgLedger;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.UsageRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** Reads an org's journal from PostgreSQL through Pekko's read journal, as a projection would. */
public final class JournalReader {
  private final ActorSystem<?> system;

  public JournalReader(ActorSystem<?> system) {
    this.system = system;
  }

  public List<OrgEvent> events(String orgId) {
    JdbcReadJournal journal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    try {
      return journal.currentEventsByPersistenceId(OrgLedger.persistenceId(orgId).id(), 0, Long.MAX_VALUE)
          .map(EventEnvelope::event)
          .map(OrgEvent.class::cast)
          .runWith(Sink.seq(), system)
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the journal of " + orgId, e);
    }
  }

  public List<UsageRecord> usage(String orgId) {
    return events(orgId).stream()
        .filter(OrgEvent.UsageRecorded.class::isInstance)
        .flatMap(e -> ((OrgEvent.UsageRecorded) e).records().stream())
        .toList();
  }
}
