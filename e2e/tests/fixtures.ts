// Shared fixtures: every test fails if the page logs a console error or warning, or throws.
import { test as base, expect } from '@playwright/test';
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
