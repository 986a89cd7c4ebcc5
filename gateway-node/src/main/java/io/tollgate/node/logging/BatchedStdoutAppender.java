package io.tollgate.node.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to standard output in batches: the line is encoded on the caller's thread into a buffer,
 * and one writer thread empties the buffer every {@code flushMillis} (sooner when it fills), so a busy
 * node makes one write call per batch instead of one per line, and no thread is woken per line. That
 * per-line wake-up and write were most of what the access log cost per request.
 *
 * <p>Lines reach standard output within {@code flushMillis}. When output cannot keep up and the buffer
 * holds {@code maxBufferBytes}, new lines are dropped and counted (reported on the next line written)
 * rather than slowing requests down. Everything buffered is written on stop.
 */
public final class BatchedStdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private Encoder<ILoggingEvent> encoder;
  private long flushMillis = 50;
  private int maxBufferBytes = 8 * 1024 * 1024;
  private OutputStream out = new FileOutputStream(FileDescriptor.out);

  private final Object lock = new Object();
  private byte[] buffer = new byte[64 * 1024];
  private int length;
  private long dropped;
  private Thread writer;
  private volatile boolean running;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setFlushMillis(long flushMillis) {
    this.flushMillis = flushMillis;
  }

  public void setMaxBufferBytes(int maxBufferBytes) {
    this.maxBufferBytes = maxBufferBytes;
  }

  /** Where the lines go instead of standard output (tests). */
  void setOutput(OutputStream out) {
    this.out = out;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("No encoder set for the appender named [" + name + "].");
      return;
    }
    running = true;
    writer = new Thread(this::writeLoop, "log-writer-" + name);
    writer.setDaemon(true);
    writer.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    byte[] line = encoder.encode(event);
    boolean nearlyFull;
    synchronized (lock) {
      if (length + line.length > maxBufferBytes) {
        dropped++;
        return;
      }
      if (length + line.length > buffer.length) {
        byte[] bigger = new byte[Math.min(maxBufferBytes, Math.max(buffer.length * 2, length + line.length))];
        System.arraycopy(buffer, 0, bigger, 0, length);
        buffer = bigger;
      }
      System.arraycopy(line, 0, buffer, length, line.length);
      length += line.length;
      nearlyFull = length >= 48 * 1024;
    }
    if (nearlyFull) {
      LockSupport.unpark(writer);
    }
  }

  private void writeLoop() {
    byte[] spare = new byte[buffer.length];
    while (running) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushMillis));
      spare = writeBuffered(spare);
    }
  }

  /** Swaps the buffer for an empty one and writes what it held, outside the lock; returns the next spare. */
  private byte[] writeBuffered(byte[] spare) {
    byte[] full;
    int n;
    long lost;
    synchronized (lock) {
      if (length == 0 && dropped == 0) {
        return spare;
      }
      full = buffer;
      n = length;
      lost = dropped;
      buffer = spare.length >= 64 * 1024 ? spare : new byte[64 * 1024];
      length = 0;
      dropped = 0;
    }
    try {
      out.write(full, 0, n);
      if (lost > 0) {
        out.write(("log lines dropped: " + lost + " (standard output could not keep up)\n").getBytes());
      }
      out.flush();
    } catch (IOException e) {
      addError("Could not write log lines", e);
    }
    return full.length <= 1024 * 1024 ? full : new byte[64 * 1024]; // keep a burst's large buffer no longer
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writeBuffered(new byte[0]);
    super.stop();
  }
}
