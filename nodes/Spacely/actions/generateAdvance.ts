import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S, downloadImages, waitForResult } from '../renderResult';
import { RENDER_MAY_HAVE_STARTED, asNodeError, unexpectedResponseError } from '../transport/errors';
import { spacelyRequest } from '../transport/request';
import type { OptionValues } from './requestOptions';
import {
	downloadImagesField,
	optionsCollection,
	readOptions,
	requestOptionFields,
	requestOptionsFrom,
} from './requestOptions';

export const MODELS = ['spacely-v1', 'spacely-unfurnished-space', 'spacely-style-transfer'];
export const RENOVATE_TYPES = ['residential', 'commercial'];

const showFor = { show: { operation: ['generateAdvance'] } };
const DEFAULT_WAIT_TIMEOUT_S = 300;

export const description: INodeProperties[] = [
	{
		displayName: 'Each item starts one paid render on Spacely and spends credits',
		name: 'creditsNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor,
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		required: true,
		default: 'spacely-v1',
		description: 'The Spacely AI model that redesigns the room',
		options: [
			{
				name: 'Spacely Style Transfer',
				value: 'spacely-style-transfer',
				description: 'Carries a style over onto the room',
			},
			{
				name: 'Spacely Unfurnished Space',
				value: 'spacely-unfurnished-space',
				description: 'Furnishes an empty room',
			},
			{
				name: 'Spacely V1',
				value: 'spacely-v1',
				description: 'Redesigns a furnished room (the general-purpose model)',
			},
		],
		displayOptions: showFor,
	},
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
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		default: '',
		placeholder: 'e.g. mid_century',
		description:
			'The style to redesign the room in (such as mid_century, modern or scandinavian) or a short instruction. Leave empty to let Spacely choose.',
		displayOptions: showFor,
	},
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
				'With Wait for Completion: when to first ask whether the render is done. Later polls come less and less often (up to every 30 seconds).',
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
	const response = await spacelyRequest(
		ctx,
		{ method: 'POST', path: '/api/v1/generate/advance', body, ...requestOptions },
		itemIndex,
	);
	if (typeof response.data !== 'string' || response.data === '') {
		throw unexpectedResponseError(
			ctx,
			itemIndex,
			`The response had no "data" field with the ref id: ${JSON.stringify(response).slice(0, 200)}.${RENDER_MAY_HAVE_STARTED}`,
		);
	}
	const refId = response.data;
	const render: IDataObject = {
		refId,
		model: body.model,
		imageUrl: body.imageUrl,
		prompt: body.prompt,
		renovateType: body.renovateType,
	};

	if (!wait.waitForCompletion) return [{ json: render }];
	try {
		const result = await waitForResult(ctx, refId, itemIndex, {
			maxRequestsPerSecond: requestOptions.maxRequestsPerSecond,
			timeoutMs: requestOptions.timeoutMs,
			waitTimeoutMs: (wait.waitTimeout ?? DEFAULT_WAIT_TIMEOUT_S) * 1000,
			pollIntervalMs: (wait.pollInterval ?? DEFAULT_POLL_INTERVAL_S) * 1000,
			stopWaiting,
		});
		const json = { ...render, status: result.status, images: result.images };
		if (wait.downloadImages) return await downloadImages(ctx, result, json, itemIndex);
		return [{ json }];
	} catch (error) {
		// The render was started and paid for: keep its ref id with the error, for Get Result later.
		const nodeError = asNodeError(ctx, error, itemIndex);
		nodeError.context.refId = refId;
		throw nodeError;
	}
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
	const text = (name: string) => {
		const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
		return value === undefined || value === null ? '' : String(value).trim();
	};
	const body: GenerateAdvanceBody = {
		model: text('model'),
		imageUrl: text('imageUrl'),
		prompt: text('prompt'),
		nPrompt: text('negativePrompt'),
		renovateType: text('renovateType'),
	};
	requireOneOf(ctx, itemIndex, 'Model', body.model, MODELS);
	requirePublicUrl(ctx, itemIndex, body.imageUrl);
	requireOneOf(ctx, itemIndex, 'Renovate Type', body.renovateType, RENOVATE_TYPES);
	return body;
}

function requireOneOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	value: string,
	allowed: string[],
) {
	if (allowed.includes(value)) return;
	throw new NodeOperationError(ctx.getNode(), `${field} "${value}" is not supported [item ${itemIndex}]`, {
		itemIndex,
		description: `Set ${field} to one of: ${allowed.join(', ')}. If it comes from an expression, check the value it produces for this item.`,
	});
}

function requirePublicUrl(ctx: IExecuteFunctions, itemIndex: number, value: string) {
	const fix =
		'Use a full public link to the room photo, such as https://example.com/photos/room.jpg, that opens in a browser without a login.';
	if (value === '') {
		throw new NodeOperationError(ctx.getNode(), `Image URL is empty [item ${itemIndex}]`, {
			itemIndex,
			description: `${fix} If it comes from an expression, check that the field it reads exists in this item.`,
		});
	}
	if (!isHttpUrl(value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Image URL "${value}" is not a public http(s) link [item ${itemIndex}]`,
			{ itemIndex, description: fix },
		);
	}
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}
