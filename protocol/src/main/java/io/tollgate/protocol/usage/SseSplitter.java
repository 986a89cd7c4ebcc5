package io.tollgate.protocol.usage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into server-sent events as the bytes arrive, whatever the network chunking: an event
 * may span many chunks and a chunk may hold many events. Lines end in LF, CRLF or CR (a CR at the end of a
 * chunk waits for the next one to see whether an LF follows). Not thread-safe: one instance per stream.
 */
public final class SseSplitter {
  private byte[] buffer = new byte[1024];
  private int length;
  /** Where the current (incomplete) event starts in {@link #buffer}. */
  private int eventStart;
  /** Where scanning for the next line ending resumes. */
  private int scan;
  private int lineStart;
  private String eventName;
  private ByteArrayOutputStream data;

  /** Feeds the next bytes of the stream; calls {@code sink} once per event completed by them. */
  public void feed(byte[] chunk, Consumer<SseEvent> sink) {
    feed(chunk, 0, chunk.length, sink);
  }

  public void feed(byte[] chunk, int offset, int count, Consumer<SseEvent> sink) {
    compact();
    append(chunk, offset, count);
    while (scan < length) {
      byte b = buffer[scan];
      if (b != '\n' && b != '\r') {
        scan++;
        continue;
      }
      int lineEnd = scan;
      int next;
      if (b == '\r') {
        if (scan + 1 >= length) {
          return; // can't tell CR from CRLF until more bytes arrive
        }
        next = buffer[scan + 1] == '\n' ? scan + 2 : scan + 1;
      } else {
        next = scan + 1;
      }
      onLine(lineStart, lineEnd, next, sink);
      scan = next;
      lineStart = next;
    }
  }

  /**
   * Ends the stream. An event left without its terminating blank line is delivered if it has data, as
   * browsers do not but as a gateway must: its bytes were sent to the client and its usage counts.
   */
  public void finish(Consumer<SseEvent> sink) {
    if (lineStart < length) {
      onLine(lineStart, length, length, sink);
      lineStart = length;
      scan = length;
    }
    if (eventStart < length || data != null) {
      dispatch(length, sink);
    }
  }

  /** Bytes received but not yet part of a complete event. */
  public int pendingBytes() {
    return length - eventStart;
  }

  private void onLine(int start, int end, int next, Consumer<SseEvent> sink) {
    if (start == end) {
      dispatch(next, sink);
      return;
    }
    if (buffer[start] == ':') {
      return; // comment line: part of the raw bytes, not of the event's data
    }
    int colon = indexOf(start, end, (byte) ':');
    int fieldEnd = colon < 0 ? end : colon;
    int valueStart = colon < 0 ? end : colon + 1;
    if (valueStart < end && buffer[valueStart] == ' ') {
      valueStart++;
    }
    if (matches(start, fieldEnd, DATA)) {
      if (data == null) {
        data = new ByteArrayOutputStream(end - valueStart);
      } else {
        data.write('\n');
      }
      data.write(buffer, valueStart, end - valueStart);
    } else if (matches(start, fieldEnd, EVENT)) {
      eventName = new String(buffer, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
  }

  private void dispatch(int rawEnd, Consumer<SseEvent> sink) {
    byte[] raw = Arrays.copyOfRange(buffer, eventStart, rawEnd);
    SseEvent event = new SseEvent(eventName, data == null ? null : data.toByteArray(), raw);
    eventName = null;
    data = null;
    eventStart = rawEnd;
    sink.accept(event);
  }

  private void compact() {
    if (eventStart == 0) {
      return;
    }
    int remaining = length - eventStart;
    System.arraycopy(buffer, eventStart, buffer, 0, remaining);
    scan -= eventStart;
    lineStart -= eventStart;
    length = remaining;
    eventStart = 0;
  }

  private void append(byte[] chunk, int offset, int count) {
    if (length + count > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
    }
    System.arraycopy(chunk, offset, buffer, length, count);
    length += count;
  }

  private int indexOf(int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buffer[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private boolean matches(int from, int to, byte[] field) {
    return to - from == field.length && Arrays.equals(buffer, from, to, field, 0, field.length);
  }

  private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT = "event".getBytes(StandardCharsets.US_ASCII);
}
