import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S } from '../../renderResult';

/** Fields that several version-2 operations share; each operation shows its own copy. */

type DisplayOptions = INodeProperties['displayOptions'];

export const DEFAULT_MAX_WAIT_S = 300;
export const MAX_CONCURRENCY = 100;
/**
 * Measured (BENCHMARK.md, 100 renders of 10 s, budget 50/s): with Spacely answering in 0.5 s, 10
 * slots let only 20 requests a second out and the batch took 1.36x the physical limit; 25 and 50
 * slots kept the budget busy (1.10x and 1.05x). With 0.1 s answers all three were within 1.1x.
 * Slots must cover the budget times the answer time, so 50 (the default budget) holds up to 1 s
 * answers. The budget still caps the rate, and downloads stream, so more slots cost little memory.
 * Version 1 keeps its 10: its saved workflows run as they did.
 */
export const DEFAULT_MAX_CONCURRENCY = 50;

/** The values Spacely's docs give as examples: the dropdowns offer them, expressions may give others. */
export const SPACE_TYPES = ['bathroom', 'bedroom', 'kitchen', 'living_room'];

export function creditsNotice(displayOptions: DisplayOptions): INodeProperties {
	return {
		displayName: 'Each item starts one paid render on Spacely and spends credits',
		name: 'creditsNotice',
		type: 'notice',
		default: '',
		displayOptions,
	};
}

export function urlField(
	name: string,
	displayName: string,
	description: string,
	placeholder: string,
	displayOptions: DisplayOptions,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${placeholder}`,
		description: `${description} Spacely downloads it, so it must be a public http(s) link that opens in a browser without a login`,
		hint: 'Must be a public http(s) link, such as a shared image URL or a CDN link',
		displayOptions,
	};
}

export function roomPhotoField(displayOptions: DisplayOptions): INodeProperties {
	return urlField(
		'imageUrl',
		'Image URL',
		'Link to the room photo.',
		'https://example.com/photos/living-room.jpg',
		displayOptions,
	);
}

export const RENOVATE_TYPES_WITH_EXTERIOR = ['residential', 'commercial', 'exterior'];

/** Documented values: residential and commercial everywhere, exterior where the docs list it. */
export function renovateTypeField(withExterior: boolean, displayOptions: DisplayOptions): INodeProperties {
	return {
		displayName: 'Renovate Type',
		name: 'renovateType',
		type: 'options',
		required: true,
		default: 'residential',
		description: 'Whether the photo shows a home, a business space or the outside of a building',
		options: [
			{
				name: 'Commercial',
				value: 'commercial',
				description: 'Offices, shops, restaurants',
			},
			...(withExterior
				? [
						{
							name: 'Exterior',
							value: 'exterior',
							description: 'The outside of a building',
						},
					]
				: []),
			{
				name: 'Residential',
				value: 'residential',
				description: 'Homes and apartments',
			},
		],
		displayOptions,
	};
}

export function spaceTypeField(displayOptions: DisplayOptions): INodeProperties {
	return {
		displayName: 'Space Type',
		name: 'spaceType',
		type: 'options',
		required: true,
		default: 'living_room',
		description:
			'What kind of room the photo shows. Other values that Spacely supports can be given with an expression.',
		options: SPACE_TYPES.map((value) => ({ name: titleOf(value), value })),
		displayOptions,
	};
}

/** "living_room" → "Living Room" */
export function titleOf(value: string): string {
	return value
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export const OUTPUT_IMAGE_FILES = 'imageFiles';
export const OUTPUT_IMAGE_LINKS = 'imageLinks';
export const OUTPUT_REF_ID = 'refId';

/** What a render operation outputs: the choice that decides whether it waits and downloads. */
export function outputField(displayOptions: DisplayOptions): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		default: OUTPUT_IMAGE_FILES,
		description: 'What to output for each item',
		options: [
			{
				name: 'Image Files',
				value: OUTPUT_IMAGE_FILES,
				description: 'Wait for the render, then output one item per image with the file in the binary field "data"',
			},
			{
				name: 'Image Links',
				value: OUTPUT_IMAGE_LINKS,
				description: 'Wait for the render, then output one item with the links to its images',
			},
			{
				name: 'Ref ID Only',
				value: OUTPUT_REF_ID,
				description: 'Output the ref ID at once, without waiting. Get the images later with Result → Get.',
			},
		],
		displayOptions,
	};
}

type ShowWhen = NonNullable<DisplayOptions>['show'];

/** Shown only when the node waits for the render: by default, when the output waits for it. */
export function waitSettingsField(
	displayOptions: DisplayOptions,
	whenWaiting: ShowWhen = { output: [OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS] },
): INodeProperties {
	return {
		displayName: 'Wait Settings',
		name: 'waitSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: {
			show: {
				...displayOptions?.show,
				...whenWaiting,
			},
		},
		options: [
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWait',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_WAIT_S,
				description:
					'How long to wait for the render to be done. After that the item fails with its ref ID, so Result → Get can fetch it later; it is never started again.',
			},
			{
				displayName: 'First Check After (Seconds)',
				name: 'firstCheckAfter',
				type: 'number',
				typeOptions: { minValue: 0.1 },
				default: DEFAULT_POLL_INTERVAL_S,
				description:
					'When to first ask Spacely whether the render is done, at the earliest. Later checks aim at when renders of this account were seen to finish.',
			},
		],
	};
}

/** Throughput and retry settings, apart from the everyday fields. */
export function requestSettingsField(startsRender: boolean, displayOptions: DisplayOptions): INodeProperties {
	const resend: INodeProperties = {
		displayName: 'Resend After Server Error',
		name: 'retryServerErrors',
		type: 'boolean',
		default: false,
		description:
			'Whether to send the render again after a 5xx answer, a timeout or a network error. Risk: the first request may have started a render already, so the item can be charged twice.',
	};
	const maxPaidRenders: INodeProperties = {
		displayName: 'Max Paid Renders per Run',
		name: 'maxPaidRenders',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 100,
		description:
			'A spend guard: when more items than this reach the node in one run, it fails before sending anything, and no credits are spent. Each item starts one paid render.',
	};
	return {
		displayName: 'Request Settings',
		name: 'requestSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
				default: DEFAULT_MAX_CONCURRENCY,
				description:
					'How many requests (renders started, checks, image downloads) are out to Spacely at once. Renders being waited for do not count. The requests per second for the account are set in the credential; lower this only to spare a slow network.',
			},
			{
				displayName: 'Request Timeout (Seconds)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 60,
				description: 'How long to wait for Spacely to answer one request, and for each image file to download',
			},
			...(startsRender ? [maxPaidRenders, resend] : []),
		],
	};
}
