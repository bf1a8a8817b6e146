/**
 * What the browser suite does in n8n's editor again and again: fill a field, pick from a dropdown,
 * read the parameter panel as it is shown, open a collection's "Add Setting" list, read a field's
 * tooltip. Selectors are n8n's data-test-id attributes (getByTestId) where the editor has them;
 * a parameter's label is `label[for=<parameter name>]`.
 */
const { check } = require('./runner');

/** Types into a parameter's text field and leaves it, so the editor stores the value. */
async function fillText(parameter, value) {
	const input = parameter.locator('input, textarea').first();
	await input.click();
	await input.fill(value);
	// Blur rather than Tab: Tab would open the next field's dropdown.
	await input.evaluate((element) => element.blur());
}

/**
 * The options of one dropdown (a parameter's or an "Add Setting" list). Element Plus renders them in
 * a popper at the end of the page, named by the input's aria-controls; going by that name keeps a
 * list that is still fading out from being read instead.
 */
async function optionsOf(page, select) {
	const list = await select.locator('input[aria-controls]').first().getAttribute('aria-controls');
	return page.locator(`[id="${list}"] .el-select-dropdown__item`);
}

/** Opens a dropdown and returns its options once they show. */
async function openOptions(page, select) {
	const options = await optionsOf(page, select);
	await select.click();
	await options.first().waitFor();
	return options;
}

/** Closes an open dropdown without choosing. */
async function closeOptions(page, options) {
	await page.keyboard.press('Escape');
	await options.first().waitFor({ state: 'hidden' });
}

/** The names of the options a parameter's dropdown offers (without their descriptions); closes it again. */
async function optionNames(page, select) {
	const options = await openOptions(page, select);
	const texts = await options.allInnerTexts();
	await closeOptions(page, options);
	return texts.map((text) => text.split('\n')[0].trim());
}

/** Picks an option of a parameter's dropdown by its visible name. */
async function chooseOption(page, parameter, name) {
	const options = await openOptions(page, parameter);
	await options.filter({ hasText: name }).first().click();
	await options.first().waitFor({ state: 'hidden' });
	const value = await parameter.locator('input').inputValue();
	check(value === name, `the dropdown did not select ${name}`, value);
}

/** Adds an option to a multi-options parameter; the list stays open for more, so it is closed after. */
async function addMultiOption(page, parameter, name) {
	const options = await openOptions(page, parameter);
	await options.filter({ hasText: name }).first().click();
	await closeOptions(page, options);
}

/**
 * The parameter panel from top to bottom as the user sees it: the names of the visible parameters
 * (a collection's own settings included), with 'notice' where a notice stands.
 */
async function visibleParameters(page) {
	return await page.getByTestId('node-parameters').evaluate((panel) =>
		[...panel.querySelectorAll('label[for], .notice')]
			.filter((element) => element.checkVisibility())
			.map((element) => (element.matches('.notice') ? 'notice' : element.getAttribute('for'))),
	);
}

/** A collection parameter (such as Wait Settings) by its name. */
function collection(page, name) {
	return page.getByTestId('parameter-item').filter({ has: page.locator(`label[for="${name}"]`) });
}

/** The settings a collection's "Add Setting" list offers; closes the list again. */
async function collectionOptions(page, name) {
	return await optionNames(page, collection(page, name).getByTestId('collection-parameter-add'));
}

/** Adds one setting to a collection through its "Add Setting" list. */
async function addCollectionOption(page, name, option) {
	const options = await openOptions(page, collection(page, name).getByTestId('collection-parameter-add'));
	await options.filter({ hasText: option }).first().click();
	await options.first().waitFor({ state: 'hidden' });
}

/**
 * What the user can read of a parameter: its label (and whether it is cut off) and the tooltip its
 * info icon shows on hover (whether the tooltip is cut off by its own box or by the window).
 * `whileShown` runs while the tooltip is open, e.g. to take a screenshot of it.
 */
async function readParameterHelp(page, name, whileShown) {
	const label = page.locator(`label[for="${name}"]`);
	await label.scrollIntoViewIfNeeded();
	await label.hover(); // the info icon appears only while the label is hovered
	await label.locator('[class*="infoIcon"] > span').hover();
	const tooltip = page.locator('.n8n-tooltip:visible').last();
	await tooltip.waitFor();
	const labelText = await label.locator('.n8n-text').first().evaluate((element) => ({
		text: element.textContent.trim(),
		cutOff: element.scrollWidth > element.clientWidth + 1,
	}));
	const tooltipText = await tooltip.evaluate((element) => {
		const box = element.getBoundingClientRect();
		const outsideWindow = box.top < 0 || box.left < 0 || box.bottom > innerHeight || box.right > innerWidth;
		const overflows = element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1;
		return { text: element.innerText.trim(), cutOff: outsideWindow || overflows };
	});
	if (whileShown) await whileShown();
	await page.mouse.move(0, 0);
	await tooltip.waitFor({ state: 'hidden' });
	return { label: labelText, tooltip: tooltipText };
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

module.exports = {
	fillText,
	optionNames,
	chooseOption,
	addMultiOption,
	visibleParameters,
	collection,
	collectionOptions,
	addCollectionOption,
	readParameterHelp,
	createCredential,
	closeNotifications,
};
