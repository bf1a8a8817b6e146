/**
 * Browser suite, the version-2 parameter panel as a user sees it on Render → Generate Standard:
 * the photo first, one Output choice, wait settings only while the output waits, throughput
 * settings apart, numbers and help texts that read well.
 */
const { check } = require('./runner');
const { screenshot } = require('./browser');
const {
	addCollectionOption,
	chooseOption,
	collectionOptions,
	optionNames,
	readParameterHelp,
	visibleParameters,
} = require('./editor');

const OUTPUTS = ['Image Files', 'Image Links', 'Ref ID Only'];
const WAIT_SETTINGS = ['Max Wait (Seconds)', 'First Check After (Seconds)'];
const REQUEST_SETTINGS = [
	'Max Concurrent Requests',
	'Request Timeout (Seconds)',
	'Max Paid Renders per Run',
	'Resend After Server Error',
];
// The whole warning, to its last word: it used to be cut off.
const RESEND_HELP =
	'Whether to send the render again after a 5xx answer, a timeout or a network error. Risk: the first request may have started a render already, so the item can be charged twice.';

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** @param {import('./spacely.ui').Ui} ui */
function panelSteps({ page, param, log }) {
	return [
		{
			name: 'the panel: the credits notice after Operation, then Image URL; Output, Wait Settings and Request Settings last',
			async run() {
				const shown = await visibleParameters(page);
				const notice = shown.indexOf('notice');
				check(notice > 0 && shown[notice - 1] === 'operation', 'the credits notice does not follow Operation', shown);
				check(shown[notice + 1] === 'imageUrl', 'Image URL is not the first field after the notice', shown);
				check(same(shown.slice(-3), ['output', 'waitSettings', 'requestSettings']), 'the panel does not end with the output and settings', shown);
			},
		},
		{
			name: 'Output is Image Files by default; Wait Settings shows while the output waits and is gone with Ref ID Only',
			async run() {
				const output = param('output');
				const chosen = await output.locator('input').inputValue();
				check(chosen === 'Image Files', 'Output does not default to Image Files', chosen);
				const offered = await optionNames(page, output);
				check(same(offered, OUTPUTS), 'Output does not offer the three outputs', offered);
				for (const name of ['Image Links', 'Ref ID Only', 'Image Files']) {
					await chooseOption(page, output, name);
					const shown = await visibleParameters(page);
					const waits = name !== 'Ref ID Only';
					check(shown.includes('waitSettings') === waits, `Wait Settings is ${waits ? 'missing' : 'shown'} with Output ${name}`, shown);
					check(shown.includes('requestSettings'), `Request Settings is missing with Output ${name}`, shown);
				}
			},
		},
		{
			name: "Wait Settings offers Max Wait and First Check After, which shows '3'; Request Settings holds the throughput settings",
			async run() {
				const wait = await collectionOptions(page, 'waitSettings');
				check(same(wait, WAIT_SETTINGS), 'Wait Settings does not offer Max Wait and First Check After', wait);
				await addCollectionOption(page, 'waitSettings', 'First Check After');
				const firstCheck = await param('firstCheckAfter').locator('input').inputValue();
				check(firstCheck === '3', "First Check After does not show '3'", firstCheck);
				const request = await collectionOptions(page, 'requestSettings');
				check(same(request, REQUEST_SETTINGS), 'Request Settings does not hold the throughput settings', request);
			},
		},
		{
			name: 'Resend After Server Error: its label and its whole warning (tooltip of the info icon) are readable',
			async run() {
				await addCollectionOption(page, 'requestSettings', 'Resend After Server Error');
				const help = await readParameterHelp(page, 'retryServerErrors', async () => {
					log(`           screenshot: ${await screenshot(page, 'resend-after-server-error-tooltip')}`);
				});
				check(help.label.text === 'Resend After Server Error' && !help.label.cutOff, 'the label is not shown whole', help.label);
				check(help.tooltip.text === RESEND_HELP, 'the tooltip does not show the whole warning', help.tooltip.text);
				check(!help.tooltip.cutOff, 'the tooltip is cut off (by its box or by the window)', help.tooltip);
			},
		},
	];
}

module.exports = { panelSteps };
