// Shared fixtures: every test fails if the page logs a console error or warning, or throws;
// and the accessibility check the specs share.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { KurirPage } from '../pages/kurir';

export const test = base.extend<{ kurir: KurirPage; consoleProblems: string[] }>({
  consoleProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      await use(problems);
      expect(problems, 'console errors or warnings').toEqual([]);
    },
    { auto: true },
  ],
  kurir: async ({ page }, use) => {
    await use(new KurirPage(page));
  },
});

export { expect };

/** axe-core finds no serious or critical violation on the page, or within the given parts. */
export async function expectNoSeriousViolations(page: Page, ...within: string[]) {
  let axe = new AxeBuilder({ page });
  for (const selector of within) axe = axe.include(selector);
  const results = await axe.analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}
