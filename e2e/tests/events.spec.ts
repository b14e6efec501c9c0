// The event list (the log as text, one row per event) and the capture download: the learner
// sends budi a mail, filters the list to DNS and by layer, picks rows with the mouse and the keyboard, and
// saves the capture, which Wireshark's tshark reads with correct checksums and no malformed
// packet.
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, test } from './fixtures';

/** The fastest speed of the playback bar (index into its list of speeds). */
const FASTEST = '5';

/** Sends ani's mail to budi (the compose panel's default) at the fastest speed, and waits
 * until the MX lookup has shown up in the list. */
async function sendMail(page: Page) {
  await page.getByTestId('speed').selectOption(FASTEST);
  await page.getByTestId('send').click();
  await expect(page.getByTestId('event-list').locator('[data-protocol="DNS"]').first()).toBeAttached({
    timeout: 30_000,
  });
}

/** Pauses the clock, so the list holds still. */
async function pause(page: Page) {
  const play = page.getByTestId('play');
  if ((await play.getAttribute('aria-pressed')) === 'true') await play.click();
  await expect(play).toHaveAttribute('aria-pressed', 'false');
}

function rowProtocols(page: Page): Promise<string[]> {
  return page
    .getByTestId('event-list')
    .getByRole('option')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-protocol') ?? ''));
}

test('filtering the list to DNS shows only DNS rows', async ({ kurir, page }) => {
  test.setTimeout(90_000);
  await kurir.open();
  await sendMail(page);
  await pause(page);
  const dns = page.getByTestId('event-filter-dns');
  await dns.click();
  await expect(dns).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('event-filter-all')).toHaveAttribute('aria-pressed', 'false');
  const shown = await rowProtocols(page);
  expect(shown.length).toBeGreaterThan(0);
  expect(new Set(shown)).toEqual(new Set(['DNS']));
  await page.getByTestId('event-filter-all').click();
  await expect(dns).toHaveAttribute('aria-pressed', 'false');
  expect(new Set(await rowProtocols(page)).size).toBeGreaterThan(1);
});

test('filtering by layer shows only that layer, and with a protocol only rows of both', async ({ kurir, page }) => {
  test.setTimeout(90_000);
  await kurir.open();
  await sendMail(page);
  await pause(page);
  const rows = page.getByTestId('event-list').getByRole('option');
  const layers = () => rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-layer')));
  const transport = page.getByTestId('event-layer-4');
  await transport.click();
  await expect(transport).toHaveAttribute('aria-pressed', 'true');
  expect((await layers()).length).toBeGreaterThan(0);
  expect(new Set(await layers())).toEqual(new Set(['4']));
  // Data link and SMTP together: the frames that carried the submission's SMTP lines.
  await transport.click();
  await page.getByTestId('event-layer-2').click();
  await page.getByTestId('event-filter-smtp').click();
  expect((await layers()).length).toBeGreaterThan(0);
  expect(new Set(await layers())).toEqual(new Set(['2']));
  expect(new Set(await rowProtocols(page))).toEqual(new Set(['SMTP']));
  await page.getByTestId('event-filter-all').click();
  await expect(page.getByTestId('event-layer-2')).toHaveAttribute('aria-pressed', 'false');
  expect(new Set(await layers()).size).toBeGreaterThan(1);
});

test('selecting a row marks it, by click and by keyboard', async ({ kurir, page }) => {
  test.setTimeout(90_000);
  await kurir.open();
  await sendMail(page);
  await pause(page);
  const list = page.getByTestId('event-list');
  const rows = list.getByRole('option');
  const third = rows.nth(2);
  await third.click();
  await expect(third).toHaveAttribute('aria-selected', 'true');
  await expect(list.locator('[aria-selected="true"]')).toHaveCount(1);
  const picked = Number(await third.getAttribute('data-index'));
  await expect(list).toHaveAttribute('aria-activedescendant', `kr-event-${picked}`);

  await list.focus();
  await page.keyboard.press('ArrowDown');
  const next = list.locator('[aria-selected="true"]');
  await expect(next).toHaveCount(1);
  await expect(next).toHaveAttribute('data-index', String(picked + 1));
  await page.keyboard.press('Home');
  await expect(list.locator('[aria-selected="true"]')).toHaveAttribute('data-index', '0');
  await expect(page.getByTestId('event-follow')).toHaveAttribute('aria-pressed', 'false');
});

test('the capture download is a pcap that tshark reads without errors', async ({ kurir, page }, testInfo) => {
  test.setTimeout(120_000);
  await kurir.open();
  await sendMail(page);
  // Let the mail reach budi, so the capture holds SMTP as well as DNS.
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false', { timeout: 90_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('capture-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^kurir-\d+\.pcap$/);
  const file = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const checks = ['-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
  const packets = execFileSync('tshark', ['-r', file, ...checks], { encoding: 'utf8' });
  expect(packets.trim().split('\n').length).toBeGreaterThan(10);
  expect(packets).toContain('SMTP');
  expect(packets).toContain('DNS');
  const verbose = execFileSync('tshark', ['-r', file, ...checks, '-V'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const bad of ['Malformed', 'Bad checksum', '[Checksum Status: Bad]', 'Expert Info (Error']) {
    expect(verbose, `tshark found ${bad}`).not.toContain(bad);
  }
});

test('the list with rows has no serious accessibility violations, in both languages', async ({ kurir, page }) => {
  test.setTimeout(90_000);
  await kurir.open();
  await sendMail(page);
  await pause(page);
  await page.getByTestId('event-list').getByRole('option').nth(1).click();
  for (const lang of ['en', 'id'] as const) {
    await kurir.switchLanguage(lang);
    await expectNoSeriousViolations(page, '[data-testid="events"]');
  }
  await page.getByTestId('events').screenshot({ path: 'screenshots/events.png' });
});
