// A learner holds SMTP conversations in the terminal: the whole happy path, wrong order,
// bad syntax, keyboard habits, pasting, and hostile input shown as plain text.
import { FULL_SESSION } from '../pages/kurir';
import { expect, test } from './fixtures';

test('a full SMTP session delivers the message to the mailbox panel', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(FULL_SESSION);
  await expect(page.getByTestId('notice').last()).toContainText('Connection closed by mx1.beta.example');
  expect(await kurir.replyCodes()).toEqual([220, 250, 250, 250, 354, 250, 221]);

  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toHaveAttribute('data-address', 'budi@beta.example');
  const message = page.getByTestId('mail-message');
  await expect(message).toContainText('Halo Budi');
  await message.locator('summary').click();
  await expect(message).toContainText('Return-Path:');
  await expect(message).toContainText('by mx1.beta.example');
  await expect(message).toContainText('Sampai jumpa di kelas besok.');
});

test('the session panel follows the transaction', async ({ kurir, page }) => {
  await kurir.open();
  // The panel follows the timeline, which plays each exchange back on the map: at 8× briskly.
  await page.getByTestId('speed').selectOption({ label: '8×' });
  await kurir.typeAll(FULL_SESSION.slice(0, 4));
  await expect(page.getByTestId('session-sender')).toHaveText('<ani@alpha.example>');
  await expect(page.getByTestId('session-recipients')).toHaveText('<budi@beta.example>');
  await kurir.type('DATA');
  await expect(page.getByTestId('data-hint')).toBeVisible();
  await expect(page.getByTestId('prompt')).toContainText('data>');
});

test('a command in the wrong order gets 503 and a hint', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example', 'RCPT TO:<budi@beta.example>']);
  await kurir.expectLastReply(503);
  const hint = kurir.lastReply().getByTestId('hint');
  await expect(hint).toBeVisible();
  await expect(hint).toContainText('MAIL FROM');
});

test('bad syntax gets 501 with the expected syntax, and every reply explains itself', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example', 'MAIL FROM ani@alpha.example']);
  await kurir.expectLastReply(501);
  await expect(kurir.lastReply()).toContainText('MAIL FROM:<reverse-path>');
  const explain = kurir.lastReply().getByTestId('explain');
  await explain.locator('summary').click();
  await expect(explain).toContainText('5.5');
});

test('a nonexistent user is refused with 550 5.1.1', async ({ kurir }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example', 'MAIL FROM:<ani@alpha.example>', 'RCPT TO:<nobody@beta.example>']);
  await kurir.expectLastReply(550);
  await expect(kurir.lastReply()).toContainText('5.1.1');
});

test('history, completion, Ctrl+L and Esc work from the keyboard', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.input.focus();
  await page.keyboard.type('telnet mx1');
  await page.keyboard.press('Tab');
  await expect(kurir.input).toHaveValue('telnet mx1.beta.example ');
  await page.keyboard.type('25');
  await page.keyboard.press('Enter');
  await kurir.expectLastReply(220);

  await page.keyboard.type('NOOP');
  await page.keyboard.press('Enter');
  await page.keyboard.type('RS');
  await page.keyboard.press('ArrowUp');
  await expect(kurir.input).toHaveValue('NOOP');
  await page.keyboard.press('ArrowDown');
  await expect(kurir.input).toHaveValue('RS');

  await page.keyboard.press('Control+l');
  await expect(kurir.replies).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(kurir.input).not.toBeFocused();
  await expect(kurir.log).toBeFocused();
});

test('pasting a whole message sends every line', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(FULL_SESSION.slice(0, 5));
  await kurir.input.focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text', 'Subject: Pasted\r\n\r\n..leading dot line\r\nlast line\r\n.\r\n');
    document.querySelector('[data-testid=terminal-input]')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await kurir.expectLastReply(250);
  await expect(page.getByTestId('notice').filter({ hasText: 'dot' }).first()).toBeVisible();
  const message = page.getByTestId('mail-message');
  await message.locator('summary').click();
  await expect(message).toContainText('.leading dot line');
});

test('an HTML or script payload is shown as text and runs nothing', async ({ kurir, page }) => {
  const payload = '<img src=x onerror="window.__kurirXss=1"><script>window.__kurirXss=2</script>';
  await kurir.open();
  await kurir.type(payload);
  await expect(kurir.log).toContainText(payload);
  await kurir.typeAll(FULL_SESSION.slice(0, 5));
  await kurir.typeAll([`Subject: ${payload}`, '', payload, '.']);
  await kurir.expectLastReply(250);
  await page.getByTestId('mail-message').locator('summary').click();
  await expect(page.getByTestId('mail-message')).toContainText(payload);
  expect(await page.evaluate(() => (window as any).__kurirXss)).toBeUndefined();
  await expect(page.locator('img[src=x]')).toHaveCount(0);
});
