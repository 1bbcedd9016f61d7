/**
 * Short tones made with the Web Audio API (no audio files to ship or to fetch). Browsers start
 * audio only after a user gesture: `unlockAudio()` is called from a click where needed.
 */
let context: AudioContext | undefined;

function audio(): AudioContext | undefined {
  if (typeof AudioContext === 'undefined') return undefined;
  context ??= new AudioContext();
  return context;
}

export function audioBlocked(): boolean {
  return audio()?.state === 'suspended';
}

export async function unlockAudio(): Promise<void> {
  await audio()?.resume();
}

const TUNES = {
  /** Hall call: the classic two-tone "ding-dong". */
  call: [
    { freq: 880, at: 0, length: 0.6 },
    { freq: 659, at: 0.55, length: 0.9 },
  ],
  /** Supervisor alert: three short beeps. */
  alert: [
    { freq: 988, at: 0, length: 0.15 },
    { freq: 988, at: 0.25, length: 0.15 },
    { freq: 988, at: 0.5, length: 0.15 },
  ],
};

/** Plays the tune and resolves when it has finished. */
export function playTune(name: keyof typeof TUNES): Promise<void> {
  const ctx = audio();
  if (!ctx || ctx.state !== 'running') return Promise.resolve();
  const start = ctx.currentTime + 0.05;
  let end = start;
  for (const note of TUNES[name]) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = note.freq;
    gain.gain.setValueAtTime(0.0001, start + note.at);
    gain.gain.exponentialRampToValueAtTime(0.4, start + note.at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + note.at + note.length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + note.at);
    osc.stop(start + note.at + note.length);
    end = Math.max(end, start + note.at + note.length);
  }
  return new Promise((resolve) => window.setTimeout(resolve, (end - ctx.currentTime) * 1000));
}
