import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Clock } from './types';

const COLOR: Record<Clock['state'], string> = { running: 'blue.9', paused: 'gray.7', met: 'teal.9', breached: 'red.9' };

/** "1 h 05", "35 min": business time, whole minutes. */
export function duration(minutes: number): string {
  const m = Math.abs(Math.round(minutes));
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}` : `${m} min`;
}

/** One SLA clock in words (time left, late by, paused, met): the colour only repeats what the text says. */
export function ClockBadge({ clock }: { clock: Clock }) {
  const { t } = useTranslation();
  const kind = t(`complaints.clock.${clock.kind}`);
  let text: string;
  if (clock.state === 'met') text = t('complaints.clockState.met');
  else if (clock.state === 'paused') text = t('complaints.clockState.paused');
  else if (clock.minutesLeft !== null && clock.minutesLeft < 0) text = t('complaints.clockState.lateBy', { time: duration(clock.minutesLeft) });
  else if (clock.state === 'breached') text = t('complaints.clockState.breached');
  else text = t('complaints.clockState.left', { time: duration(clock.minutesLeft ?? 0) });
  return (
    <Badge color={COLOR[clock.state]} variant={clock.state === 'breached' ? 'filled' : 'light'} tt="none">
      {kind} : {text}
    </Badge>
  );
}
