/**
 * The browser suite: what a user does in the n8n editor with this package, step by step, against
 * the fake Spacely server. Run by scripts/test-ui.js, which starts n8n, the fake server and
 * Chromium and hands them in. Selectors are n8n's data-test-id attributes (getByTestId) where the
 * editor has them, visible texts elsewhere.
 */
const { check } = require('./runner');
const { screenshot } = require('./browser');
// n8n's owner, as scripts/n8n-server.js sets it up over REST before the browser logs in.
const { OWNER } = require('../../scripts/n8n-server');

// The editor's first load (a large bundle, n8n warming up) may be slow on a busy CI machine.
const FIRST_LOAD_TIMEOUT_MS = 90_000;

const ROOM_PHOTO = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/cafe.jpg';
const PROMPT = 'industrial_loft';
const NEGATIVE_PROMPT = 'clutter, dark colors';
const KEY_REJECTED = 'The API key was rejected by Spacely. Copy it again from your Spacely account.';
const TESTED_OK = 'Connection tested successfully';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page
 * @param {string} ctx.n8nUrl
 * @param {{ url: string, requests: any[] }} ctx.fake   the fake Spacely server
 * @param {{ good: string, wrong: string }} ctx.keys    the fake server accepts `good` only
 * @param {(line: string) => void} ctx.log
 */
function spacelySteps({ page, n8nUrl, fake, keys, log }) {
	const ndv = page.getByTestId('ndv');
	const dialog = page.getByTestId('credential-edit-dialog');
	const param = (name) => page.getByTestId(`parameter-input-${name}`);
	const credentialTests = () => fake.requests.filter((r) => r.path === '/api/v1/generate/poll-result');
	const renders = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/generate/advance');
	const shot = async (target, name) => {
		await closeNotifications(page);
		await page.mouse.move(0, 0); // no hover or focus effects on the pictures
		log(`           screenshot: ${await screenshot(target, name)}`);
	};
	// The whole credential modal (title, Save button, form), for screenshots.
	const credentialModal = page.getByTestId('editCredential-modal');

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
			name: "finds the Spacely node by searching 'Spacely' in the node creator and adds Generate Advance (version 2: 'Redesign a room from a prompt')",
			async run() {
				await page.getByTestId('canvas-add-button').first().click();
				await page.getByTestId('node-creator-search-bar').fill('Spacely');
				const creator = page.getByTestId('node-creator');
				await creator.getByTestId('node-creator-item-name').getByText('Spacely', { exact: true }).click();
				await creator.getByText('Redesign a room from a prompt', { exact: true }).click();
				await ndv.waitFor();
				await page.getByTestId('parameter-input-imageUrl').waitFor();
				const operation = await param('operation').locator('input').inputValue();
				check(operation === 'Generate Advance', 'the node did not open on Generate Advance', operation);
			},
		},
		{
			name: 'a wrong API key: the credential dialog shows that Spacely rejected it',
			async run() {
				await createCredential(page);
				await dialog.waitFor();
				await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(keys.wrong);
				await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(fake.url);
				await page.getByTestId('credential-save-button').click();
				await dialog.getByText('Couldn’t connect with these settings').waitFor();
				await dialog.getByText('More details').click();
				await dialog.getByText(KEY_REJECTED).waitFor();
				await shot(credentialModal, 'credential-wrong-key');
				const tests = credentialTests();
				check(tests.length >= 1, 'n8n did not test the credential against the fake Spacely server', tests.length);
				const last = tests.at(-1);
				check(last.headers['x-api-key'] === keys.wrong && last.status === 401, 'the test did not send the wrong key', {
					key: last.headers['x-api-key'],
					status: last.status,
				});
			},
		},
		{
			name: 'the good API key: the credential test succeeds and the credential is saved',
			async run() {
				await dialog.getByTestId('parameter-input-apiKey').locator('input').fill(keys.good);
				await dialog.getByRole('button', { name: 'Retry' }).click();
				await dialog.getByTestId('credentials-config-container-test-success').getByText(TESTED_OK).waitFor();
				check(!(await dialog.getByText(KEY_REJECTED).isVisible()), 'the rejection message is still shown');
				// The Retry button is blank while it settles; the picture should show it.
				await dialog.getByText('Retry', { exact: true }).waitFor().catch(() => undefined);
				await page.waitForTimeout(500);
				await shot(credentialModal, 'credential-tested');
				const last = credentialTests().at(-1);
				check(last.headers['x-api-key'] === keys.good && last.status === 400, 'the test did not send the good key', {
					key: last.headers['x-api-key'],
					status: last.status,
				});
				const saveButton = page.getByTestId('credential-save-button');
				await saveButton.click();
				// n8n 2.41 closes the dialog once the credential is saved; n8n 2.8 keeps it open, its button saying "Saved".
				await Promise.any([dialog.waitFor({ state: 'hidden' }), saveButton.filter({ hasText: /^\s*Saved\s*$/ }).waitFor()]);
				if (await dialog.isVisible()) await credentialModal.locator('.el-dialog__headerbtn').click();
				await dialog.waitFor({ state: 'hidden' });
				await page.getByTestId('node-credentials-select').waitFor();
				const selected = await page.getByTestId('node-credentials-select').locator('input').inputValue();
				check(selected === 'Spacely account', 'the node does not use the new credential', selected);
			},
		},
		{
			name: 'fills Image URL, Renovate Type, Prompt and Negative Prompt',
			async run() {
				await fillText(param('imageUrl'), ROOM_PHOTO);
				await chooseOption(page, param('renovateType'), 'Commercial');
				await fillText(param('prompt'), PROMPT);
				await fillText(param('negativePrompt'), NEGATIVE_PROMPT);
				check((await param('model').locator('input').inputValue()) === 'Spacely V1', 'Model is not the default');
				check((await param('imageUrl').locator('input').inputValue()) === ROOM_PHOTO, 'Image URL did not take');
				await shot(ndv, 'node-parameters');
			},
		},
		{
			name: 'executes the node: the output panel shows the ref id the fake Spacely server issued',
			async run() {
				const before = renders().length;
				await ndv.getByTestId('node-execute-button').click();
				const output = page.getByTestId('output-panel');
				await output.getByTestId('ndv-items-count').or(output.getByTestId('run-data-item-count')).first().waitFor();
				check(renders().length === before + 1, 'the fake server did not get exactly one render request', renders().length - before);
				const refId = renders().at(-1).refId;
				check(typeof refId === 'string', 'the fake server issued no ref id', renders().at(-1).status);
				await output.getByTestId('radio-button-json').click();
				await output.getByText(refId).first().waitFor();
				const text = await output.innerText();
				check(/"refId":\s*"/.test(text) && UUID.test(text), 'the output panel shows no refId', text.slice(0, 500));
				check(text.includes(ROOM_PHOTO), 'the output panel does not show the image URL', text.slice(0, 500));
				await shot(page, 'node-output');
			},
		},
		{
			name: 'the fake Spacely server received one POST /api/v1/generate/advance with the filled fields',
			async run() {
				const all = renders();
				check(all.length === 1, 'expected exactly one render request', all.length);
				const [request] = all;
				check(request.headers['x-api-key'] === keys.good, 'the render was not sent with the good key');
				const expected = { model: 'spacely-v1', imageUrl: ROOM_PHOTO, prompt: PROMPT, nPrompt: NEGATIVE_PROMPT, renovateType: 'commercial' };
				for (const [field, value] of Object.entries(expected)) {
					check(request.body?.[field] === value, `the render request's ${field} is not ${JSON.stringify(value)}`, request.body);
				}
			},
		},
	];
}

/** Types into a parameter's text field and leaves it, so the editor stores the value. */
async function fillText(parameter, value) {
	const input = parameter.locator('input, textarea').first();
	await input.click();
	await input.fill(value);
	// Blur rather than Tab: Tab would open the next field's dropdown (Options → Add Option).
	await input.evaluate((element) => element.blur());
}

/**
 * Opens the dialog for a new credential of the node's type: n8n 2.41 shows a "Connect to Spacely"
 * button while none exists, n8n 2.8 a credential dropdown with "Create new credential".
 */
async function createCredential(page) {
	const connectButton = page.getByTestId('node-credentials-empty-state').getByRole('button').first();
	const dropdown = page.getByTestId('node-credentials-select');
	await connectButton.or(dropdown).first().waitFor();
	if (await connectButton.isVisible()) return await connectButton.click();
	await dropdown.click();
	await page.getByTestId('node-credentials-select-item-new').click();
}

/** Closes n8n's toasts ("Credential saved", "Node executed successfully") so they hide nothing. */
async function closeNotifications(page) {
	const close = page.locator('.el-notification .el-notification__closeBtn:visible');
	for (let i = (await close.count()) - 1; i >= 0; i--) await close.nth(i).click().catch(() => undefined);
	await page.locator('.el-notification:visible').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
}

/** Picks an option of a parameter's dropdown by its visible name. */
async function chooseOption(page, parameter, name) {
	await parameter.click();
	// Element Plus renders the options in a popper at the end of the page; the open one is visible.
	await page.locator('.el-select-dropdown__item:visible').filter({ hasText: name }).first().click();
	const value = await parameter.locator('input').inputValue();
	check(value === name, `the dropdown did not select ${name}`, value);
}

module.exports = { spacelySteps };
