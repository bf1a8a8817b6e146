import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { abortableSleep } from './platform';
import type { SpacelyRequest } from './transport/request';
import { asNodeError, unexpectedResponseError } from './transport/errors';
import { downloadFile, spacelyRequest } from './transport/request';

export type RenderStatus = 'processing' | 'success';

export interface RenderResult {
	refId: string;
	status: RenderStatus;
	images: string[];
}

type PollOptions = Pick<SpacelyRequest, 'timeoutMs' | 'maxRequestsPerSecond'>;

export const DEFAULT_POLL_INTERVAL_S = 3;
const POLL_BACKOFF = 1.6;
const MAX_POLL_INTERVAL_MS = 30_000;

/** Asks Spacely once for the result of a render. */
export async function fetchResult(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	options: PollOptions = {},
): Promise<RenderResult> {
	let response;
	try {
		// A poll starts nothing and costs nothing, so 5xx and network errors are retried.
		response = await spacelyRequest(
			ctx,
			{ ...options, method: 'GET', path: '/api/v1/generate/poll-result', qs: { refId }, retryServerErrors: true },
			itemIndex,
		);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '400') {
			throw new NodeApiError(ctx.getNode(), { message: error.message }, {
				message: `Spacely does not know the ref id "${refId}"`,
				description: `${error.message}. Use a ref id returned by Generate Advance with the same Spacely account.`,
				itemIndex,
			});
		}
		throw asNodeError(ctx, error, itemIndex);
	}
	const data = response.data as { status?: unknown; result?: unknown } | undefined;
	const images = Array.isArray(data?.result) ? data.result.filter((url) => typeof url === 'string') : undefined;
	if (typeof data?.status !== 'string' || !images) {
		throw unexpectedResponseError(ctx, itemIndex, 'The poll result had no "data.status" and "data.result".');
	}
	if (data.status !== 'processing' && data.status !== 'success') {
		throw new NodeApiError(ctx.getNode(), { message: `status ${data.status}` }, {
			message: `The render with ref id "${refId}" failed (status "${data.status}")`,
			description: 'Spacely reported that this render did not succeed. Start a new one with Generate Advance.',
			itemIndex,
		});
	}
	return { refId, status: data.status, images };
}

interface WaitOptions extends PollOptions {
	pollIntervalMs: number;
	waitTimeoutMs: number;
	/** fires when the node will fail anyway (another item failed): waiting on is pointless */
	stopWaiting?: AbortSignal;
	/** where the user raises the wait timeout, for the error when it runs out */
	waitTimeoutField?: string;
}

/**
 * Polls until the render succeeds: first soon, then less and less often (3 s, 4.8 s, 7.7 s, ...
 * by default), so a render of up to about 80 s costs at most 6 polls. Stops at once when the
 * execution is cancelled, or with a WAIT_STOPPED error when `stopWaiting` fires.
 */
export async function waitForResult(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	{ waitTimeoutMs, pollIntervalMs, stopWaiting, waitTimeoutField, ...options }: WaitOptions,
): Promise<RenderResult> {
	const startedAt = Date.now();
	const cancelled = ctx.getExecutionCancelSignal();
	for (let interval = pollIntervalMs; ; interval = Math.min(interval * POLL_BACKOFF, MAX_POLL_INTERVAL_MS)) {
		const remaining = startedAt + waitTimeoutMs - Date.now();
		if (remaining <= 0) throw waitTimeoutError(ctx, refId, itemIndex, Date.now() - startedAt, waitTimeoutField);
		await pause(Math.min(interval, remaining), cancelled, stopWaiting);
		if (stopWaiting?.aborted) throw waitStoppedError(ctx, refId, itemIndex);
		const result = await fetchResult(ctx, refId, itemIndex, options);
		if (result.status === 'success') return result;
	}
}

/** Sleeps; ends early when `stop` fires, and fails when the execution is cancelled. */
async function pause(ms: number, cancelled?: AbortSignal, stop?: AbortSignal): Promise<void> {
	const signal = cancelled && stop ? AbortSignal.any([cancelled, stop]) : (cancelled ?? stop);
	// The sleep rejects only when one of the signals fires; which one it was decides what follows.
	const wokenEarly = await abortableSleep(ms, signal).then(
		() => false,
		() => true,
	);
	if (wokenEarly) cancelled?.throwIfAborted();
}

/** Marks, in an error's context, a wait that was stopped because another item failed. */
export const WAIT_STOPPED = 'waitStopped';

function waitStoppedError(ctx: IExecuteFunctions, refId: string, itemIndex: number) {
	const error = new NodeOperationError(
		ctx.getNode(),
		`Stopped waiting for the render with ref id "${refId}": another item failed`,
		{
			itemIndex,
			description: `The render was started and keeps running. Fetch it later with the Get Result operation and ref id ${refId}.`,
		},
	);
	error.context[WAIT_STOPPED] = true;
	return error;
}

function waitTimeoutError(
	ctx: IExecuteFunctions,
	refId: string,
	itemIndex: number,
	waitedMs: number,
	waitTimeoutField = 'Options → Wait Timeout',
) {
	return new NodeOperationError(
		ctx.getNode(),
		`The render with ref id "${refId}" was not done after ${Math.round(waitedMs / 1000)} seconds`,
		{
			itemIndex,
			description: `It is still running and was not started again. Fetch it later with the Get Result operation and ref id ${refId}, or raise ${waitTimeoutField}.`,
		},
	);
}

/**
 * One output item per image, with the image as binary property "data" (what most nodes that
 * upload or send files read by default), so the next node handles each image on its own.
 */
export async function downloadImages(
	ctx: IExecuteFunctions,
	result: RenderResult,
	json: INodeExecutionData['json'],
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await Promise.all(
		result.images.map(async (imageUrl, imageIndex) => {
			const file = await downloadFile(ctx, imageUrl, itemIndex);
			const mimeType = file.contentType?.split(';')[0].trim();
			const binary: IBinaryData = await ctx.helpers.prepareBinaryData(
				file.body,
				fileNameOf(imageUrl, result.refId, imageIndex),
				// Object stores often say octet-stream; n8n then tells the type from the name and bytes.
				mimeType === 'application/octet-stream' ? undefined : mimeType,
			);
			return { json: { ...json, imageIndex, renderedImageUrl: imageUrl }, binary: { data: binary } };
		}),
	);
}

function fileNameOf(imageUrl: string, refId: string, imageIndex: number): string {
	try {
		const name = new URL(imageUrl).pathname.split('/').pop();
		if (name) return decodeURIComponent(name);
	} catch {
		// an odd URL only costs the file its original name
	}
	return `${refId}-${imageIndex + 1}.png`;
}
