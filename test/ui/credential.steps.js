/**
 * Browser suite, the credential: the form with the account budget fields, a wrong API key that
 * the credential test rejects, then the good key, tested and saved.
 */
const { check } = require('./runner');
const { createCredential } = require('./editor');

const KEY_REJECTED = 'The API key was rejected by Spacely. Copy it again from your Spacely account.';
const TESTED_OK = 'Connection tested successfully';
// The account budget fields and their defaults (nodes/Spacely/accountBudget.ts).
const BUDGET_FIELDS = [
	{ name: 'requestsPerSecond', label: 'Requests per Second', value: '50' },
	{ name: 'n8nProcesses', label: 'n8n Processes Using This Key', value: '1' },
];

/** @param {import('./spacely.ui').Ui} ui */
function credentialSteps({ page, fake, keys, shot }) {
	const dialog = page.getByTestId('credential-edit-dialog');
	// The whole credential modal (title, Save button, form), for screenshots.
	const credentialModal = page.getByTestId('editCredential-modal');
	const credentialTests = () => fake.requests.filter((r) => r.path === '/api/v1/generate/poll-result');

	return [
		{
			name: 'the credential form shows Requests per Second and n8n Processes Using This Key with their defaults',
			async run() {
				await createCredential(page);
				await dialog.waitFor();
				for (const { name, label, value } of BUDGET_FIELDS) {
					const field = dialog.getByTestId(`parameter-input-${name}`);
					await field.waitFor();
					// Each credential field sits in a box whose test id is the field's name.
					const labelText = await dialog.getByTestId(name).locator('label').first().innerText();
					const shownLabel = labelText.split('\n')[0].trim(); // without the Fixed / Expression switch
					const shownValue = await field.locator('input').inputValue();
					check(shownLabel === label && shownValue === value, `the credential form does not show ${label} = ${value}`, {
						label: shownLabel,
						value: shownValue,
					});
				}
			},
		},
		{
			name: 'a wrong API key: the credential dialog shows that Spacely rejected it',
			async run() {
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
	];
}

module.exports = { credentialSteps };
