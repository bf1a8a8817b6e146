import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_S } from '../../renderResult';
import type { SpacelyRequest } from '../../transport/request';
import { fieldError } from '../../validation';
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_WAIT_S, MAX_CONCURRENCY, OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS, OUTPUT_REF_ID } from './fields';

export type Output = typeof OUTPUT_IMAGE_FILES | typeof OUTPUT_IMAGE_LINKS | typeof OUTPUT_REF_ID;

export type RequestOptions = Pick<SpacelyRequest, 'timeoutMs' | 'retryServerErrors'>;

export interface WaitSettings {
	waitTimeoutMs: number;
	pollIntervalMs: number;
}

const OUTPUTS: Output[] = [OUTPUT_IMAGE_FILES, OUTPUT_IMAGE_LINKS, OUTPUT_REF_ID];

export function readOutput(ctx: IExecuteFunctions, itemIndex: number, allowed: Output[] = OUTPUTS): Output {
	const output = ctx.getNodeParameter('output', itemIndex, OUTPUT_IMAGE_FILES) as Output;
	if (allowed.includes(output)) return output;
	throw fieldError(ctx, itemIndex, `Output "${output}" is not supported`, `Choose one of: ${allowed.join(', ')}.`);
}

export function readWaitSettings(ctx: IExecuteFunctions, itemIndex: number): WaitSettings {
	const { maxWait, firstCheckAfter } = ctx.getNodeParameter('waitSettings', itemIndex, {}) as IDataObject;
	return {
		waitTimeoutMs: (positive(maxWait) ? maxWait : DEFAULT_MAX_WAIT_S) * 1000,
		pollIntervalMs: (positive(firstCheckAfter) ? firstCheckAfter : DEFAULT_POLL_INTERVAL_S) * 1000,
	};
}

export function readRequestSettings(ctx: IExecuteFunctions, itemIndex: number): RequestOptions {
	const { requestTimeout, retryServerErrors } = ctx.getNodeParameter('requestSettings', itemIndex, {}) as IDataObject;
	return {
		timeoutMs: positive(requestTimeout) ? requestTimeout * 1000 : undefined,
		retryServerErrors: retryServerErrors === true,
	};
}

/** Max Concurrent Requests, read once per run (from the first item). */
export function readMaxConcurrency(ctx: IExecuteFunctions): number {
	const { maxConcurrency } = ctx.getNodeParameter('requestSettings', 0, {}) as IDataObject;
	return positive(maxConcurrency) ? Math.min(Math.floor(maxConcurrency), MAX_CONCURRENCY) : DEFAULT_MAX_CONCURRENCY;
}

/** Max Paid Renders per Run, read once per run (from the first item); undefined when not set. */
export function readMaxPaidRenders(ctx: IExecuteFunctions): number | undefined {
	const { maxPaidRenders } = ctx.getNodeParameter('requestSettings', 0, {}) as IDataObject;
	return positive(maxPaidRenders) ? Math.floor(maxPaidRenders) : undefined;
}

function positive(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
