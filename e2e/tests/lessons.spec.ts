// The guided lessons: a new learner takes the first lesson and the SMTP lesson in Bahasa
// Indonesia with the keyboard alone, comes back after a reload at the step she left, has a step
// counted that she left while its answer was still playing, meets unreadable saved progress
// kindly, answers a quiz, follows a glossary term and comes back; axe in both themes, and how
// the course looks on a laptop and on a phone.
import type { Locator, Page } from '@playwright/test';
import { expect, expectNoSeriousViolations, test } from './fixtures';

const PROGRESS_KEY = 'kurir.progress';
/** A check ticks once the map has played what it checks: at 1× on a busy machine the first
 * connection alone (DNS, ARP and the TCP handshake over three routers) can take 20 s. */
const CHECK_TIMEOUT = 45_000;

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user gets there. */
async function tabTo(page: Page, target: Locator, backward = false) {
  await expect(target).toBeVisible();
  for (let presses = 0; presses < 300; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(backward ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`could not reach ${target} with the keyboard`);
}

/** Every check of the step on screen is done, and the page says so. */
async function expectStepDone(page: Page) {
  const checks = page.getByTestId('lesson-check');
  for (const check of await checks.all()) {
    await expect(check).toHaveAttribute('data-done', 'true', { timeout: CHECK_TIMEOUT });
  }
  await expect(page.getByTestId('step-done')).toHaveText('Bagus: langkah ini selesai.');
}

/** The step on screen is `step`, its checks not yet done, and its heading has the focus. */
async function expectFreshStep(page: Page, step: string, checks: number) {
  const lesson = page.getByTestId('lesson');
  await expect(lesson).toHaveAttribute('data-step', step);
  await expect(page.getByTestId('lesson-check')).toHaveCount(checks);
  if (checks > 0) {
    await expect(page.getByTestId('lesson-check').first()).toHaveAttribute('data-done', 'false');
  }
  // Moving on does not drop the focus on the page: it goes to the new step's title.
  await expect(lesson.getByRole('heading', { level: 2 })).toBeFocused();
}

/** Goes on with the step's "Next" button, from wherever the focus is in the lesson. */
async function next(page: Page) {
  await tabTo(page, page.getByTestId('next'));
  await page.keyboard.press('Enter');
}

/** Types one line in the terminal, reached with Shift+Tab from the lesson. */
async function typeInTerminal(page: Page, line: string) {
  const input = page.getByTestId('terminal-input');
  if (!(await input.evaluate((element) => element === document.activeElement))) {
    await tabTo(page, input, true);
  }
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** What the page saved (its format is the page's own business: the tests read the course). */
async function savedProgress(page: Page) {
  return page.evaluate((key) => localStorage.getItem(key), PROGRESS_KEY);
}

test('a new learner takes the first lesson and the SMTP lesson in Bahasa Indonesia with the keyboard alone', async ({ page }) => {
  // Tab, Shift+Tab, Enter, Space, arrows and typing only: every control is reached by tabbing.
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByTestId('terminal-input')).toBeEditable();

  // The language switch is the third stop after the skip link and "Big screen".
  await tabTo(page, page.getByTestId('lang-id'));
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'id');
  const course = page.getByTestId('course');
  await expect(course.getByRole('heading', { name: 'Kursus' })).toBeVisible();
  await expect(page.getByTestId('course-lesson')).toHaveCount(6);
  await expect(page.getByTestId('continue')).toHaveCount(0);
  // At 1× the relay takes a minute to watch: she plays it at 8× (the arrows pick a speed).
  const speed = page.getByTestId('speed');
  await tabTo(page, speed);
  for (let presses = 0; presses < 3; presses++) await page.keyboard.press('ArrowDown');
  await expect(speed.locator('option:checked')).toHaveText('8×');

  // Lesson 1: start it from the course path.
  const layers = page.locator('[data-testid=course-lesson][data-lesson=layers]');
  await expect(layers).toContainText('Satu email, lima layer');
  await expect(layers).toContainText('0/5 langkah selesai');
  await tabTo(page, layers.getByRole('link', { name: 'Mulai' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/lesson\/layers$/);
  await expectFreshStep(page, 'welcome', 0);
  await expect(page.getByTestId('lesson')).toContainText('Langkah 1 dari 5');
  await expect(page.getByTestId('lesson')).toContainText('Kamu akan bisa:');
  await expectStepDone(page);

  // Step 2: write to budi in ani's mail client (the form after the course panel) and send.
  await next(page);
  await expect(page).toHaveURL(/#\/lesson\/layers\/send$/);
  await expectFreshStep(page, 'send', 1);
  await tabTo(page, page.getByTestId('hint'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('hint-text')).toContainText('Panel Tulis email');
  await tabTo(page, page.getByTestId('compose-to'));
  await page.keyboard.press('Control+a');
  await page.keyboard.type('budi@beta.example');
  await tabTo(page, page.getByTestId('compose-subject'));
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Halo Budi');
  await tabTo(page, page.getByTestId('send'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('compose-status')).not.toBeEmpty();
  await expectStepDone(page);

  // Step 3: the mail view (the map is far back: Shift+Tab through the page) while it plays.
  await tabTo(page, page.getByTestId('next'), true);
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'courier', 3);
  await tabTo(page, page.getByTestId('mail-view'), true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mail-view')).toHaveAttribute('aria-pressed', 'true');
  await expectStepDone(page);

  // Step 4: the SMTP rows of the event list, one picked with the arrows, in the inspector.
  await next(page);
  await expectFreshStep(page, 'wrapped', 1);
  await tabTo(page, page.getByTestId('event-filter-smtp'));
  await page.keyboard.press('Space');
  await expect(page.getByTestId('event-filter-smtp')).toHaveAttribute('aria-pressed', 'true');
  await tabTo(page, page.getByTestId('event-list'));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('inspector-body')).toContainText('SMTP');
  await expectStepDone(page);

  // Step 5: the packet view.
  await tabTo(page, page.getByTestId('next'), true);
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'routers', 2);
  await tabTo(page, page.getByTestId('packet-view'), true);
  await page.keyboard.press('Space');
  await expectStepDone(page);
  await tabTo(page, page.getByTestId('next'));
  await expect(page.getByTestId('next')).toHaveText('Ke kuis');

  // The quiz is next; the lesson is done on the course path.
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/lesson\/layers\/quiz$/);
  await expect(page.getByTestId('quiz').getByRole('heading', { level: 2 })).toBeFocused();
  await tabTo(page, page.getByRole('link', { name: '← Kursus' }), true);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('course').getByRole('heading', { level: 2 })).toBeFocused();
  await expect(layers).toHaveAttribute('data-finished', 'true');
  await expect(layers).toContainText('5/5 langkah selesai');

  // Lesson 3: SMTP typed by hand in the terminal.
  const commands = page.locator('[data-testid=course-lesson][data-lesson=commands]');
  await tabTo(page, commands.getByRole('link', { name: 'Mulai' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/lesson\/commands$/);
  await expectFreshStep(page, 'connect', 1);
  await typeInTerminal(page, 'telnet mx1.beta.example 25');
  await expectStepDone(page);

  await tabTo(page, page.getByTestId('next'));
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'ehlo', 1);
  await typeInTerminal(page, 'EHLO laptop-ani.alpha.example');
  await expectStepDone(page);

  await tabTo(page, page.getByTestId('next'));
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'envelope', 2);
  await typeInTerminal(page, 'MAIL FROM:<ani@alpha.example>');
  await expect(page.getByTestId('lesson-check').first()).toHaveAttribute('data-done', 'true', { timeout: 20_000 });
  await expect(page.getByTestId('step-done')).toBeEmpty();
  await typeInTerminal(page, 'RCPT TO:<budi@beta.example>');
  await expectStepDone(page);

  await tabTo(page, page.getByTestId('next'));
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'data', 2);
  for (const line of ['DATA', 'Subject: Halo Budi', '', 'Sampai jumpa besok.', '.']) {
    await typeInTerminal(page, line);
  }
  await expectStepDone(page);

  await tabTo(page, page.getByTestId('next'));
  await page.keyboard.press('Enter');
  await expectFreshStep(page, 'more', 2);
  await typeInTerminal(page, 'HELP');
  await typeInTerminal(page, 'QUIT');
  await expectStepDone(page);

  await tabTo(page, page.getByTestId('back-to-course'), true);
  await page.keyboard.press('Enter');
  await expect(commands).toHaveAttribute('data-finished', 'true');
  await expect(commands).toContainText('5/5 langkah selesai');
  await expect(page.getByTestId('continue')).toHaveAttribute('href', '#/lesson/commands/more');
});

test('after a reload the learner is back at the same step, with her progress', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('/#/lesson/commands');
  // The map plays the first connection quicker at 8×; after the reload it is back at 1×.
  await page.getByTestId('speed').selectOption({ label: '8×' });
  const input = page.getByTestId('terminal-input');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'connect');
  for (const line of ['telnet mx1.beta.example 25', 'EHLO laptop-ani.alpha.example']) {
    await input.focus();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await expectCheckDone(page);
    await page.getByTestId('next').click();
  }
  await expect(page).toHaveURL(/#\/lesson\/commands\/envelope$/);

  await page.reload();
  await expect(page).toHaveURL(/#\/lesson\/commands\/envelope$/);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'envelope');
  await expect(page.getByTestId('lesson')).toContainText('Step 3 of 5');
  await expect(page.getByTestId('lesson-check')).toHaveCount(2);

  // The world is as the step needs it: the connection is open and greeted.
  await input.focus();
  for (const line of ['MAIL FROM:<ani@alpha.example>', 'RCPT TO:<budi@beta.example>']) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('reply').last()).toHaveAttribute('data-code', '250');
  for (const check of await page.getByTestId('lesson-check').all()) {
    await expect(check).toHaveAttribute('data-done', 'true', { timeout: CHECK_TIMEOUT });
  }

  await page.getByTestId('back-to-course').click();
  await expect(page.locator('[data-lesson=commands]')).toContainText('3/5 steps done');
  await expect(page.getByTestId('continue')).toHaveAttribute('href', '#/lesson/commands/envelope');
});

test('a step left while the answer is still playing counts once the world has played it', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('/#/lesson/commands');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'connect');
  const input = page.getByTestId('terminal-input');
  await input.focus();
  await page.keyboard.type('telnet mx1.beta.example 25');
  await page.keyboard.press('Enter');
  // The reply shows at once; the map then plays the frames that carried it, slowly at 1×.
  await expect(page.getByTestId('reply').last()).toHaveAttribute('data-code', '220');
  await expect(page.getByTestId('lesson-check')).toHaveAttribute('data-done', 'false');
  await page.getByTestId('next').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'ehlo');
  await input.focus();
  await page.keyboard.type('EHLO laptop-ani.alpha.example');
  await page.keyboard.press('Enter');
  await expectCheckDone(page);
  await page.getByTestId('back-to-course').click();
  await expect(page.locator('[data-lesson=commands]')).toContainText('2/5 steps done');
});

test('the shared relay refuses over its hourly limit, and after +1 h it takes mail again', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/lesson/shared-relay/limit');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'limit');
  await page.getByTestId('speed').selectOption({ label: '8×' });
  const input = page.getByTestId('terminal-input');
  const session = ['telnet relay.example 587', 'EHLO laptop-ani.alpha.example', 'AUTH PLAIN AGFuaQBhbmkxMjM='];
  for (const line of [...session, 'MAIL FROM:<ani@alpha.example>']) {
    await input.focus();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  const refusal = page.getByTestId('reply').last();
  await expect(refusal).toHaveAttribute('data-code', '451');
  await expect(refusal).toContainText('4.7.1');
  await expect(refusal).toContainText('5 messages per hour');
  await expectCheckDone(page);

  // A new hour: the relay counts from nought again.
  await page.goto('/#/lesson/shared-relay/later');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'later');
  const clock = page.getByTestId('clock');
  const before = (await clock.textContent())!;
  await page.getByTestId('skip-hour').click();
  await expect(clock).not.toHaveText(before);
  const message = ['MAIL FROM:<ani@alpha.example>', 'RCPT TO:<budi@beta.example>', 'DATA', 'Subject: Lagi', '', 'Sudah jam baru.', '.'];
  for (const line of [...session, ...message]) {
    await input.focus();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('reply').last()).toHaveAttribute('data-code', '250');
  await expectCheckDone(page);
});

async function expectCheckDone(page: Page) {
  for (const check of await page.getByTestId('lesson-check').all()) {
    await expect(check).toHaveAttribute('data-done', 'true', { timeout: CHECK_TIMEOUT });
  }
}

for (const start of ['/', '/#/lesson/layers/send']) {
  test(`unreadable saved progress gives a notice and a clean start (${start})`, async ({ page }) => {
    // Garbage saved before the first load only: the reload below must find it replaced.
    await page.addInitScript((key) => {
      if (sessionStorage.getItem('garbage-saved')) return;
      sessionStorage.setItem('garbage-saved', 'yes');
      localStorage.setItem(key, '{"schema":1,"lessons":{"layers"');
    }, PROGRESS_KEY);
    await page.goto(start);
    const notice = page.getByTestId('progress-notice');
    await expect(notice).toContainText('could not be read');
    expect(await savedProgress(page)).not.toContain('{"schema"');
    if (start !== '/') {
      await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'send');
    }
    await notice.getByRole('button', { name: 'OK' }).click();
    await expect(notice).toHaveCount(0);
    if (start === '/') {
      await expect(page.getByTestId('continue')).toHaveCount(0);
      for (const lesson of await page.getByTestId('course-lesson').all()) {
        await expect(lesson).toHaveAttribute('data-finished', 'false');
        await expect(lesson).toContainText('0/');
      }
    }
    await page.reload();
    await expect(page.getByTestId('terminal-input')).toBeEditable();
    await expect(page.getByTestId('progress-notice')).toHaveCount(0);
  });
}

test('the quiz says right or wrong with the reason, and the score is kept', async ({ page }) => {
  await page.goto('/#/lesson/layers/quiz');
  const quiz = page.getByTestId('quiz');
  await expect(quiz.getByRole('heading', { level: 2 })).toHaveText('Quiz — One email, five layers');
  const questions = page.getByTestId('quiz-question');
  await expect(questions).toHaveCount(3);

  // Checking without an answer picked does nothing.
  await questions.nth(0).getByTestId('quiz-check').click();
  await expect(questions.nth(0).getByTestId('quiz-verdict')).toBeEmpty();

  await questions.nth(0).getByLabel('Application').check();
  await questions.nth(0).getByTestId('quiz-check').click();
  const first = questions.nth(0).getByTestId('quiz-verdict');
  await expect(first).toHaveAttribute('data-correct', 'true');
  await expect(first).toContainText('Right. Right: SMTP is what the mail programs say');

  await questions.nth(1).getByLabel('The IP addresses').check();
  await questions.nth(1).getByTestId('quiz-check').click();
  const second = questions.nth(1).getByTestId('quiz-verdict');
  await expect(second).toHaveAttribute('data-correct', 'false');
  await expect(second).toContainText('Not quite. The IP addresses stay the same all the way');
  await expect(page.getByTestId('quiz-score')).toBeEmpty();

  await questions.nth(2).getByTestId('quiz-typed').fill(' 587 ');
  await questions.nth(2).getByTestId('quiz-typed').press('Enter');
  await expect(questions.nth(2).getByTestId('quiz-verdict')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('quiz-score')).toHaveText('Your score: 2/3');

  // A second try at the wrong one counts.
  await questions.nth(1).getByLabel('The MAC addresses and the TTL').check();
  await questions.nth(1).getByTestId('quiz-check').click();
  await expect(second).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('quiz-score')).toHaveText('Your score: 3/3');

  await page.getByTestId('lang-id').click();
  await expect(quiz.getByRole('heading', { level: 2 })).toHaveText('Kuis — Satu email, lima layer');
  await expect(page.getByTestId('quiz-score')).toHaveText('Skormu: 3/3');
  // The answers given stay picked, and their explanations speak the new language too.
  await expect(questions.nth(0).getByLabel('Application')).toBeChecked();
  await expect(first).toContainText('Benar. Benar: SMTP adalah apa yang dikatakan program email');

  await quiz.getByRole('link', { name: '← Kursus' }).click();
  await expect(page.locator('[data-testid=course-lesson][data-lesson=layers]')).toContainText('Kuis 3/3');
  await page.reload();
  await expect(page.locator('[data-testid=course-lesson][data-lesson=layers]')).toContainText('Kuis 3/3');
});

test('a glossary term in a lesson leads to the glossary and back to the same step', async ({ page }) => {
  await page.goto('/#/lesson/layers/welcome');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'welcome');
  await page.getByTestId('next').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'send');
  await page.getByTestId('lesson').getByRole('link', { name: 'submission' }).click();
  await expect(page.getByTestId('glossary')).toBeVisible();
  await expect(page).toHaveURL(/#\/glossary\/submission$/);
  await expect(page.locator('#kr-term-submission')).toBeFocused();
  await page.getByTestId('back-to-lesson').click();
  await expect(page).toHaveURL(/#\/lesson\/layers\/send$/);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'send');
  await expect(page.getByTestId('lesson').getByRole('heading', { level: 2 })).toBeFocused();
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violations in the course (${colorScheme})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme });
    await page.goto('/');
    await expect(page.getByTestId('course-lesson')).toHaveCount(6);
    for (const lang of ['en', 'id'] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      await expectNoSeriousViolations(page);
    }
    await page.goto('/#/lesson/layers/welcome');
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'welcome');
    await page.getByTestId('hint').click();
    await expectNoSeriousViolations(page);
    await page.goto('/#/lesson/commands/envelope');
    await expect(page.getByTestId('lesson-check')).toHaveCount(2);
    await page.getByTestId('hint').click();
    await expectNoSeriousViolations(page);
    await page.goto('/#/lesson/layers/quiz');
    await page.getByTestId('quiz-question').first().getByRole('radio').first().check();
    await page.getByTestId('quiz-check').first().click();
    await expectNoSeriousViolations(page);
    await page.goto('/#/glossary');
    await expect(page.getByTestId('glossary')).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}

for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 375, 812]] as const) {
  test(`the course and a lesson on a ${name} (${width}×${height})`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await page.goto('/');
    await page.getByTestId('lang-id').click();
    await expect(page.getByTestId('course-lesson')).toHaveCount(6);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('course').screenshot({ path: `screenshots/course-home-${name}.png` });
    await page.screenshot({ path: `screenshots/course-home-${name}-page.png` });

    await page.goto('/#/lesson/layers/welcome');
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-step', 'welcome');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('lesson').screenshot({ path: `screenshots/lesson-table-${name}.png` });

    await page.goto('/#/lesson/commands/envelope');
    await expect(page.getByTestId('lesson-check')).toHaveCount(2);
    await page.getByTestId('terminal-input').focus();
    await page.keyboard.type('MAIL FROM:<ani@alpha.example>');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('lesson-check').first()).toHaveAttribute('data-done', 'true', { timeout: 20_000 });
    await page.getByTestId('hint').click();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.getByTestId('lesson').screenshot({ path: `screenshots/lesson-step-${name}.png` });
    await page.screenshot({ path: `screenshots/lesson-step-${name}-page.png` });
  });
}
