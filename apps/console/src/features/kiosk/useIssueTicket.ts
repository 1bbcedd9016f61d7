import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { api, idempotencyKey } from '../../api/client';
import type { IssuedTicket, VisitorNeed } from '../../api/types';

interface Tap {
  queueId: string;
  needs: VisitorNeed[];
}

/**
 * Issues a kiosk ticket. Each tap gets its own Idempotency-Key and a retry of that tap reuses it,
 * so a lost response never prints a second ticket.
 */
export function useIssueTicket(apiKey: string) {
  const current = useRef<{ tap: Tap; key: string } | null>(null);
  const mutation = useMutation({
    mutationFn: ({ tap, key }: { tap: Tap; key: string }) =>
      api<IssuedTicket>('/tickets', {
        method: 'POST',
        apiKey,
        headers: { 'idempotency-key': key },
        body: { queueId: tap.queueId, channel: 'kiosk', needs: tap.needs },
      }),
  });
  return {
    ...mutation,
    tap(tap: Tap) {
      current.current = { tap, key: idempotencyKey() };
      mutation.mutate(current.current);
    },
    retry() {
      if (current.current) mutation.mutate(current.current);
    },
  };
}
