import type { IExecuteFunctions } from 'n8n-workflow';

import { fetchResult } from '../../../renderResult';
import { readText, requireNotEmpty } from '../../../validation';
import { OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS, requestSettingsField } from '../fields';
import type { OperationModule } from '../operation';
import { showFor } from '../operation';
import { resultItems } from '../runRender';
import { readOutput, readRequestSettings } from '../settings';

const show = showFor('result', 'get');

export const option: OperationModule['option'] = {
	name: 'Get',
	value: 'get',
	description: 'Get the status and images of a render by its ref ID, without waiting',
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
		description: 'What to output for each item. A render that is not done yet gives its status and no images.',
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
	requestSettingsField(false, show),
];

export function prepare(ctx: IExecuteFunctions, itemIndex: number) {
	const refId = readText(ctx, 'refId', itemIndex);
	requireNotEmpty(ctx, itemIndex, 'Ref ID', refId);
	const asFiles = readOutput(ctx, itemIndex, [OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS]) === OUTPUT_IMAGE_FILES;
	const { timeoutMs } = readRequestSettings(ctx, itemIndex);
	return async () => {
		const result = await fetchResult(ctx, refId, itemIndex, { timeoutMs });
		return await resultItems(ctx, itemIndex, result, asFiles);
	};
}
