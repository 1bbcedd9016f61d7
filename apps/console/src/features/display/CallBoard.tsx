import { useTranslation } from 'react-i18next';
import type { FlowCall } from '../../live/flow';
import { time } from '../../shared/format';
import { unlockAudio } from '../../shared/sound';
import { useNow } from '../../shared/useNow';

const HISTORY = 6;

interface Props {
  calls: FlowCall[];
  connected: boolean;
  /** Last announcement, also read by screen readers (live region). */
  spoken: string;
  soundBlocked: boolean;
  onSoundUnlocked(): void;
}

/** Wall screen: the current call in very large type, the previous calls beside it. */
export function CallBoard({ calls, connected, spoken, soundBlocked, onSoundUnlocked }: Props) {
  const { t, i18n } = useTranslation();
  const now = useNow(10_000);
  const [current, ...previous] = calls;

  return (
    <main className="display">
      <section className="display-current" aria-labelledby="display-current-title">
        <h1 id="display-current-title" className="display-label">
          {t('display.now')}
        </h1>
        {current ? (
          <div key={`${current.ticketId}:${current.recallCount}`} className="display-flash" data-testid="display-current">
            <div className="display-number">{current.number}</div>
            <div className="display-counter">{t('display.counter', { name: current.counterName })}</div>
          </div>
        ) : (
          <div className="display-waiting">{t('display.welcome')}</div>
        )}
      </section>
      <section className="display-history" aria-labelledby="display-history-title">
        <h2 id="display-history-title" className="display-label">
          {t('display.previous')}
        </h2>
        <ol data-testid="display-history">
          {previous.slice(0, HISTORY).map((call) => (
            <li key={call.ticketId}>
              <span className="display-history-number">{call.number}</span>
              <span className="display-history-counter">{call.counterName}</span>
            </li>
          ))}
        </ol>
      </section>
      <footer className="display-footer">
        <span>{time(new Date(now).toISOString(), i18n.language)}</span>
        {!connected && (
          <span className="display-offline" role="status">
            {t('display.reconnecting')}
          </span>
        )}
        {soundBlocked && (
          <button type="button" className="display-sound" onClick={() => void unlockAudio().then(onSoundUnlocked)}>
            {t('display.enableSound')}
          </button>
        )}
      </footer>
      <div className="visually-hidden" aria-live="assertive" role="status" data-testid="display-announcement">
        {spoken}
      </div>
    </main>
  );
}
