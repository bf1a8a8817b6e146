import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S, downloadImages, waitForResult } from '../../renderResult';
import { renderKindOf } from '../../scheduling/pollSchedule';
import { keepingRefId, startRender } from '../../renders/startRender';
import { MODELS, RENOVATE_TYPES, modelField, promptField } from '../../renderVocabulary';
import { readText, requireOneOf, requirePublicUrl } from '../../validation';
import type { OptionValues } from './requestOptions';
import {
	downloadImagesField,
	optionsCollection,
	readOptions,
	requestOptionFields,
	requestOptionsFrom,
} from './requestOptions';

const showFor = { show: { operation: ['generateAdvance'] } };
const PATH = '/api/v1/generate/advance';
const DEFAULT_WAIT_TIMEOUT_S = 300;

export const description: INodeProperties[] = [
	{
		displayName: 'Each item starts one paid render on Spacely and spends credits',
		name: 'creditsNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor,
	},
	{ ...modelField, displayOptions: showFor },
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/photos/living-room.jpg',
		description: 'Link to the room photo. Spacely downloads it, so it must open in a browser without a login.',
		hint: 'Must be a public http(s) link, such as a shared image URL or a CDN link',
		displayOptions: showFor,
	},
	{
		displayName: 'Renovate Type',
		name: 'renovateType',
		type: 'options',
		required: true,
		default: 'residential',
		description: 'Whether the room is a home or a business space',
		options: [
			{ name: 'Commercial', value: 'commercial', description: 'Offices, shops, restaurants' },
			{ name: 'Residential', value: 'residential', description: 'Homes and apartments' },
		],
		displayOptions: showFor,
	},
	{ ...promptField, displayOptions: showFor },
	{
		displayName: 'Negative Prompt',
		name: 'negativePrompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. clutter, dark colors',
		description: 'What the render should avoid. Sent to Spacely as nPrompt.',
		displayOptions: showFor,
	},
	optionsCollection(showFor, [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to wait until the render is done and output its images (status and images fields), instead of only the ref ID',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_WAIT_TIMEOUT_S,
			description:
				'With Wait for Completion: how long to wait for the render. After that the item fails with its ref ID, so Get Result can fetch it later; it is never started again.',
		},
		{
			displayName: 'First Poll After (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: DEFAULT_POLL_INTERVAL_S,
			description:
				'With Wait for Completion: when to first ask whether the render is done, at the earliest. Later polls aim at when renders of this account were seen to finish.',
		},
		{
			...downloadImagesField,
			description: `${downloadImagesField.description} Needs Wait for Completion.`,
		},
		...requestOptionFields,
	]),
];

interface GenerateAdvanceBody extends IDataObject {
	model: string;
	imageUrl: string;
	prompt: string;
	nPrompt: string;
	renovateType: string;
}

/**
 * Reads and checks the item's parameters now; the function it returns starts the render (and,
 * with Wait for Completion, waits for it unless `stopWaiting` fires).
 */
export function prepare(
	ctx: IExecuteFunctions,
	itemIndex: number,
	stopWaiting?: AbortSignal,
): () => Promise<INodeExecutionData[]> {
	const body = readBody(ctx, itemIndex);
	const wait = readOptions(ctx, itemIndex);
	requireWaitForDownloads(ctx, itemIndex, wait);
	return async () => await render(ctx, itemIndex, body, wait, stopWaiting);
}

async function render(
	ctx: IExecuteFunctions,
	itemIndex: number,
	body: GenerateAdvanceBody,
	wait: OptionValues,
	stopWaiting?: AbortSignal,
): Promise<INodeExecutionData[]> {
	const requestOptions = requestOptionsFrom(wait);
	const refId = await startRender(ctx, itemIndex, PATH, body, requestOptions);
	const render: IDataObject = {
		refId,
		model: body.model,
		imageUrl: body.imageUrl,
		prompt: body.prompt,
		renovateType: body.renovateType,
	};

	if (!wait.waitForCompletion) return [{ json: render }];
	return await keepingRefId(ctx, itemIndex, refId, async () => {
		const result = await waitForResult(ctx, refId, itemIndex, {
			maxRequestsPerSecond: requestOptions.maxRequestsPerSecond,
			timeoutMs: requestOptions.timeoutMs,
			waitTimeoutMs: (wait.waitTimeout ?? DEFAULT_WAIT_TIMEOUT_S) * 1000,
			pollIntervalMs: (wait.pollInterval ?? DEFAULT_POLL_INTERVAL_S) * 1000,
			stopWaiting,
			renderKind: renderKindOf(PATH, body),
		});
		const json = { ...render, status: result.status, images: result.images };
		if (wait.downloadImages) return await downloadImages(ctx, result, json, itemIndex);
		return [{ json }];
	});
}

function requireWaitForDownloads(ctx: IExecuteFunctions, itemIndex: number, wait: OptionValues) {
	if (wait.downloadImages && !wait.waitForCompletion) {
		throw new NodeOperationError(ctx.getNode(), 'Download Images needs Wait for Completion', {
			itemIndex,
			description:
				'The images exist only once the render is done. Turn on Options → Wait for Completion too, or download them later with Get Result.',
		});
	}
}

function readBody(ctx: IExecuteFunctions, itemIndex: number): GenerateAdvanceBody {
	const text = (name: string) => readText(ctx, name, itemIndex);
	const body: GenerateAdvanceBody = {
		model: text('model'),
		imageUrl: text('imageUrl'),
		prompt: text('prompt'),
		nPrompt: text('negativePrompt'),
		renovateType: text('renovateType'),
	};
	requireOneOf(ctx, itemIndex, 'Model', body.model, MODELS);
	requirePublicUrl(ctx, itemIndex, 'Image URL', body.imageUrl, 'the room photo');
	requireOneOf(ctx, itemIndex, 'Renovate Type', body.renovateType, RENOVATE_TYPES);
	return body;
}
