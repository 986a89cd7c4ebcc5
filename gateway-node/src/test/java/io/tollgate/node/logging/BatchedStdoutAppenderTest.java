package io.tollgate.node.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.tollgate.node.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchedStdoutAppenderTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("tollgate.access");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream() {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      super.write(b, off, len);
    }
  };

  private BatchedStdoutAppender appender(long flushMillis, int maxBufferBytes) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg %kvp{NONE}%n");
    encoder.start();
    BatchedStdoutAppender appender = new BatchedStdoutAppender();
    appender.setContext(context);
    appender.setName("test");
    appender.setEncoder(encoder);
    appender.setFlushMillis(flushMillis);
    appender.setMaxBufferBytes(maxBufferBytes);
    appender.setOutput(out);
    appender.start();
    return appender;
  }

  private ILoggingEvent event(int i) {
    LoggingEvent event = new LoggingEvent("test", logger, Level.INFO, "request", null, null);
    event.addKeyValuePair(new org.slf4j.event.KeyValuePair("n", i));
    return event;
  }

  private List<String> lines() {
    synchronized (out) {
      String text = out.toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
  }

  @Test
  void linesFromManyThreadsAllArriveWholeWithinTheFlushInterval() {
    BatchedStdoutAppender appender = appender(20, 8 * 1024 * 1024);
    IntStream.range(0, 20_000).parallel().forEach(i -> appender.doAppend(event(i)));
    Eventually.await(Duration.ofSeconds(5), () -> assertEquals(20_000, lines().size()));
    assertTrue(lines().stream().allMatch(l -> l.matches("request n=\\d+")), "no line torn or interleaved");
    assertEquals(20_000, lines().stream().distinct().count());
    appender.stop();
  }

  @Test
  void whatIsBufferedIsWrittenOnStop() {
    BatchedStdoutAppender appender = appender(60_000, 8 * 1024 * 1024);
    appender.doAppend(event(1));
    appender.doAppend(event(2));
    assertEquals(List.of(), lines(), "not yet: the writer flushes once a minute here");
    appender.stop();
    assertEquals(List.of("request n=1", "request n=2"), lines());
  }

  @Test
  void whenOutputCannotKeepUpLinesAreDroppedAndCountedNotBuffered() {
    BatchedStdoutAppender appender = appender(60_000, 60);
    for (int i = 0; i < 10; i++) {
      appender.doAppend(event(i)); // each line is 12 bytes: five fit in 60
    }
    appender.stop();
    List<String> lines = lines();
    assertEquals(6, lines.size(), String.join("\n", lines));
    assertEquals("request n=4", lines.get(4));
    assertEquals("log lines dropped: 5 (standard output could not keep up)", lines.get(5));
  }
}
