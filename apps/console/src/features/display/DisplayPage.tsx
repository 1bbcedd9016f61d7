import type { LiveMessage } from '@guichet/live/events';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useLiveSite } from '../../live/useLiveSite';
import { useDeviceKey } from '../../shared/deviceKey';
import { DeviceSetup } from '../../shared/DeviceSetup';
import { splitTicketNumber } from '../../shared/format';
import { audioBlocked } from '../../shared/sound';
import { Announcer } from './announcer';
import { CallBoard } from './CallBoard';
import './display.css';

/** Announcements older than this (replayed after a long cut) are shown but not spoken. */
const ANNOUNCE_WITHIN_MS = 60_000;
const SPEECH_LANGS: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The hall display of a site (device key with scope `display`). */
export function DisplayPage() {
  const { siteId = '' } = useParams();
  const device = useDeviceKey('display', siteId);
  if (!device.key) return <DeviceSetup kind="display" onSave={device.save} />;
  return <Display siteId={siteId} apiKey={device.key} onNewKey={device.save} />;
}

function Display({ siteId, apiKey, onNewKey }: { siteId: string; apiKey: string; onNewKey(key: string): void }) {
  const { t, i18n } = useTranslation();
  const announcer = useMemo(() => new Announcer(), []);
  const [spoken, setSpoken] = useState('');
  const [soundBlocked, setSoundBlocked] = useState(audioBlocked);

  const onLive = useCallback(
    (name: string, message: LiveMessage) => {
      if (name !== 'ticket.called' && name !== 'ticket.recalled') return;
      const call = message as LiveMessage<'ticket.called'>;
      // Tickets carry no language yet: calls are spoken in the display's language.
      const lng = i18n.language;
      const text = t('display.speech', { ...splitTicketNumber(call.number), counter: call.counterName });
      setSpoken(text);
      if (Date.now() - new Date(call.at).getTime() < ANNOUNCE_WITHIN_MS) announcer.announce({ text, lang: SPEECH_LANGS[lng] ?? lng });
    },
    [announcer, i18n.language, t],
  );
  const live = useLiveSite(siteId, { kind: 'device', apiKey }, onLive);

  if (live.error instanceof ApiError && live.error.status === 401) {
    return <DeviceSetup kind="display" onSave={onNewKey} error={live.error} />;
  }
  return (
    <CallBoard
      calls={live.snapshot?.lastCalls ?? []}
      connected={live.connected}
      spoken={spoken}
      soundBlocked={soundBlocked}
      onSoundUnlocked={() => setSoundBlocked(false)}
    />
  );
}
