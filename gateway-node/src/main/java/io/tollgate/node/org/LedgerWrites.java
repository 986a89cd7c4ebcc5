package io.tollgate.node.org;

import io.tollgate.node.metrics.Metrics;
import io.tollgate.node.org.OrgAccount.Write;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.ReservationId;
import io.tollgate.protocol.org.UsageAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * An org's write in flight to its ledger, one at a time, and the settlements waiting for theirs to be durable:
 * each is acknowledged when the write holding it completes. Used by the org's actor only, on its thread.
 */
final class LedgerWrites {
  private final String orgId;
  private final ActorRef<OrgLedger.Write> ledger;
  private final ActorContext<?> ctx;
  private final Metrics metrics;
  private final Map<ReservationId, List<ActorRef<UsageAck>>> waiters = new HashMap<>();
  private Write writing;
  private long startedNanos;
  private JournalSafeForm safeForm;

  LedgerWrites(String orgId, ActorRef<OrgLedger.Write> ledger, ActorContext<?> ctx, Metrics metrics) {
    this.orgId = orgId;
    this.ledger = ledger;
    this.ctx = ctx;
    this.metrics = metrics;
  }

  boolean inFlight() {
    return writing != null;
  }

  void send(Write write) {
    writing = write;
    startedNanos = System.nanoTime();
    ledger.tell(new OrgLedger.Write(write.events()));
  }

  /** {@code replyTo} is told once the write holding this settlement is durable. */
  void awaitDurable(ReservationId id, ActorRef<UsageAck> replyTo) {
    waiters.computeIfAbsent(id, k -> new ArrayList<>(1)).add(replyTo);
  }

  /** The settlements waiting for a write. */
  int waiting() {
    return waiters.size();
  }

  /** The write in flight is durable: its settlements are acknowledged, and it is returned. */
  Write completed() {
    Write done = writing;
    writing = null;
    metrics.journalWrite(done.reservations().size(), System.nanoTime() - startedNanos);
    for (ReservationId id : done.reservations()) {
      List<ActorRef<UsageAck>> waiting = waiters.remove(id);
      if (waiting != null) {
        UsageAck ack = new UsageAck(id);
        waiting.forEach(w -> w.tell(ack));
      }
    }
    return done;
  }

  /**
   * The journal refused the write in flight (nothing of it was stored): it goes again with its events in safe
   * form, so one bad record takes neither its batch nor its org with it. Refused even so, the org fails as on a
   * journal outage.
   */
  void resendInSafeForm() {
    if (safeForm == null) {
      safeForm = new JournalSafeForm(JacksonObjectMapperProvider.get(Adapter.toClassic(ctx.getSystem()))
          .getOrCreate("jackson-cbor", Optional.empty()));
    }
    List<OrgEvent> safe = writing.events().stream().map(safeForm::of).toList();
    int changed = (int) IntStream.range(0, safe.size()).filter(i -> safe.get(i) != writing.events().get(i)).count();
    if (changed == 0) {
      throw new IllegalStateException("the journal refused a write of org " + orgId + " whose text is all safe");
    }
    metrics.journalRejected(changed);
    ctx.getLog().atError().addKeyValue("org", orgId).addKeyValue("events", changed)
        .log("the journal refused events of this org (unserializable text); journaling them again in safe form");
    send(writing.withEvents(safe));
  }
}
