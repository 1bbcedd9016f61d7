/**
 * "What do I do next": one list for an agent juggling the desk, the phone and the mailbox.
 *
 * Each candidate has an optional deadline (`dueAt`), the instant it started waiting (`since`) and
 * the two Eisenhower flags. The order is lexicographic:
 *  1. tier — overdue (deadline passed) · due soon (deadline within DUE_SOON_MS) · urgent and
 *     important · urgent · important · the rest;
 *  2. deadline, earliest first (none last);
 *  3. waiting time, longest first;
 *  4. kind (ticket, callback, email, task), then id, so the order is total and stable.
 * The callers set the flags by kind: a waiting visitor is urgent and important (a person stands in
 * the hall); a callback is urgent (someone waits for the call) with its "call before" as deadline;
 * an e-mail is important, due EMAIL_REPLY_WITHIN_MS after it arrived; a task carries its own flags.
 */
export const NEXT_UP_KINDS = ['ticket', 'callback', 'email', 'task'] as const;
export type NextUpKind = (typeof NEXT_UP_KINDS)[number];

export const NEXT_UP_TIERS = ['overdue', 'due_soon', 'urgent_important', 'urgent', 'important', 'other'] as const;
export type NextUpTier = (typeof NEXT_UP_TIERS)[number];

/** A deadline closer than this counts as "due soon". */
export const DUE_SOON_MS = 60 * 60_000;
/** Service commitment for e-mails: an answer within a working day. */
export const EMAIL_REPLY_WITHIN_MS = 24 * 3600_000;

export interface NextUpCandidate {
  kind: NextUpKind;
  id: string;
  title: string;
  dueAt: Date | null;
  since: Date;
  urgent: boolean;
  important: boolean;
}

export interface NextUpItem extends NextUpCandidate {
  tier: NextUpTier;
}

export function tierOf(item: NextUpCandidate, now: Date): NextUpTier {
  if (item.dueAt && item.dueAt.getTime() <= now.getTime()) return 'overdue';
  if (item.dueAt && item.dueAt.getTime() - now.getTime() <= DUE_SOON_MS) return 'due_soon';
  if (item.urgent && item.important) return 'urgent_important';
  if (item.urgent) return 'urgent';
  if (item.important) return 'important';
  return 'other';
}

export function orderNextUp(candidates: readonly NextUpCandidate[], now: Date): NextUpItem[] {
  const rank = (tier: NextUpTier) => NEXT_UP_TIERS.indexOf(tier);
  return candidates
    .map((c) => ({ ...c, tier: tierOf(c, now) }))
    .sort(
      (a, b) =>
        rank(a.tier) - rank(b.tier) ||
        (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) ||
        a.since.getTime() - b.since.getTime() ||
        NEXT_UP_KINDS.indexOf(a.kind) - NEXT_UP_KINDS.indexOf(b.kind) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}
