package io.tollgate.node.webhook;

import io.tollgate.persistence.projection.TimedNotices;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has this node look for the webhook messages time makes ({@link TimedNotices}) every so often, on the blocking
 * pool; every node does, and a message found twice is queued once.
 */
public final class NoticeClock {
  private static final Logger log = LoggerFactory.getLogger(NoticeClock.class);

  private final TimedNotices notices;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean failing;

  private NoticeClock(TimedNotices notices, Clock clock) {
    this.notices = notices;
    this.clock = clock;
  }

  public static void start(ActorSystem<?> system, TimedNotices notices, Duration every, Clock clock, Executor blocking) {
    NoticeClock ticking = new NoticeClock(notices, clock);
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, every, () -> {
      if (ticking.running.compareAndSet(false, true)) {
        blocking.execute(ticking::look);
      }
    }, system.executionContext());
  }

  private void look() {
    try {
      notices.run(clock.instant());
      if (failing) {
        failing = false;
        log.atInfo().log("looking for timed webhook notices again");
      }
    } catch (SQLException e) {
      if (!failing) {
        failing = true;
        log.atWarn().addKeyValue("error", e.getMessage()).log("cannot look for timed webhook notices; trying again");
      }
    } finally {
      running.set(false);
    }
  }
}
