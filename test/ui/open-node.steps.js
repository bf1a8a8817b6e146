/**
 * Browser suite, first steps: sign in, open a new workflow and add the Spacely node the way a new
 * user finds it, by searching "Spacely" in the node creator and picking a Render action.
 */
const { check } = require('./runner');
// n8n's owner, as scripts/n8n-server.js sets it up over REST before the browser logs in.
const { OWNER } = require('../../scripts/n8n-server');

// The editor's first load (a large bundle, n8n warming up) may be slow on a busy CI machine.
const FIRST_LOAD_TIMEOUT_MS = 90_000;

// Render → Generate Standard, as the node creator lists it among the Render actions.
const ACTION = 'Redesign a room in a preset style';

/** @param {import('./spacely.ui').Ui} ui */
function openNodeSteps({ page, n8nUrl, ndv, param }) {
	return [
		{
			name: 'logs in as the owner on the sign-in page',
			async run() {
				await page.goto(`${n8nUrl}/signin`, { timeout: FIRST_LOAD_TIMEOUT_MS });
				await page.locator('input[name="emailOrLdapLoginId"]').waitFor({ timeout: FIRST_LOAD_TIMEOUT_MS });
				await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
				await page.locator('input[name="password"]').fill(OWNER.password);
				await page.getByTestId('form-submit-button').click();
				await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
			},
		},
		{
			name: 'opens a new workflow',
			async run() {
				await page.goto(`${n8nUrl}/workflow/new`, { timeout: FIRST_LOAD_TIMEOUT_MS });
				await page.getByTestId('canvas-add-button').first().waitFor({ timeout: FIRST_LOAD_TIMEOUT_MS });
				check(/\/workflow\//.test(page.url()), 'the editor did not open a workflow', page.url());
			},
		},
		{
			name: `searches 'Spacely' in the node creator and adds the Render action '${ACTION}'`,
			async run() {
				await page.getByTestId('canvas-add-button').first().click();
				await page.getByTestId('node-creator-search-bar').fill('Spacely');
				const creator = page.getByTestId('node-creator');
				await creator.getByTestId('node-creator-item-name').getByText('Spacely', { exact: true }).click();
				await creator.getByText(ACTION, { exact: true }).click();
				await ndv.waitFor();
				await param('imageUrl').waitFor();
				const resource = await param('resource').locator('input').inputValue();
				const operation = await param('operation').locator('input').inputValue();
				check(resource === 'Render' && operation === 'Generate Standard', 'the node did not open on Render → Generate Standard', {
					resource,
					operation,
				});
			},
		},
		{
			name: 'the new node is version 2 (its Settings tab says so)',
			async run() {
				await ndv.getByTestId('tab-settings').click();
				const version = await ndv.getByTestId('node-version').innerText();
				await ndv.getByTestId('tab-params').click();
				await param('imageUrl').waitFor();
				check(/\bversion 2\b/.test(version), 'the node creator did not add version 2', version);
			},
		},
	];
}

module.exports = { openNodeSteps };
