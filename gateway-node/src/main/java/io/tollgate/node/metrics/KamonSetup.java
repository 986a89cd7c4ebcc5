package io.tollgate.node.metrics;

import com.typesafe.config.Config;
import kamon.Kamon;

/**
 * Starts Kamon once per JVM. {@code Main} calls {@link #initWithAgent()} before any Pekko class loads so
 * Kamon's instrumentation can attach; nodes started in tests only get the metric registry and the
 * Prometheus reporter.
 */
public final class KamonSetup {
  private static boolean started;

  private KamonSetup() {}

  public static synchronized void initWithAgent() {
    if (!started) {
      Kamon.init();
      started = true;
    }
  }

  public static synchronized void ensureStarted(Config config) {
    if (!started) {
      Kamon.initWithoutAttaching(config);
      started = true;
    }
  }
}
