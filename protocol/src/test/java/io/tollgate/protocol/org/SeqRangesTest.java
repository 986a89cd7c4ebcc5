package io.tollgate.protocol.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeqRangesTest {

  @Test
  void mergesAdjacentAndOverlappingNumbers() {
    SeqRanges r = SeqRanges.EMPTY.with(new long[] {3, 1, 2, 7, 7, 9});
    assertEquals(new SeqRanges(new long[] {1, 3, 7, 7, 9, 9}), r);
    r = r.with(new long[] {8});
    assertEquals(new SeqRanges(new long[] {1, 3, 7, 9}), r);
    r = r.with(new long[] {4, 5, 6});
    assertEquals(new SeqRanges(new long[] {1, 9}), r);
    assertTrue(r.contains(1) && r.contains(5) && r.contains(9));
    assertFalse(r.contains(0) || r.contains(10));
  }

  @Test
  void staysAsSmallAsItsGaps() {
    long[] batch = new long[100_000];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = i + 1;
    }
    SeqRanges r = SeqRanges.EMPTY.with(java.util.Arrays.stream(batch).filter(s -> s % 25_000 != 0).toArray());
    assertEquals(4, r.rangeCount(), "100,000 settled numbers with 4 gaps are 4 ranges");
  }

  @Test
  void behavesLikeASetOfNumbers() {
    Random random = new Random(11);
    for (int round = 0; round < 200; round++) {
      TreeSet<Long> model = new TreeSet<>();
      SeqRanges ranges = SeqRanges.EMPTY;
      for (int batch = 0; batch < 20; batch++) {
        long[] seqs = new long[random.nextInt(30)];
        for (int i = 0; i < seqs.length; i++) {
          seqs[i] = 1 + random.nextInt(200);
          model.add(seqs[i]);
        }
        ranges = ranges.with(seqs);
      }
      for (long seq = 0; seq <= 201; seq++) {
        assertEquals(model.contains(seq), ranges.contains(seq), "seq " + seq);
      }
      long[] b = ranges.bounds();
      for (int i = 2; i < b.length; i += 2) {
        assertTrue(b[i] > b[i - 1] + 1, "ranges are disjoint and not adjacent");
      }
    }
  }
}
