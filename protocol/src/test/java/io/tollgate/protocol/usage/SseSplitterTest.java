package io.tollgate.protocol.usage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tollgate.protocol.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseSplitterTest {

  private static List<SseEvent> split(List<byte[]> pieces) {
    SseSplitter splitter = new SseSplitter();
    List<SseEvent> events = new ArrayList<>();
    for (byte[] piece : pieces) {
      splitter.feed(piece, events::add);
    }
    splitter.finish(events::add);
    return events;
  }

  private static List<SseEvent> split(String all) {
    return split(List.of(all.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void readsDataEventNamesAndComments() {
    List<SseEvent> events = split(": ping\n\nevent: message_start\ndata: {\"a\":1}\n\ndata: [DONE]\n\n");
    assertEquals(3, events.size());
    assertNull(events.get(0).data());
    assertEquals("message_start", events.get(1).name());
    assertEquals("{\"a\":1}", events.get(1).dataAsString());
    assertEquals("[DONE]", events.get(2).dataAsString());
  }

  @Test
  void joinsMultiLineDataAndHandlesEveryLineEnding() {
    List<SseEvent> events = split("data: one\r\ndata: two\r\n\r\ndata:three\rdata: four\r\rdata: five\n\n");
    assertEquals(List.of("one\ntwo", "three\nfour", "five"), events.stream().map(SseEvent::dataAsString).toList());
  }

  @Test
  void rawBytesReassembleTheStreamExactly() {
    String all = ": OPENROUTER PROCESSING\r\n\r\nevent: x\r\ndata: {}\r\n\r\ndata: tail-without-blank-line";
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    split(all).forEach(e -> joined.writeBytes(e.raw()));
    assertEquals(all, joined.toString(StandardCharsets.UTF_8));
  }

  @Test
  void deliversATrailingEventThatNeverEnded() {
    List<SseEvent> events = split("data: {\"usage\":1}");
    assertEquals(1, events.size());
    assertEquals("{\"usage\":1}", events.get(0).dataAsString());
  }

  @Test
  void crAtTheEndOfAPieceWaitsForTheNextOne() {
    List<SseEvent> events = split(List.of("data: a\r".getBytes(StandardCharsets.UTF_8),
        "\n\r".getBytes(StandardCharsets.UTF_8), "\ndata: b\n\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("a", "b"), events.stream().map(SseEvent::dataAsString).toList());
  }

  @Test
  void anyChunkingOfARealStreamGivesTheSameEvents() {
    byte[] stream = Fixtures.bytes("openai-chat/chat_stream_tool_call_include_usage.sse");
    List<SseEvent> whole = split(List.of(stream));
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<SseEvent> pieces = split(Fixtures.randomPieces(stream, random, 1 + random.nextInt(64)));
      assertEquals(whole.size(), pieces.size());
      for (int i = 0; i < whole.size(); i++) {
        assertArrayEquals(whole.get(i).raw(), pieces.get(i).raw());
        assertArrayEquals(whole.get(i).data(), pieces.get(i).data());
      }
    }
  }
}
