// budi's two devices and the comparison of SMTP, POP3 and IMAP, as a learner meets them: ani
// sends budi a mail; the laptop fetches it with POP3 and deletes it from the server, so the
// phone finds nothing; a second mail, both devices on IMAP, the phone reads it and the laptop
// sees it read. The comparison lights what she saw happen. Keyboard, axe-core, both languages,
// a desktop and a phone.
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, test } from './fixtures';

/** The fastest speed of the playback bar (index into its list of speeds). */
const FASTEST = '5';

/** Waits until the clock has played everything there is to play. */
async function settle(page: Page) {
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false', { timeout: 60_000 });
}

async function send(page: Page, subject: string) {
  await page.getByTestId('compose-to').fill('budi@beta.example');
  await page.getByTestId('compose-subject').fill(subject);
  await page.getByTestId('send').click();
  await settle(page);
}

const device = (page: Page, name: 'laptop-budi' | 'phone-budi'): Locator => page.getByTestId(`device-${name}`);

async function checkMail(page: Page, on: Locator, protocol: 'pop3' | 'imap') {
  await on.getByTestId(`protocol-${protocol}`).check();
  await on.getByTestId('check-mail').click();
  await settle(page);
}

const message = (on: Locator, subject: string) => on.getByTestId('device-message').filter({ hasText: subject });
const cell = (page: Page, row: number, protocol: string) => page.getByTestId(`compare-${row}-${protocol}`);

test('POP3 takes the mail off the server, IMAP keeps both devices in step', async ({ kurir, page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await kurir.open();
  await page.getByTestId('speed').selectOption(FASTEST);
  const laptop = device(page, 'laptop-budi');
  const phone = device(page, 'phone-budi');
  await expect(laptop.getByTestId('device-empty')).toBeVisible();
  await expect(laptop.getByTestId('keep-on-server')).not.toBeChecked();
  await expect(cell(page, 2, 'pop3')).toHaveAttribute('data-lit', 'false');

  await send(page, 'Pesan pertama');
  await expect(page.locator('[data-testid="mailbox"][data-address="budi@beta.example"]')).toContainText('(1)');
  await expect(cell(page, 0, 'smtp')).toHaveAttribute('data-lit', 'true');

  // POP3, download and delete: the laptop has it, the server and then the phone have nothing.
  await checkMail(page, laptop, 'pop3');
  await expect(message(laptop, 'Pesan pertama')).toHaveAttribute('data-seen', 'false');
  await expect(laptop.getByTestId('device-last')).toContainText('1 downloaded, 1 deleted from the server');
  await expect(page.locator('[data-testid="mailbox"][data-address="budi@beta.example"]')).toContainText('(0)');
  await checkMail(page, phone, 'pop3');
  await expect(phone.getByTestId('device-empty')).toBeVisible();
  await expect(phone.getByTestId('device-last')).toContainText('0 downloaded');
  await expect(cell(page, 2, 'pop3')).toHaveAttribute('data-lit', 'true');
  await expect(cell(page, 2, 'pop3')).toContainText('experienced');
  await expect(cell(page, 3, 'pop3')).toHaveAttribute('data-lit', 'true');
  await expect(cell(page, 3, 'imap')).toHaveAttribute('data-lit', 'false');

  // Reading the POP3 download is the laptop's business only: no session, no network.
  await message(laptop, 'Pesan pertama').getByRole('button', { name: /^Read/ }).click();
  await expect(message(laptop, 'Pesan pertama')).toHaveAttribute('data-seen', 'true');
  await expect(cell(page, 5, 'pop3')).toHaveAttribute('data-lit', 'true');

  // IMAP on both devices; the phone reads the new mail, with the keyboard.
  await send(page, 'Pesan kedua');
  await checkMail(page, laptop, 'imap');
  await expect(message(laptop, 'Pesan kedua')).toHaveAttribute('data-seen', 'false');
  await checkMail(page, phone, 'imap');
  const read = message(phone, 'Pesan kedua').getByRole('button', { name: /^Read/ });
  await read.focus();
  await page.keyboard.press('Enter');
  await settle(page);
  await expect(message(phone, 'Pesan kedua')).toHaveAttribute('data-seen', 'true');
  await expect(phone.locator(':focus')).toHaveCount(1);
  await expect(message(laptop, 'Pesan kedua')).toHaveAttribute('data-seen', 'false');
  await expect(page.locator('[data-testid="mail-message"][data-seen]').filter({ hasText: 'Pesan kedua' })).toHaveAttribute('data-seen', 'true');

  // The laptop checks again and shows it read.
  await checkMail(page, laptop, 'imap');
  await expect(message(laptop, 'Pesan kedua')).toHaveAttribute('data-seen', 'true');
  await expect(laptop.getByTestId('device-last')).toContainText('1 changed elsewhere');
  await expect(cell(page, 3, 'imap')).toHaveAttribute('data-lit', 'true');

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousViolations(page, '[data-testid="devices"]', '[data-testid="comparison"]');
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('devices').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/devices-desktop.png' });
  await page.getByTestId('comparison').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/comparison-desktop.png' });

  // In Bahasa Indonesia, on a phone.
  await kurir.switchLanguage('id');
  await expect(page.getByRole('heading', { name: 'Perangkat milik Budi' })).toBeVisible();
  await expect(laptop.getByTestId('device-last')).toContainText('diubah di perangkat lain');
  await expect(cell(page, 3, 'imap')).toContainText('sudah kamu alami');
  await expect(message(phone, 'Pesan kedua').getByRole('button', { name: /^Arsipkan/ })).toBeVisible();
  await expectNoSeriousViolations(page, '[data-testid="devices"]', '[data-testid="comparison"]');
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const [laptopBox, phoneBox] = [(await laptop.boundingBox())!, (await phone.boundingBox())!];
  expect(phoneBox.y).toBeGreaterThanOrEqual(laptopBox.y + laptopBox.height - 1);
  await page.getByTestId('devices').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/devices-phone.png' });
  await page.getByTestId('comparison').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/comparison-phone.png' });
});

test('IMAP flag, archive and delete reach the server and the other device', async ({ kurir, page }) => {
  test.setTimeout(180_000);
  await kurir.open();
  await page.getByTestId('speed').selectOption(FASTEST);
  const laptop = device(page, 'laptop-budi');
  const phone = device(page, 'phone-budi');
  await send(page, 'Satu');
  await send(page, 'Dua');
  await checkMail(page, laptop, 'imap');
  await checkMail(page, phone, 'imap');
  await message(phone, 'Satu').getByRole('button', { name: /^Flag/ }).click();
  await settle(page);
  await expect(message(phone, 'Satu')).toContainText('flagged');
  await expect(cell(page, 4, 'imap')).toHaveAttribute('data-lit', 'true');
  await message(phone, 'Satu').getByRole('button', { name: /^Archive/ }).click();
  await settle(page);
  await message(phone, 'Dua').getByRole('button', { name: /^Delete/ }).click();
  await settle(page);
  await expect(page.locator('[data-testid="mailbox"][data-folder="Archive"]')).toContainText('(1)');
  // The phone lists the server's folders: INBOX is empty now, Archive holds "Satu", flagged.
  const folders = phone.getByTestId('device-folder');
  await expect(folders).toHaveText(['INBOX (0)', 'Archive (1)']);
  await expect(phone.getByTestId('device-empty')).toHaveCount(1);
  await expect(message(phone, 'Satu')).toContainText('flagged');
  await expect(message(phone, 'Satu').getByRole('button', { name: /^Archive/ })).toHaveCount(0);
  await checkMail(page, laptop, 'imap');
  await expect(laptop.getByTestId('device-folder')).toHaveText(['INBOX (0)', 'Archive (1)']);
  await expect(message(laptop, 'Satu')).toBeVisible();
  await expect(message(laptop, 'Dua')).toHaveCount(0);
  await expect(laptop.getByTestId('device-last')).toContainText('1 new, 0 changed elsewhere, 2 gone');
  await laptop.scrollIntoViewIfNeeded();
  await page.getByTestId('devices').screenshot({ path: 'screenshots/devices-folders.png' });
  // Deleting in Archive works there too.
  await message(laptop, 'Satu').getByRole('button', { name: /^Delete/ }).click();
  await settle(page);
  await expect(laptop.getByTestId('device-folder')).toHaveText(['INBOX (0)', 'Archive (0)']);
  await expect(page.locator('[data-testid="mailbox"][data-folder="Archive"]')).toContainText('(0)');
});
