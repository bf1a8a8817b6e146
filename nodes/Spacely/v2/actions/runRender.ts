import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { RenderResult } from '../../renderResult';
import { downloadImages, waitForResult } from '../../renderResult';
import { renderKindOf } from '../../scheduling/pollSchedule';
import { keepingRefId, startRender } from '../../renders/startRender';
import { OUTPUT_IMAGE_FILES, OUTPUT_REF_ID } from './fields';
import type { RequestOptions, WaitSettings } from './settings';
import { readOutput, readRequestSettings, readWaitSettings } from './settings';
import { requireImages } from './renderedImages';

/** Where version 2's errors send a render to be fetched later. */
const RESULT_GET_WAITING = 'Result → Get (Wait Until Done waits for it)';

type Run = () => Promise<INodeExecutionData[]>;

/**
 * What every render operation does once its body is read and checked: reads the output choice
 * and settings now (so bad input fails before any request), and returns the function that starts
 * the render and, unless the output is the ref id only, waits for it and downloads its images.
 */
export function prepareRender(
	ctx: IExecuteFunctions,
	itemIndex: number,
	stopWaiting: AbortSignal | undefined,
	path: string,
	body: IDataObject,
): Run {
	const output = readOutput(ctx, itemIndex);
	const requestOptions = readRequestSettings(ctx, itemIndex);
	const wait = readWaitSettings(ctx, itemIndex);
	return async () => {
		const refId = await startRender(ctx, itemIndex, path, body, requestOptions);
		if (output === OUTPUT_REF_ID) return [{ json: { refId, ...body } }];
		return await waitAndOutput(ctx, itemIndex, refId, {
			requestOptions,
			wait,
			stopWaiting,
			renderKind: renderKindOf(path, body),
			asFiles: output === OUTPUT_IMAGE_FILES,
			request: body,
		});
	};
}

export interface WaitAndOutput {
	requestOptions: RequestOptions;
	wait: WaitSettings;
	stopWaiting: AbortSignal | undefined;
	/** renders whose times are learned together (scheduling/pollSchedule.ts) */
	renderKind: string;
	asFiles: boolean;
	/** what the item asked for, repeated in its output */
	request?: IDataObject;
}

/**
 * Waits for a started render (Wait Settings), then outputs its image links or files. A failure
 * keeps the ref id with the error: the render was paid for.
 */
export async function waitAndOutput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	refId: string,
	{ requestOptions, wait, stopWaiting, renderKind, asFiles, request }: WaitAndOutput,
): Promise<INodeExecutionData[]> {
	return await keepingRefId(ctx, itemIndex, refId, async () => {
		const result = await waitForResult(ctx, refId, itemIndex, {
			timeoutMs: requestOptions.timeoutMs,
			...wait,
			stopWaiting,
			waitTimeoutField: 'Wait Settings → Max Wait',
			getResultOperation: RESULT_GET_WAITING,
			renderKind,
		});
		return await resultItems(ctx, itemIndex, result, { asFiles, timeoutMs: requestOptions.timeoutMs }, request);
	});
}

/**
 * A finished render as output items: one with its image links, or one per image file. An image
 * item leads with that image's link and does not repeat the others.
 */
export async function resultItems(
	ctx: IExecuteFunctions,
	itemIndex: number,
	result: RenderResult,
	{ asFiles, timeoutMs }: { asFiles: boolean; timeoutMs: RequestOptions['timeoutMs'] },
	request: IDataObject = {},
): Promise<INodeExecutionData[]> {
	const json = {
		refId: result.refId,
		status: result.status,
		images: result.images,
		...request,
	};
	requireImages(ctx, itemIndex, result);
	if (!asFiles || result.images.length === 0) return [{ json }];
	const files = await downloadImages(ctx, result, {}, itemIndex, {
		timeoutMs,
		timeoutField: 'Request Settings → Request Timeout',
		getResultName: 'Result → Get',
	});
	return files.map(({ json: image, binary }) => {
		const { renderedImageUrl, imageIndex } = image;
		return {
			json: {
				renderedImageUrl,
				imageIndex,
				refId: result.refId,
				status: result.status,
				...request,
			},
			binary,
		};
	});
}
