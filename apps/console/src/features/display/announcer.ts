import { playTune } from '../../shared/sound';

export interface Announcement {
  text: string;
  /** BCP 47 language of the spoken text, e.g. fr-FR. */
  lang: string;
}

/** Longest a spoken call may take before the next one starts anyway (voices can fail silently). */
const SPEECH_TIMEOUT_MS = 10_000;

function speak({ text, lang }: Announcement): Promise<void> {
  if (typeof speechSynthesis === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().startsWith(lang.slice(0, 2).toLowerCase()));
    if (voice) utterance.voice = voice;
    const timer = window.setTimeout(done, SPEECH_TIMEOUT_MS);
    function done() {
      window.clearTimeout(timer);
      resolve();
    }
    utterance.onend = done;
    utterance.onerror = done;
    speechSynthesis.speak(utterance);
  });
}

/**
 * Plays announcements one after the other (chime, then the spoken call), so a new call waits for
 * the one being spoken instead of cutting it off.
 */
export class Announcer {
  private readonly queue: Announcement[] = [];
  private running = false;

  announce(announcement: Announcement): void {
    this.queue.push(announcement);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        await playTune('call');
        await speak(next);
      }
    } finally {
      this.running = false;
    }
  }
}
