// A 100,000-recipient campaign (1,000 messages × 100 recipients, every frame as bytes, every
// event logged) simulated inside the page. The time is reported (KURIR_METRIC), never asserted;
// the memory the tab needs for it is asserted: the module's linear memory plus the JS heap
// stay under 200 MB.
import { expect, test } from './fixtures';

const MB = 1024 * 1024;

test('a 100,000-recipient campaign runs in the page within 200 MB', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.waitForFunction(() => (window as any).wasmBindings?.kurir_campaign);
  const [ms, report, jsHeap] = await page.evaluate(() => {
    const started = performance.now();
    const line: string = (window as any).wasmBindings.kurir_campaign(1000, 100);
    return [performance.now() - started, line, (performance as any).memory?.usedJSHeapSize ?? 0];
  });
  const fields = Object.fromEntries(
    (report as string).split(' ').map((pair) => pair.split('=') as [string, string]),
  );
  expect(fields.error).toBeUndefined();
  expect(Number(fields.recipients)).toBe(100_000);
  expect(Number(fields.delivered)).toBe(1000);
  // Every recipient is a mailbox of its own: mx1 files 100,000 copies.
  expect(Number(fields.stored)).toBe(100_000);
  const linear = Number(fields.linear_memory_bytes);
  const total = linear + (jsHeap as number);
  console.log(
    `KURIR_METRIC campaign_100k_recipients_ms=${(ms as number).toFixed(0)} ` +
      `linear_memory_mb=${(linear / MB).toFixed(1)} js_heap_mb=${((jsHeap as number) / MB).toFixed(1)} ` +
      `events=${fields.events} frames=${fields.frames}`,
  );
  expect(total).toBeLessThan(200 * MB);
});
