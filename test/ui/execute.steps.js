/**
 * Browser suite, the run: fill the Generate Standard fields, execute with Output Image Files, and
 * check what the output panel shows (4 image items with their files) and what the fake Spacely
 * server received (exactly the documented body of POST /generate/standard).
 */
const { check } = require('./runner');
const { VIEWPORT } = require('./browser');
const { addMultiOption, chooseOption, fillText } = require('./editor');

const ROOM_PHOTO = 'https://storage.googleapis.com/spacely/public/image/roomstyle3/cafe.jpg';
// The body spacely-api.md documents for POST /generate/standard, with what the steps fill in.
const DOCUMENTED_BODY = {
	model: 'spacely-v1',
	imageUrl: ROOM_PHOTO,
	spaceType: 'bedroom',
	spaceStyle: 'industrial_loft',
	spaceColor: 'set_2',
	renovateType: 'residential',
	styleUrl: '',
	materialsIds: ['porcelain_tile'],
};
// The size of docs/node-panel.png, the README's picture of the panel (copied from the screenshot by hand).
const README_VIEWPORT = { width: 1200, height: 800 };
const TALL_VIEWPORT = { width: VIEWPORT.width, height: 2400 };

/** JSON with its keys sorted, to compare objects whatever their key order. */
const canonical = (value) => JSON.stringify(value, Object.keys(value).sort());

/** Scrolls the panel that holds `element` back to its top (the picture starts at the credential). */
async function scrollToTop(element) {
	await element.evaluate((start) => {
		for (let box = start; box; box = box.parentElement) {
			if (box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY)) box.scrollTop = 0;
		}
	});
}

/** @param {import('./spacely.ui').Ui} ui */
function executeSteps({ page, fake, keys, ndv, param, shot }) {
	const output = page.getByTestId('output-panel');
	const renders = () => fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v1/generate/'));

	return [
		{
			name: 'fills Image URL, Space Type, Space Style, Color Set and Materials',
			async run() {
				await fillText(param('imageUrl'), ROOM_PHOTO);
				await chooseOption(page, param('spaceType'), 'Bedroom');
				await chooseOption(page, param('spaceStyle'), 'Industrial Loft');
				await chooseOption(page, param('spaceColor'), 'Set 2');
				await addMultiOption(page, param('materialsIds'), 'Porcelain Tile');
				check((await param('model').locator('input').inputValue()) === 'Spacely V1', 'Model is not the default');
				check((await param('imageUrl').locator('input').inputValue()) === ROOM_PHOTO, 'Image URL did not take');
				await shot(ndv, 'node-parameters');
				await page.setViewportSize(README_VIEWPORT);
				await scrollToTop(page.getByTestId('node-parameters'));
				await shot(ndv, 'node-panel');
				await page.setViewportSize(VIEWPORT);
			},
		},
		{
			name: 'executes with Output Image Files: the output panel shows 4 items, each with its image file "data"',
			async run() {
				await ndv.getByTestId('node-execute-button').click();
				await output.getByTestId('ndv-items-count').or(output.getByTestId('run-data-item-count')).first().waitFor();
				const count = await output.getByTestId('ndv-items-count').or(output.getByTestId('run-data-item-count')).first().innerText();
				check(/^\s*4 items\s*$/.test(count), 'the output panel does not show 4 items', count);
				await output.getByTestId('radio-button-binary').click();
				const files = output.locator('[data-test-id^="ndv-binary-data_"]');
				await files.first().waitFor();
				const shown = await files.allInnerTexts();
				check(shown.length === 4, 'the Binary view does not show 4 files', shown.length);
				for (const [index, text] of shown.entries()) {
					const [field] = text.trim().split('\n');
					check(field === 'data' && text.includes('image/png'), `item ${index + 1} has no PNG in the binary field "data"`, text);
				}
				await shot(page, 'node-output-binary');
			},
		},
		{
			name: 'the JSON view: 4 items, each leading with the renderedImageUrl of its own image',
			async run() {
				await output.getByTestId('radio-button-json').click();
				const container = output.getByTestId('ndv-data-container');
				await container.getByText('renderedImageUrl').first().waitFor();
				await shot(page, 'node-output-json');
				// The JSON view draws only the lines in sight: a window tall enough shows all 4 items.
				await page.setViewportSize(TALL_VIEWPORT);
				let text;
				try {
					await container.getByText('-4.png').first().waitFor();
					// No value here holds a space, so dropping the view's whitespace leaves the JSON itself.
					text = (await container.innerText()).replace(/\s+/g, '');
				} finally {
					await page.setViewportSize(VIEWPORT);
				}
				let items;
				try {
					items = JSON.parse(text);
				} catch {
					check(false, 'the JSON view does not hold the output as JSON', text.slice(0, 300));
				}
				const refId = renders().at(-1)?.refId;
				check(items.length === 4, 'the JSON view does not show 4 items', items.length);
				for (const [index, item] of items.entries()) {
					const first = Object.keys(item)[0];
					check(first === 'renderedImageUrl', `item ${index + 1} does not start with renderedImageUrl`, Object.keys(item));
					const url = `${fake.url}/renders/${refId}-${index + 1}.png`;
					check(item.renderedImageUrl === url && item.refId === refId, `item ${index + 1} is not image ${index + 1} of the render`, item);
				}
			},
		},
		{
			name: 'the fake Spacely server received one POST /api/v1/generate/standard with exactly the documented body',
			async run() {
				const all = renders();
				check(all.length === 1, 'expected exactly one render request', all.map((r) => r.path));
				const [request] = all;
				check(request.path === '/api/v1/generate/standard', 'the render went to another endpoint', request.path);
				check(request.headers['x-api-key'] === keys.good, 'the render was not sent with the good key');
				check(request.status === 200, 'the fake server did not accept the render', { status: request.status, body: request.rawBody });
				check(canonical(request.body) === canonical(DOCUMENTED_BODY), 'the render body is not the documented one', request.body);
				const downloads = fake.requests.filter((r) => r.path.startsWith(`/renders/${request.refId}-`));
				check(downloads.length === 4, 'the node did not download the 4 images once each', downloads.length);
			},
		},
	];
}

module.exports = { executeSteps };
