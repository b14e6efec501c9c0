// The app shell: language switch (remembered), accessibility, and how it looks on a phone.
import { FULL_SESSION } from '../pages/kurir';
import { expect, expectNoSeriousViolations, test } from './fixtures';

test('switching to Bahasa Indonesia translates the UI and is remembered', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.switchLanguage('id');
  await expect(page.getByRole('heading', { name: 'Terminal di laptop-ani' })).toBeVisible();
  await expect(page.getByTestId('notice').first()).toContainText('Selamat datang');
  await kurir.typeAll(['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example', 'RCPT TO:<budi@beta.example>']);
  await expect(kurir.lastReply().getByTestId('hint')).toContainText('Coba');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  await expect(page.getByTestId('lang-id')).toHaveAttribute('aria-pressed', 'true');
  await kurir.switchLanguage('en');
  await expect(page.getByRole('heading', { name: 'Terminal on laptop-ani' })).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violations (${colorScheme})`, async ({ kurir, page }) => {
    await page.emulateMedia({ colorScheme });
    await kurir.open();
    await kurir.typeAll([...FULL_SESSION.slice(0, 3), 'RCPT TO:<nobody@beta.example>']);
    await kurir.lastReply().getByTestId('explain').locator('summary').click();
    for (const lang of ['en', 'id'] as const) {
      await kurir.switchLanguage(lang);
      await expectNoSeriousViolations(page);
    }
  });
}

test('on a phone the panels stack under the terminal and nothing scrolls sideways', async ({ kurir, page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await kurir.open();
  await kurir.typeAll(FULL_SESSION);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const terminal = await page.locator('.kr-term').boundingBox();
  const panel = await page.getByTestId('session-panel').boundingBox();
  expect(panel!.y).toBeGreaterThan(terminal!.y + terminal!.height - 1);
  await page.screenshot({ path: 'screenshots/phone.png', fullPage: true });
});

test('desktop screenshot', async ({ kurir, page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await kurir.open();
  await kurir.typeAll(FULL_SESSION.slice(0, -1));
  await kurir.type('RCPT TO:<nobody@beta.example>');
  await kurir.expectLastReply(503);
  await page.getByTestId('mail-message').locator('summary').click();
  await page.screenshot({ path: 'screenshots/desktop.png' });
});

test('big screen for a projector: larger type, the map across the whole width, remembered', async ({ kurir, page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await kurir.open();
  const map = page.getByTestId('map');
  const narrow = (await map.boundingBox())!.width;
  const bigScreen = page.getByTestId('big-screen');
  await bigScreen.click();
  await expect(bigScreen).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveClass(/kr-big/);
  const wide = (await map.boundingBox())!.width;
  expect(wide).toBeGreaterThan(narrow * 1.4);
  // The time controls stay on the first screen under the map.
  const controls = (await page.getByTestId('playback').boundingBox())!;
  expect(controls.y + controls.height).toBeLessThanOrEqual(768);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'screenshots/projector.png' });
  await page.reload();
  await expect(page.getByTestId('big-screen')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('big-screen').click();
  await expect(page.locator('html')).not.toHaveClass(/kr-big/);
});
