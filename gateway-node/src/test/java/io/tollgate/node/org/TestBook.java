package io.tollgate.node.org;

import io.tollgate.protocol.org.ApiKey;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.OrgEvent;
import io.tollgate.protocol.org.OrgProfile;
import java.util.List;

/** Builds an org's book for tests through the same events the journal folds. */
final class TestBook {
  private OrgBook book;
  private long at = 1_000;

  private TestBook(OrgBook book) {
    this.book = book;
  }

  static TestBook org(String orgId, Limits limits) {
    return new TestBook(OrgBook.EMPTY.apply(new OrgEvent.OrgCreated(new OrgProfile(orgId, orgId, 0), limits)));
  }

  /** A key issued after every key before it; {@code models} is its allow-list, empty for any model. */
  TestBook key(String keyId, String secretHash, String... models) {
    book = book.apply(new OrgEvent.KeyIssued(new ApiKey(keyId, keyId, secretHash, List.of(models), at++, null)));
    return this;
  }

  TestBook revoked(String keyId) {
    book = book.apply(new OrgEvent.KeyRevoked(keyId, at++));
    return this;
  }

  OrgBook book() {
    return book;
  }
}
