// Page object for Kurir's terminal page: what a learner does, named as she would say it.
import { expect, type Locator, type Page } from '@playwright/test';

export class KurirPage {
  readonly input: Locator;
  readonly log: Locator;
  readonly replies: Locator;

  constructor(readonly page: Page) {
    this.input = page.getByTestId('terminal-input');
    this.log = page.getByTestId('terminal-log');
    this.replies = page.getByTestId('reply');
  }

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.input).toBeEditable();
  }

  /** Types one line at the prompt with the keyboard and presses Enter. */
  async type(line: string) {
    await this.input.focus();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }

  /** Types each line in turn, waiting for the server to answer where one is expected. */
  async typeAll(lines: string[]) {
    for (const line of lines) await this.type(line);
  }

  lastReply(): Locator {
    return this.replies.last();
  }

  async expectLastReply(code: number) {
    await expect(this.lastReply()).toHaveAttribute('data-code', String(code));
  }

  /** The reply codes on screen, in order. */
  async replyCodes(): Promise<number[]> {
    const codes = await this.replies.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-code')));
    return codes.map(Number);
  }

  async switchLanguage(code: 'en' | 'id') {
    await this.page.getByTestId(`lang-${code}`).click();
    await expect(this.page.locator('html')).toHaveAttribute('lang', code);
  }
}

/** The session a model learner types to send budi one message on beta's MX. */
export const FULL_SESSION = [
  'telnet mx1.beta.example 25',
  'EHLO laptop-ani.alpha.example',
  'MAIL FROM:<ani@alpha.example>',
  'RCPT TO:<budi@beta.example>',
  'DATA',
  'From: Ani <ani@alpha.example>',
  'To: Budi <budi@beta.example>',
  'Subject: Halo Budi',
  '',
  'Sampai jumpa di kelas besok.',
  '.',
  'QUIT',
];
