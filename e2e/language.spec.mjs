// 5. The language is the user's: switching to Russian in the user menu changes the UI at once and survives a reload
//    (it is stored on the user, not just in this browser).
import { assert, pageAs, REP } from './lib.mjs';

export default async function languageSpec({ baseUrl, browser, screenshot, state }) {
  const { page } = await pageAs(browser, baseUrl, state, REP);

  await page.getByRole('button', { name: `Account menu for ${REP.name}` }).click();
  const saved = page.waitForResponse((response) => response.url().endsWith('/api/v1/auth/me') && response.request().method() === 'PATCH');
  await page.getByRole('menuitem', { name: 'Русский' }).click();
  assert.equal((await saved).status(), 200);

  const expectRussian = async () => {
    await page.getByRole('heading', { name: `Здравствуйте, ${REP.name}` }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Главное меню' });
    await nav.getByRole('link', { name: 'Главная' }).waitFor();
    await nav.getByRole('button', { name: 'Настройки' }).waitFor();
    await nav.getByText('Сделки').waitFor();
    await page.getByRole('heading', { name: 'Непрочитанные уведомления' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Уведомления', exact: true }).count(), 1);
    for (const english of ['Home', 'Settings', 'Deals', 'Unread notifications', `Welcome, ${REP.name}`]) {
      assert.equal(await page.getByText(english, { exact: true }).count(), 0, `"${english}" should be gone`);
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ru');
  };
  await expectRussian();
  await screenshot(page, '15-home-russian');

  // Forget the browser's own memory of the language: the stored profile alone must bring Russian back.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expectRussian();
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
  assert.equal(me.user.locale, 'ru');

  // Settings pages are Russian too.
  const nav = page.getByRole('navigation', { name: 'Главное меню' });
  await nav.getByRole('button', { name: 'Настройки' }).click();
  await nav.getByRole('link', { name: 'Пользователи' }).click();
  await page.getByRole('heading', { name: 'Пользователи', exact: true }).waitFor();
  await page.getByRole('columnheader', { name: 'Последний вход' }).waitFor();
  await screenshot(page, '16-users-russian');
}
