import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import type { Queue, VisitorNeed } from '../../api/types';
import { useLiveSite } from '../../live/useLiveSite';
import { useDeviceKey } from '../../shared/deviceKey';
import { DeviceSetup } from '../../shared/DeviceSetup';
import { PageLoader } from '../../shared/PageLoader';
import { KioskHome } from './KioskHome';
import { TicketReceipt } from './TicketReceipt';
import { useIssueTicket } from './useIssueTicket';
import './kiosk.css';

const ERROR_VISIBLE_MS = 20_000;

/** The ticket kiosk of a site (device key with scope `kiosk`). */
export function KioskPage() {
  const { siteId = '' } = useParams();
  const device = useDeviceKey('kiosk', siteId);
  if (!device.key) return <DeviceSetup kind="kiosk" onSave={device.save} />;
  return <Kiosk siteId={siteId} apiKey={device.key} onNewKey={device.save} />;
}

function Kiosk({ siteId, apiKey, onNewKey }: { siteId: string; apiKey: string; onNewKey(key: string): void }) {
  const { i18n } = useTranslation();
  const [homeLanguage] = useState(i18n.language);
  const [needs, setNeeds] = useState<VisitorNeed[]>([]);
  const queues = useQuery({
    queryKey: ['kiosk-queues', siteId, apiKey],
    queryFn: () => api<Queue[]>('/queues', { query: { siteId }, apiKey }),
    refetchInterval: 5 * 60_000,
  });
  const live = useLiveSite(siteId, { kind: 'device', apiKey });
  const issue = useIssueTicket(apiKey);
  // An error left on screen would greet the next visitor: clear it after a while.
  const { error: issueError, reset: resetIssue } = issue;
  useEffect(() => {
    if (!issueError) return;
    const id = window.setTimeout(resetIssue, ERROR_VISIBLE_MS);
    return () => window.clearTimeout(id);
  }, [issueError, resetIssue]);
  // The next visitor starts afresh, in the kiosk's own language. Stable, so the receipt's
  // return-to-home timer is not restarted by live updates.
  const reset = useCallback(() => {
    resetIssue();
    setNeeds([]);
    void i18n.changeLanguage(homeLanguage);
  }, [resetIssue, i18n, homeLanguage]);

  if (queues.error instanceof ApiError && queues.error.status === 401) {
    return <DeviceSetup kind="kiosk" onSave={onNewKey} error={queues.error} />;
  }
  if (!queues.data) return <PageLoader />;

  if (issue.data) return <TicketReceipt ticket={issue.data} queue={queues.data.find((q) => q.id === issue.data.queueId)} onDone={reset} />;

  return (
    <KioskHome
      queues={queues.data.filter((q) => q.active)}
      stats={live.snapshot?.queues ?? []}
      needs={needs}
      onNeedsChange={setNeeds}
      onChoose={(queueId) => issue.tap({ queueId, needs })}
      issuing={issue.isPending}
      error={issue.error}
      onRetry={issue.retry}
    />
  );
}
