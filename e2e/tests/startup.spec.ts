// How long a learner waits: from navigation start to a terminal prompt that takes input.
// Reported (KURIR_METRIC line), never asserted: timings depend on the machine.
import { expect, test } from './fixtures';

test('time to an interactive terminal (median of 5 loads)', async ({ page }) => {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto('/', { waitUntil: 'commit' });
    const handle = await page.waitForFunction(
      () => {
        const input = document.querySelector<HTMLInputElement>('[data-testid=terminal-input]');
        return input && !input.disabled ? performance.now() : null;
      },
      undefined,
      { polling: 'raf' },
    );
    times.push((await handle.jsonValue()) as number);
  }
  times.sort((a, b) => a - b);
  console.log(`KURIR_METRIC time_to_interactive_ms median=${times[2].toFixed(0)} runs=${times.map((t) => t.toFixed(0)).join(',')}`);
  expect(times.every((t) => t > 0)).toBe(true);
});
