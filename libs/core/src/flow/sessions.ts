import { EntityManager } from 'typeorm';

export type SessionState = 'available' | 'serving' | 'paused' | 'closed';

/** Moves a session to a new state and times it: the open state row is closed, a new one starts. */
export async function setSessionState(
  manager: EntityManager,
  sessionId: string,
  state: SessionState,
  pauseReason: string | null = null,
): Promise<void> {
  await manager.query(
    `WITH s AS (
       UPDATE agent_sessions SET state = $2, pause_reason = $3, state_since = now(),
              closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE NULL END
        WHERE id = $1 RETURNING id
     ), ended AS (
       UPDATE agent_session_states SET ended_at = now() WHERE session_id = $1 AND ended_at IS NULL RETURNING id
     )
     INSERT INTO agent_session_states (session_id, state, pause_reason, started_at, ended_at)
     SELECT $1, $2, $3, now(), CASE WHEN $2 = 'closed' THEN now() ELSE NULL END FROM s`,
    [sessionId, state, pauseReason],
  );
}
