import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SpacelyRequest } from '../../transport/request';
import { DEFAULT_ACCOUNT_REQUESTS_PER_SECOND } from '../../scheduling/accountBudget';
import { SPACELY_LIMIT_PER_SECOND } from '../../scheduling/rateLimiter';

export const DEFAULT_MAX_CONCURRENCY = 10;
const MAX_CONCURRENCY = 100;

export const downloadImagesField: INodeProperties = {
	displayName: 'Download Images',
	name: 'downloadImages',
	type: 'boolean',
	default: false,
	description:
		'Whether to download the rendered images as binary data: one output item per image, with the image in the binary property "data". Only when the render is done.',
};

/** An operation's "Options" collection, shown for that operation only. */
export function optionsCollection(
	displayOptions: INodeProperties['displayOptions'],
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options,
	};
}

/** The "Options" fields that shape how requests are sent; every operation has them. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: DEFAULT_MAX_CONCURRENCY,
		description:
			'How many requests (renders started, polls, image downloads) are out to Spacely at the same time. Renders being waited for do not count: all of them are waited for at once. For hundreds of items, raise it up to Max Requests per Second: the rate cap still holds, and each slow answer holds up less.',
	},
	{
		displayName: 'Max Requests per Second',
		name: 'maxRequestsPerSecond',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: SPACELY_LIMIT_PER_SECOND },
		// Added unchanged, it keeps the credential's default budget as it is.
		default: DEFAULT_ACCOUNT_REQUESTS_PER_SECOND,
		description:
			"Lowers the requests per second for this node below the account's budget, which is set in the Spacely API credential (Requests per Second and n8n Processes) and shared by every node, execution and n8n process using the key. Only needed to keep this node slower than the rest.",
	},
	{
		displayName: 'Retry Server Errors (Risk of Double Charge)',
		name: 'retryServerErrors',
		type: 'boolean',
		default: false,
		description:
			'Whether to send a request again after a 5xx answer, a timeout or a network error. The first request may have started a render already, so this can spend credits twice for one item.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
		description:
			'How long to wait for Spacely to answer one request. A request that times out is not sent again unless Retry Server Errors is on.',
	},
];

export interface OptionValues {
	maxConcurrency?: number;
	maxRequestsPerSecond?: number;
	retryServerErrors?: boolean;
	timeout?: number;
	downloadImages?: boolean;
	waitForCompletion?: boolean;
	waitTimeout?: number;
	pollInterval?: number;
}

/** An item's "Options" collection, read once: each read resolves every expression in it. */
export function readOptions(ctx: IExecuteFunctions, itemIndex: number): OptionValues {
	return ctx.getNodeParameter('options', itemIndex, {}) as OptionValues;
}

export function requestOptionsFrom({
	timeout,
	maxRequestsPerSecond,
	retryServerErrors,
}: OptionValues): Pick<SpacelyRequest, 'timeoutMs' | 'maxRequestsPerSecond' | 'retryServerErrors'> {
	return {
		timeoutMs: positive(timeout) ? timeout * 1000 : undefined,
		// The editor stops at 100, but an expression or an imported workflow can hold anything, and
		// more than 100 per second gets the Spacely account blocked.
		maxRequestsPerSecond: positive(maxRequestsPerSecond)
			? Math.min(maxRequestsPerSecond, SPACELY_LIMIT_PER_SECOND)
			: undefined,
		retryServerErrors: retryServerErrors === true,
	};
}

export function readMaxConcurrency(ctx: IExecuteFunctions): number {
	const { maxConcurrency } = readOptions(ctx, 0);
	return positive(maxConcurrency)
		? Math.min(Math.floor(maxConcurrency), MAX_CONCURRENCY)
		: DEFAULT_MAX_CONCURRENCY;
}

function positive(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
