// A learner reads mail by hand: POP3 on port 110 (list, read with the dots taken off, delete at
// QUIT) and IMAP on port 143 (tags, folders), every refusal explained, in both languages.
import { expect, expectNoSeriousViolations, test } from './fixtures';

/** ani sends budi a message with a line that starts with a dot. */
const SEND_TO_BUDI = [
  'telnet mx1.beta.example 25',
  'EHLO laptop-ani.alpha.example',
  'MAIL FROM:<ani@alpha.example>',
  'RCPT TO:<budi@beta.example>',
  'DATA',
  'Subject: Halo Budi',
  '',
  '..titik di awal',
  'Sampai besok.',
  '.',
  'QUIT',
];

test('a POP3 session lists, reads and deletes budi’s message', async ({ kurir, page }) => {
  await kurir.open();
  await page.getByTestId('speed').selectOption({ label: '8×' });
  await kurir.typeAll(SEND_TO_BUDI);
  await expect(page.getByTestId('notice').last()).toContainText('Connection closed by mx1.beta.example');

  await kurir.typeAll(['telnet mx1.beta.example 110', 'USER budi', 'PASS budi123']);
  await expect(page.getByTestId('prompt')).toContainText('mx1.beta.example:110>');
  await expect(kurir.lastReply()).toHaveAttribute('data-status', '+OK');
  await expect(page.getByTestId('session-state')).toContainText('TRANSACTION');
  await expect(page.getByTestId('session-user')).toHaveText('budi');

  await kurir.typeAll(['STAT', 'LIST', 'RETR 1']);
  const retr = kurir.lastReply();
  await expect(retr).toHaveAttribute('data-status', '+OK');
  await expect(retr).toContainText('Subject: Halo Budi');
  await expect(retr.locator('pre')).toContainText('\n.titik di awal\n');
  await expect(page.getByTestId('notice').last()).toContainText('dot-stuffing');
  await retr.getByTestId('explain').locator('summary').click();
  await expect(retr.getByTestId('explain')).toContainText('DELE 1');

  await kurir.typeAll(['DELE 1', 'QUIT']);
  await expect(kurir.lastReply()).toContainText('1 deleted, 0 left');
  await expect(page.getByTestId('notice').last()).toContainText('Connection closed by mx1.beta.example');
});

test('POP3 refusals say what to type instead', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 110', 'RETR 1']);
  await expect(kurir.lastReply()).toHaveAttribute('data-status', '-ERR');
  await expect(kurir.lastReply().getByTestId('hint')).toContainText('USER budi');
  await kurir.type('EHLO laptop-ani.alpha.example');
  await expect(kurir.lastReply()).toHaveAttribute('data-status', '-ERR');
  await kurir.lastReply().getByTestId('explain').locator('summary').click();
  await expect(kurir.lastReply().getByTestId('explain')).toContainText('SMTP');
});

test('IMAP: a line without a tag is explained, tagged commands work, and axe passes', async ({ kurir, page }) => {
  await kurir.open();
  await kurir.typeAll(['telnet mx1.beta.example 143', 'LOGIN budi budi123']);
  await expect(kurir.lastReply()).toHaveAttribute('data-status', 'BAD');
  await expect(page.getByTestId('notice').filter({ hasText: 'no tag' })).toContainText('a1 LOGIN budi budi123');
  await kurir.typeAll(['a1 LOGIN budi budi123', 'a2 SELECT INBOX']);
  await expect(kurir.lastReply()).toHaveAttribute('data-status', 'OK');
  await expect(page.getByTestId('session-folder')).toHaveText('INBOX');
  await kurir.input.focus();
  await page.keyboard.type('logo');
  await page.keyboard.press('Tab');
  await expect(kurir.input).toHaveValue('a4 LOGOUT');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('notice').last()).toContainText('Connection closed by mx1.beta.example');
  await kurir.lastReply().getByTestId('explain').locator('summary').click();
  for (const lang of ['en', 'id'] as const) {
    await kurir.switchLanguage(lang);
    await expectNoSeriousViolations(page);
  }
});
