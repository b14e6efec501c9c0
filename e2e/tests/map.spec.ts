// The map and the control of time, as a learner uses them: send ani → budi from the mail
// client and watch the envelope hop from agent to agent; step through the packets and see a
// frame cross the routers with its TTL dropping; step back and scrub to any earlier moment and
// get exactly the same picture.
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

async function openAndSend(page: Page) {
  await page.goto('/');
  await page.getByTestId('compose-to').fill('budi@beta.example');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('compose-status')).toContainText('587');
}

const moving = (page: Page) => page.getByTestId('moving').innerHTML();
const position = async (page: Page) =>
  Number((await page.getByTestId('clock').textContent())!.split('·')[1].split('/')[0].trim());

test('in the mail view the envelope hops laptop-ani → mail.alpha.example → mx1.beta.example', async ({ page }) => {
  await openAndSend(page);
  await page.getByTestId('mail-view').click();
  await page.getByTestId('speed').selectOption({ label: '8×' });
  const announcement = page.getByTestId('hop-announcement');
  await expect(announcement).toContainText('laptop-ani → mail.alpha.example', { timeout: 30_000 });
  // While the second hop is under way the envelope moves right, towards beta.
  const xs: number[] = [];
  await expect
    .poll(
      async () => {
        const match = /kr-map__envelope" transform="translate\((\d+) /.exec(await moving(page));
        if (match) xs.push(Number(match[1]));
        return (await announcement.textContent()) ?? '';
      },
      { timeout: 60_000, intervals: [50] },
    )
    .toContain('mail.alpha.example → mx1.beta.example');
  expect(xs.length).toBeGreaterThan(1);
  for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
  await expect(page.locator('[data-host="mx1.beta.example"]')).toBeVisible();
});

test('stepping in the packet view shows a frame crossing the routers with its TTL dropping', async ({ page }) => {
  await openAndSend(page);
  await page.getByTestId('play').click(); // pause
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  const ttls = new Set<string>();
  for (let i = 0; i < 400 && ttls.size < 3; i++) {
    await page.getByTestId('step').click();
    for (const m of (await moving(page)).matchAll(/kr-map__frame--smtp".*?TTL (\d+)/g)) ttls.add(m[1]);
  }
  expect([...ttls]).toEqual(expect.arrayContaining(['64', '63', '62']));
});

test('stepping back and scrubbing return exactly the earlier picture', async ({ page }) => {
  await openAndSend(page);
  await page.getByTestId('play').click(); // pause
  for (let i = 0; i < 20; i++) await page.getByTestId('step').click();
  const earlier = await position(page);
  const earlierPicture = await moving(page);
  const earlierTime = (await page.getByTestId('clock').textContent())!.split('·')[0];
  for (let i = 0; i < 15; i++) await page.getByTestId('step').click();
  expect(await position(page)).toBeGreaterThan(earlier);

  await page.getByTestId('scrubber').fill(String(earlier));
  await expect(page.getByTestId('clock')).toContainText(`${earlierTime}· ${earlier} /`);
  expect(await moving(page)).toBe(earlierPicture);

  await page.getByTestId('step-back').click();
  expect(await position(page)).toBe(earlier - 1);
  await page.getByTestId('restart').click();
  expect(await position(page)).toBe(0);
});

test('hosts are picked from the keyboard and show their details', async ({ page }) => {
  await page.goto('/');
  const r2 = page.locator('[data-host="r2"]');
  await r2.focus();
  await page.keyboard.press('Enter');
  await expect(r2).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('host-card')).toContainText('r2');
  await expect(page.getByTestId('host-card')).toContainText('10.0.12.2/30');
});

test('a learner sends mail and steps through it with the keyboard only', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('compose-to').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('citra@alpha.example');
  // To → Subject → Message → Send.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(page.getByTestId('send')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compose-status')).toContainText('587');
  // Pause, then step with the keyboard.
  await page.getByTestId('play').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('step')).toBeFocused();
  const before = await position(page);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  expect(await position(page)).toBeGreaterThan(before);
  // Play to the end: citra's mailbox on mail.alpha.example gets the message.
  await page.getByTestId('play').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mail-panel')).toContainText('citra@alpha.example', { timeout: 60_000 });
});

/** Opens the page and connects the terminal to mx1.beta.example:25; returns the prompt. */
async function openAndConnect(page: Page) {
  await page.goto('/');
  const input = page.getByTestId('terminal-input');
  await input.fill('telnet mx1.beta.example 25');
  await input.press('Enter');
  await expect(page.getByTestId('notice').last()).toContainText('three-way handshake');
  return input;
}

test('what the learner types in the terminal is played back on the map', async ({ page }) => {
  await openAndConnect(page);
  // The reply is on screen at once; the clock went back to where the line was typed and plays
  // the handshake: frames cross the map, and the timeline moves on to the end.
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => moving(page), { timeout: 10_000, intervals: [50] }).toContain('kr-map__frame');
  const early = await position(page);
  await expect.poll(() => position(page), { timeout: 10_000 }).toBeGreaterThan(early);
});

test('typing after a step back continues the timeline instead of losing the connection', async ({ page }) => {
  const input = await openAndConnect(page);
  await page.getByTestId('restart').click();
  expect(await position(page)).toBe(0);
  await input.fill('EHLO laptop-ani.alpha.example');
  await input.press('Enter');
  await expect(page.getByTestId('reply').last()).toHaveAttribute('data-code', '250');
});
