/**
 * The browser suite: what a user does in the n8n editor with this package, step by step, against
 * the fake Spacely server. Run by scripts/test-ui.js, which starts n8n, the fake server and
 * Chromium and hands them in. The steps share one page and build on each other, in this order:
 *
 *   open-node.steps.js   sign in, new workflow, add the node from the node creator (version 2)
 *   panel.steps.js       the version-2 panel: field order, Output, Wait and Request Settings, help texts
 *   credential.steps.js  the credential form, a wrong key, the good key
 *   execute.steps.js     fill, execute with Image Files, the output panel, what the fake server got
 *
 * Selectors are n8n's data-test-id attributes (getByTestId) where the editor has them, visible
 * texts elsewhere (test/ui/editor.js).
 */
const { screenshot } = require('./browser');
const { closeNotifications } = require('./editor');
const { openNodeSteps } = require('./open-node.steps');
const { panelSteps } = require('./panel.steps');
const { credentialSteps } = require('./credential.steps');
const { executeSteps } = require('./execute.steps');

/**
 * What every step group gets.
 * @typedef {object} Ui
 * @property {import('playwright-core').Page} page
 * @property {string} n8nUrl
 * @property {{ url: string, requests: any[] }} fake   the fake Spacely server (test/fake-spacely/server.js)
 * @property {{ good: string, wrong: string }} keys   the fake server accepts `good` only
 * @property {(line: string) => void} log
 * @property {import('playwright-core').Locator} ndv   the node's panel (node details view)
 * @property {(name: string) => import('playwright-core').Locator} param   a parameter's input, by its name
 * @property {(target: import('playwright-core').Page | import('playwright-core').Locator, name: string) => Promise<void>} shot
 *   a screenshot without toasts, hover or focus effects
 */

/**
 * @param {object} ctx
 * @param {import('playwright-core').Page} ctx.page
 * @param {string} ctx.n8nUrl
 * @param {Ui['fake']} ctx.fake
 * @param {{ good: string, wrong: string }} ctx.keys
 * @param {(line: string) => void} ctx.log
 */
function spacelySteps({ page, n8nUrl, fake, keys, log }) {
	/** @type {Ui} */
	const ui = {
		page,
		n8nUrl,
		fake,
		keys,
		log,
		ndv: page.getByTestId('ndv'),
		param: (name) => page.getByTestId(`parameter-input-${name}`),
		async shot(target, name) {
			await closeNotifications(page);
			await page.mouse.move(0, 0); // no hover or focus effects on the pictures
			log(`           screenshot: ${await screenshot(target, name)}`);
		},
	};
	return [...openNodeSteps(ui), ...panelSteps(ui), ...credentialSteps(ui), ...executeSteps(ui)];
}

module.exports = { spacelySteps };
