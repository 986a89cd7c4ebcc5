package io.tollgate.node.org;

import io.tollgate.node.org.LimitCheck.Subject;
import io.tollgate.node.org.ScopeCounters.Counted;
import io.tollgate.protocol.org.Attribution;
import io.tollgate.protocol.org.DenialReason;
import io.tollgate.protocol.org.Limits;
import io.tollgate.protocol.org.OrgBook;
import io.tollgate.protocol.org.RequestScopes;
import io.tollgate.protocol.org.Scope;
import io.tollgate.protocol.org.ScopeKey;
import io.tollgate.protocol.org.UsageRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The scope values a request counts in, as the limit check sees them: each with its limits, its tally and the
 * model patterns the request matches; or why the request cannot be counted (a new value past the org's room
 * when it has limits of its own, an unpriced model against a budget). No actor in it.
 */
final class ScopeSubjects {
  private ScopeSubjects() {}

  /** Why the request is refused, and the scope that refused it. */
  record Refusal(DenialReason reason, String message, long retryAfterSeconds, String scope) {}

  /** The subjects and what the request counts in each; or a refusal. */
  record Result(List<Subject> subjects, List<Counted> counted, Refusal refusal) {}

  /**
   * @param unpricedAgainstBudgets the model has no price and the org refuses such models where a budget applies
   */
  static Result of(String model, boolean unpricedAgainstBudgets, List<ScopeKey> scopes, OrgBook book, Limits orgLimits,
      ScopeCounters counters) {
    List<Subject> subjects = new ArrayList<>(scopes.size());
    List<Counted> counted = new ArrayList<>(scopes.size());
    for (ScopeKey scope : scopes) {
      String id = scope.id();
      Limits limits = scope.scope() == Scope.ORG ? orgLimits : book.limitsOf(scope);
      List<String> patterns = OrgBook.patterns(limits, model);
      if (!counters.tracks(id) && !counters.hasRoom() && scope.scope() != Scope.ORG) {
        if (limits != null && !limits.unlimited()) {
          return refused(new Refusal(DenialReason.TOO_MANY_SCOPE_VALUES, scope.describe() + ": this organization"
              + " already tracks as many scope values as it may, so the limits of a new one cannot be kept.", 60, id));
        }
        continue; // served, but not counted apart: no limit of its own to keep
      }
      subjects.add(new Subject(scope, limits, counters.of(id), patterns));
      counted.add(new Counted(id, patterns));
    }
    if (unpricedAgainstBudgets) {
      for (Subject s : subjects) {
        if (s.limits() != null && s.limits().hasBudget()) {
          String who = s.scope().scope() == Scope.ORG ? "this organization's" : s.scope().describe() + "'s";
          return refused(new Refusal(DenialReason.UNPRICED_MODEL, "The model '" + model + "' has no price in this"
              + " gateway, so its cost cannot be held against " + who + " budget. Give it a price"
              + " (PUT /admin/orgs/{org}/pricing/{model}) or let the org serve unpriced models.", 0, s.scope().id()));
        }
      }
    }
    return new Result(subjects, counted, null);
  }

  /** Where a request counts when no hold says: in every scope it names that is tracked, or has room. */
  static List<Counted> unheld(String orgId, UsageRecord record, OrgBook book, ScopeCounters counters) {
    String keyId = record.keyId();
    Attribution bound = RequestScopes.bound(keyId == null ? null : book.keys().get(keyId), record.attribution());
    List<Counted> counted = new ArrayList<>();
    for (ScopeKey scope : RequestScopes.of(orgId, keyId, bound)) {
      if (counters.tracks(scope.id()) || counters.hasRoom() || scope.scope() == Scope.ORG) {
        counted.add(new Counted(scope.id(), OrgBook.patterns(book.limitsOf(scope), record.model())));
      }
    }
    return counted;
  }

  private static Result refused(Refusal refusal) {
    return new Result(List.of(), List.of(), refusal);
  }
}
