// Smoothness while mail travels: during a cross-domain run (ani → budi) played at 1× and at
// 8×, count animation frames per second (requestAnimationFrame) and the longest task
// (PerformanceObserver 'longtask'). Reported as KURIR_METRIC lines, never asserted: timings
// depend on the machine. The run itself must move (frames counted, events logged).
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

async function measure(page: Page, ms: number) {
  return page.evaluate(async (ms) => {
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    let frames = 0;
    const started = performance.now();
    await new Promise<void>((done) => {
      const tick = () => {
        frames++;
        if (performance.now() - started < ms) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    observer.disconnect();
    const seconds = (performance.now() - started) / 1000;
    return { fps: frames / seconds, longest };
  }, ms);
}

for (const speed of ['1×', '8×']) {
  test(`frames per second and longest task while playing at ${speed}`, async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('speed').selectOption({ label: speed });
    await page.getByTestId('compose-to').fill('budi@beta.example');
    await page.getByTestId('send').click();
    const { fps, longest } = await measure(page, 4000);
    const position = await page.getByTestId('clock').textContent();
    console.log(
      `KURIR_METRIC playing_${speed === '1×' ? '1x' : '8x'} fps=${fps.toFixed(1)} longest_task_ms=${longest.toFixed(0)} at="${position}"`,
    );
    expect(fps).toBeGreaterThan(0);
    expect(Number(position!.split('·')[1].split('/')[0])).toBeGreaterThan(0);
  });
}
