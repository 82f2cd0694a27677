// 7. On a 375 px phone the navigation hides behind the burger; it opens, reaches Settings, and pages do not overflow sideways.
import { ADMIN, assert, pageAs } from './lib.mjs';

export default async function mobileSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, ADMIN, { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  const burger = page.getByRole('button', { name: 'Toggle navigation' });
  await burger.waitFor();
  assert.equal(await burger.getAttribute('aria-expanded'), 'false');
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  assert.equal(await nav.getByRole('link', { name: 'Home' }).isVisible(), false, 'the navigation starts closed on a phone');
  await screenshot(page, '18-mobile-home');

  await burger.click();
  await nav.getByRole('link', { name: 'Home' }).waitFor();
  await nav.getByRole('button', { name: 'Settings' }).click();
  await nav.getByRole('link', { name: 'Users' }).waitFor();
  await screenshot(page, '19-mobile-nav');

  await nav.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
  await page.getByRole('cell', { name: 'Administrator' }).waitFor();
  assert.equal(await burger.getAttribute('aria-expanded'), 'false', 'picking a page closes the navigation');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page should not scroll sideways (overflow ${overflow}px); tables scroll inside their own box`);
  await screenshot(page, '20-mobile-users');

  await page.goto(`${baseUrl}/settings/audit`);
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'Signed in' }).first().waitFor();
  const auditOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(auditOverflow <= 0, `the audit page should not scroll sideways (overflow ${auditOverflow}px)`);
  await screenshot(page, '21-mobile-audit');
}
