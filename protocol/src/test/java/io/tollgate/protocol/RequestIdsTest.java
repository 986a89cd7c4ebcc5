package io.tollgate.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
  @Test
  void anIdCarriesTheTimeItWasMadeAndIsUnique() {
    long now = Instant.parse("2026-12-07T04:00:00.123Z").toEpochMilli();
    String id = RequestIds.next(now);
    assertTrue(id.matches("req_[0-9a-f]{24}"), id);
    assertEquals(Optional.of(now), RequestIds.receivedAt(id));
    assertNotEquals(id, RequestIds.next(now));
  }

  @Test
  void anIdOfAnotherShapeHasNoTime() {
    assertEquals(Optional.empty(), RequestIds.receivedAt("req_8bdc01052bf487b5ffffffff"));
    assertEquals(Optional.empty(), RequestIds.receivedAt("client-chosen-id"));
    assertEquals(Optional.empty(), RequestIds.receivedAt("req_zzzzzzzzzzzzzzzzzzzzzzzz"));
    assertEquals(Optional.empty(), RequestIds.receivedAt(null));
  }
}
