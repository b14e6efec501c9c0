// The mass mailing panel: a 100,000-recipient campaign (1,000 messages × 100 recipients, every
// frame as bytes, every event logged) simulated in the learner's own world inside the page.
// The time is reported (KURIR_METRIC), never asserted; the memory the tab needs for it is
// asserted: the module's linear memory plus the JS heap stay under 200 MB. Afterwards the
// learner can still pick any of its frames in the event list and read it in the inspector.
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, test } from './fixtures';

const MB = 1024 * 1024;

function figure(page: Page, key: string) {
  return page.locator(`[data-testid="campaign-figure"][data-key="${key}"] dd`);
}

/** "138.2 MB" or "1,722 ms" as a number. */
async function amount(page: Page, key: string): Promise<number> {
  const text = (await figure(page, key).innerText()).replace(/,/g, '');
  return Number.parseFloat(text);
}

test('a 100,000-recipient mass mailing runs in the page within 200 MB, and any of its frames can be inspected', async ({
  kurir,
  page,
}) => {
  test.setTimeout(120_000);
  await kurir.open();
  const panel = page.getByTestId('campaign');
  // 1,000 messages of 100 recipients: the panel's first choice.
  await expect(panel.getByTestId('campaign-messages')).toHaveValue('1000');
  await expect(panel.getByTestId('campaign-recipients')).toHaveValue('100');
  const started = Date.now();
  await panel.getByTestId('campaign-run').click();
  await expect(figure(page, 'delivered')).toHaveText('1,000 of 1,000', { timeout: 90_000 });
  const wall = Date.now() - started;
  // Every recipient is a mailbox of its own: mx1 files 100,000 copies.
  await expect(figure(page, 'stored')).toHaveText('100,000 for 100,000 recipients');
  const jsHeap = await page.evaluate(() => (performance as any).memory?.usedJSHeapSize ?? 0);
  const linearMb = await amount(page, 'memory');
  console.log(
    `KURIR_METRIC campaign_100k_recipients_ms=${await amount(page, 'tab_time')} click_to_report_ms=${wall} ` +
      `linear_memory_mb=${linearMb} js_heap_mb=${(jsHeap / MB).toFixed(1)} ` +
      `events=${(await figure(page, 'events').innerText()).replace(/,/g, '')}`,
  );
  expect(linearMb * MB + jsHeap).toBeLessThan(200 * MB);
  await expectNoSeriousViolations(page, '[data-testid="campaign"]');

  // The list follows the newest events, the campaign's last. Filtered to frames (data link)
  // carrying SMTP, its first row is the campaign's first greeting (the learner sent nothing
  // before), and the inspector opens that frame.
  const list = page.getByTestId('event-list');
  await page.getByTestId('event-filter-smtp').click();
  await page.getByTestId('event-layer-2').click();
  await list.focus();
  // The first key picks a row in view; Home then goes to the first.
  await page.keyboard.press('ArrowUp');
  const picked = list.locator('[aria-selected="true"]');
  await expect(picked).toHaveCount(1);
  await page.keyboard.press('Home');
  await expect(picked).toHaveAttribute('data-protocol', 'SMTP');
  const first = Number(await picked.getAttribute('data-index'));
  const body = page.getByTestId('inspector-body');
  await expect(body.getByTestId('layer-application')).toHaveCount(1);
  await expect(body).toContainText('220 mx1.beta.example');
  // And the very last one, 700,000 events on.
  await page.keyboard.press('End');
  await expect(picked).toHaveCount(1);
  await expect(body).toContainText('221 2.0.0 mx1.beta.example');
  const last = Number(await picked.getAttribute('data-index'));
  expect(last - first).toBeGreaterThan(700_000);
  await expect(body.getByTestId('layer-application')).toHaveCount(1);
  // The report follows the language, numbers written the Indonesian way.
  await page.getByTestId('lang-id').click();
  await expect(figure(page, 'delivered')).toHaveText('1.000 dari 1.000');
  await expect(figure(page, 'stored')).toHaveText('100.000 untuk 100.000 penerima');
});

test('messages sharing a connection take fewer frames for the same mail', async ({ kurir, page }) => {
  test.setTimeout(60_000);
  await kurir.open();
  const panel = page.getByTestId('campaign');
  await panel.getByTestId('campaign-messages').selectOption('100');
  await panel.getByTestId('campaign-recipients').selectOption('1');
  const frames = async () => Number((await figure(page, 'frames').innerText()).split(' ')[0].replace(/,/g, ''));

  await panel.getByTestId('campaign-run').click();
  await expect(figure(page, 'connections')).toHaveText('100', { timeout: 30_000 });
  await expect(figure(page, 'delivered')).toHaveText('100 of 100');
  const alone = await frames();

  await panel.getByTestId('campaign-per-connection').selectOption('100');
  await panel.getByTestId('campaign-run').click();
  await expect(figure(page, 'connections')).toHaveText('1', { timeout: 30_000 });
  await expect(figure(page, 'delivered')).toHaveText('100 of 100');
  // The second run's own frames: one handshake and teardown instead of a hundred.
  expect(await frames()).toBeLessThan(alone / 2);
});
