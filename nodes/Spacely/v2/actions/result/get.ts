import type { IExecuteFunctions } from 'n8n-workflow';

import { fetchResult } from '../../../renderResult';
import { readText, requireNotEmpty } from '../../../validation';
import { OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS, requestSettingsField, waitSettingsField } from '../fields';
import type { OperationModule } from '../operation';
import { showFor } from '../operation';
import { resultItems, waitAndOutput } from '../runRender';
import { readOutput, readRequestSettings, readWaitSettings } from '../settings';

const show = showFor('result', 'get');

/**
 * Get's waits learn render times apart from the render operations': their clock starts when Get
 * starts waiting, which may be long after the render started, so they would make renders look
 * shorter than they are.
 */
const GET_RENDER_KIND = 'result.get';

export const option: OperationModule['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get the status and images of a render by its ref ID, at once or when it is done',
	action: 'Get the result of a render',
};

export const description: OperationModule['description'] = [
	{
		displayName: 'Ref ID',
		name: 'refId',
		type: 'string',
		required: true,
		default: '={{ $json.refId }}',
		placeholder: 'e.g. 63d17492-43d9-4161-0000-b067be1316dc',
		description: 'The ref ID that a render operation returned',
		displayOptions: show,
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		default: OUTPUT_IMAGE_LINKS,
		description:
			'What to output for each item. Without Wait Until Done, a render that is not done yet gives its status and no images.',
		options: [
			{
				name: 'Image Files',
				value: OUTPUT_IMAGE_FILES,
				description: 'One item per image with the file in the binary field "data"',
			},
			{
				name: 'Image Links',
				value: OUTPUT_IMAGE_LINKS,
				description: 'One item with the status and image links',
			},
		],
		displayOptions: show,
	},
	{
		displayName: 'Wait Until Done',
		name: 'waitUntilDone',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait for renders that are still running and output their images when done, as a render operation does. Waiting costs no credits.',
		hint: 'Off: outputs the status at once. On: waits up to Wait Settings → Max Wait (5 minutes unless set).',
		displayOptions: show,
	},
	waitSettingsField(show, { waitUntilDone: [true] }),
	requestSettingsField(false, show),
];

export function prepare(ctx: IExecuteFunctions, itemIndex: number, stopWaiting: AbortSignal) {
	const refId = readText(ctx, 'refId', itemIndex);
	requireNotEmpty(ctx, itemIndex, 'Ref ID', refId);
	const asFiles = readOutput(ctx, itemIndex, [OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS]) === OUTPUT_IMAGE_FILES;
	const requestOptions = readRequestSettings(ctx, itemIndex);
	// Saved before this field existed: returns at once, as it did.
	if (ctx.getNodeParameter('waitUntilDone', itemIndex, false) !== true) {
		return async () => {
			const result = await fetchResult(ctx, refId, itemIndex, { timeoutMs: requestOptions.timeoutMs });
			return await resultItems(ctx, itemIndex, result, { asFiles, timeoutMs: requestOptions.timeoutMs });
		};
	}
	const wait = readWaitSettings(ctx, itemIndex);
	return async () =>
		await waitAndOutput(ctx, itemIndex, refId, {
			requestOptions,
			wait,
			stopWaiting,
			renderKind: GET_RENDER_KIND,
			asFiles,
		});
}
