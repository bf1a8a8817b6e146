import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadImages, fetchResult } from '../../renderResult';
import {
	downloadImagesField,
	optionsCollection,
	readOptions,
	requestOptionFields,
	requestOptionsFrom,
} from './requestOptions';

const showFor = { show: { operation: ['getResult'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Ref ID',
		name: 'refId',
		type: 'string',
		required: true,
		default: '={{ $json.refId }}',
		placeholder: 'e.g. 63d17492-43d9-4161-0000-b067be1316dc',
		description: 'The ref ID that Generate Advance returned for the render',
		displayOptions: showFor,
	},
	optionsCollection(showFor, [
		downloadImagesField,
		// Polls never start a render, so they are always retried after a server error.
		...requestOptionFields.filter((field) => field.name !== 'retryServerErrors'),
	]),
];

/** Reads and checks the item's parameters now; the function it returns fetches the result. */
export function prepare(ctx: IExecuteFunctions, itemIndex: number): () => Promise<INodeExecutionData[]> {
	const refId = String(ctx.getNodeParameter('refId', itemIndex, '') ?? '').trim();
	if (refId === '') {
		throw new NodeOperationError(ctx.getNode(), `Ref ID is empty [item ${itemIndex}]`, {
			itemIndex,
			description:
				'Map the refId field from a Generate Advance step, e.g. {{ $json.refId }}, or paste a ref ID.',
		});
	}
	const options = readOptions(ctx, itemIndex);
	return async () => {
		const result = await fetchResult(ctx, refId, itemIndex, requestOptionsFrom(options));
		const json = { refId: result.refId, status: result.status, images: result.images };
		if (options.downloadImages && result.images.length > 0) return await downloadImages(ctx, result, json, itemIndex);
		return [{ json }];
	};
}
