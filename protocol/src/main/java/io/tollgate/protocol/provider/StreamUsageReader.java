package io.tollgate.protocol.provider;

import io.tollgate.protocol.usage.ReportedUsage;
import io.tollgate.protocol.usage.SseEvent;
import java.util.Optional;

/** Follows one streamed response, event by event, and keeps the usage it reports. One instance per stream. */
public interface StreamUsageReader {
  byte[] DROP = new byte[0];

  /**
   * Observes one event and returns the bytes the client should receive for it: {@code event.raw()} unless
   * this reader hides usage the gateway asked for on the client's behalf ({@link #rewrites()}).
   */
  byte[] onEvent(SseEvent event);

  /** Whether {@link #onEvent} may return anything other than the event's raw bytes. */
  boolean rewrites();

  /** The usage the stream reported; the last report wins. Empty if the stream carried none (so far). */
  Optional<ReportedUsage> usage();

  /** The model named in the stream, or null if none was seen. */
  String model();

  /** The text streamed to the client so far, for estimating tokens when the stream ends without usage. */
  String streamedText();

  /**
   * The text one event adds to {@link #streamedText()}, for following a stream's cost as it goes without
   * reading the whole stream again each time; empty for an event that adds none.
   */
  String textOf(SseEvent event);

  /**
   * The error the provider sent inside the stream after answering 200 (its {@code type} or {@code code}),
   * if any: such a stream did not succeed, whatever its status.
   */
  default java.util.Optional<String> streamError() {
    return java.util.Optional.empty();
  }

  /**
   * Usage the stream reported before its final report, e.g. Anthropic's input tokens in
   * {@code message_start}: for estimating a stream that ended early better than from its text alone.
   */
  default java.util.Optional<io.tollgate.protocol.usage.TokenUsage> partialUsage() {
    return java.util.Optional.empty();
  }
}
