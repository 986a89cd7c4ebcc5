package io.tollgate.protocol.usage;

/** Byte-level searches over event data, to decide cheaply whether an event is worth parsing as JSON. */
public final class ByteSearch {
  private ByteSearch() {}

  public static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public static boolean contains(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0) >= 0;
  }

  /** True when {@code key} (a quoted JSON name) occurs followed, after a colon and blanks, by {@code next}. */
  public static boolean keyFollowedBy(byte[] data, byte[] key, byte next) {
    int at = indexOf(data, key, 0);
    while (at >= 0) {
      int i = at + key.length;
      while (i < data.length && (data[i] == ' ' || data[i] == ':' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t')) {
        i++;
      }
      if (i < data.length && data[i] == next) {
        return true;
      }
      at = indexOf(data, key, at + 1);
    }
    return false;
  }
}
