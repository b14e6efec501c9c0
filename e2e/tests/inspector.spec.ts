// The layer inspector: a frame picked in the timeline shows its five layers with every field
// explained, its bytes light up with the field under the pointer or the keyboard focus, the
// encapsulation steps can be skipped, and "Follow the stream" reads the whole SMTP session
// and leads back to any line's frame.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

test.beforeEach(async ({ kurir }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example', 'QUIT']);
  await kurir.expectLastReply(221);
});

/** Picks, in the timeline, the first frame laptop-ani sent with SMTP in it. */
async function pickAniSmtpFrame(page: import('@playwright/test').Page) {
  await page
    .getByTestId('event-list')
    .locator('[data-protocol="SMTP"]')
    .filter({ hasText: 'laptop-ani' })
    .filter({ hasText: 'sends frame' })
    .first()
    .click();
}

test('a picked frame shows five nested layers with the TTL at byte 22', async ({ page }) => {
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inspector-body')).toContainText('timeline');
  await pickAniSmtpFrame(page);
  const body = inspector.getByTestId('inspector-body');
  for (const layer of ['physical', 'datalink', 'network', 'transport', 'application']) {
    await expect(body.getByTestId(`layer-${layer}`)).toHaveCount(1);
  }
  // Each box sits inside the one below it in the model.
  await expect(body.getByTestId('layer-network').getByTestId('layer-application')).toHaveCount(1);
  const ttl = body.locator('.kr-insp__field', { hasText: 'Time to live' });
  await expect(ttl).toHaveAttribute('data-r', '22,23');
  await expect(ttl).toContainText('every router');
  // The application box shows the SMTP line the segment carries.
  await expect(body.getByTestId('layer-application')).toContainText(/Command (EHLO|QUIT)/);
  await expect(body.getByTestId('hex-dump')).toBeVisible();
});

test('hovering or focusing a field lights up its bytes, and a byte its field', async ({ page }) => {
  await pickAniSmtpFrame(page);
  const body = page.getByTestId('inspector-body');
  const ttlByte = body.locator('.kr-hex__row:nth-child(2) .kr-hex__b:nth-child(7)');
  const plain = await ttlByte.evaluate((e) => getComputedStyle(e).backgroundColor);
  await body.locator('.kr-insp__field', { hasText: 'Time to live' }).hover();
  await expect.poll(() => ttlByte.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(plain);
  // The keyboard reaches the same: focus the source address, its four bytes light up.
  const source = body.locator('.kr-insp__field', { hasText: 'Source address' });
  await source.focus();
  await expect(source).toBeFocused();
  const firstSourceByte = body.locator('.kr-hex__row:nth-child(2) .kr-hex__b:nth-child(11)');
  await expect.poll(() => firstSourceByte.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(plain);
  // Hovering a byte lights up the row of the field it belongs to.
  await ttlByte.hover();
  const ttlRow = body.locator('.kr-insp__field', { hasText: 'Time to live' });
  await expect.poll(() => ttlRow.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe(plain);
});

test('the encapsulation steps can be shown all at once', async ({ page }) => {
  await pickAniSmtpFrame(page);
  const steps = page.getByTestId('encapsulation-steps');
  await expect(steps.locator('li')).toHaveCount(5);
  await expect(steps.locator('li').first()).toContainText('SMTP');
  await page.getByTestId('skip-steps').click();
  await expect(steps).toHaveClass(/kr-steps--still/);
  await expect(steps.locator('li').last()).toHaveCSS('opacity', '1');
  // Each step pictures the frame as nested boxes: the SMTP line alone, then one more box
  // per header put in front, and the bits around everything.
  const boxes = (step: number) => steps.locator('li').nth(step).locator('.kr-pkt__box');
  for (const [step, count] of [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]) {
    await expect(boxes(step)).toHaveCount(count);
  }
  await expect(boxes(0).first()).toHaveText('SMTP');
  await expect(boxes(2).first().locator('.kr-pkt__label').first()).toHaveText('IPv4 · TTL 64');
  await expect(boxes(4).first().locator('.kr-pkt__label').first()).toHaveText(/ bits$/);
});

test('follow the stream reads the session and jumps to a line’s frame', async ({ page }) => {
  await pickAniSmtpFrame(page);
  await page.getByTestId('follow-stream').locator('summary').click();
  const lines = page.getByTestId('stream').getByTestId('stream-line');
  await expect(lines.first()).toContainText('S: 220');
  await expect(lines.filter({ hasText: 'C: EHLO laptop-ani.alpha.example' })).toHaveCount(1);
  await expect(lines.last()).toContainText('S: 221');
  await lines.first().click();
  await expect(page.getByTestId('inspector-body')).toContainText('220 mx1.beta.example');
});

test('the inspector speaks Indonesian and passes axe', async ({ kurir, page }) => {
  await pickAniSmtpFrame(page);
  await page.getByTestId('follow-stream').locator('summary').click();
  await page.getByTestId('skip-steps').click();
  await kurir.switchLanguage('id');
  await expect(page.getByTestId('inspector')).toContainText('Pemeriksa lapisan');
  await expect(page.getByTestId('inspector-body')).toContainText('Berkurang satu di setiap router');
  // The values' words too: sizes, the time on the wire, the checksum verdict.
  const body = await page.getByTestId('inspector-body').innerText();
  expect(body).toMatch(/\d+ bit\b/);
  expect(body).toContain('(benar)');
  expect(body).not.toMatch(/\d+ (bytes|bits)\b| µs at /);
  const results = await new AxeBuilder({ page }).include('[data-testid=inspector]').analyze();
  expect(results.violations).toEqual([]);
});
