import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { abortableSleep } from './platform';
import { NOT_STARTED, watchFailing } from './scheduling/failingRun';
import { createRequestSlots } from './scheduling/requestSlots';
import { asNodeError } from './transport/errors';
import { endNodeRun } from './renders/acceptedRenders';
import { WAIT_STOPPED } from './renderResult';

type Run = () => Promise<INodeExecutionData[]>;

/**
 * An operation reads and checks one input item's parameters at once, and returns the function
 * that sends it: usually one output item, one per image when downloading. It stops waiting for
 * a render when `stopWaiting` fires.
 */
export type Operation = (ctx: IExecuteFunctions, itemIndex: number, stopWaiting: AbortSignal) => Run;

export interface RouterSetup {
	/** the chosen operation's key in `operations` */
	operationOf: (ctx: IExecuteFunctions) => string;
	operations: Record<string, Operation>;
	/** whether the operation starts paid renders, whose ref ids a failed run must not lose */
	startsRenders: (operation: string) => boolean;
	/** Max Concurrent Requests, as the node version reads it */
	maxConcurrency: (ctx: IExecuteFunctions) => number;
	/** the most renders one run may start, where the node version has that setting (undefined: no cap) */
	maxPaidRenders?: (ctx: IExecuteFunctions) => number | undefined;
}

interface ReadItem {
	itemIndex: number;
	run: Run;
}

const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/**
 * Runs the chosen operation for every input item, with up to Max Concurrent Requests requests out
 * at a time (see scheduling/requestSlots.ts), and returns the results in input order. With
 * Continue On Fail a failed item becomes an error item. Without it, after a failure no new item
 * starts, nor does any started item send its render request (scheduling/failingRun.ts), the
 * requests in flight finish (they may have started paid renders) but nothing waits
 * on for a render, and the node fails with the error of the earliest failed item, naming every
 * render that other items had started.
 */
export function createRouter(setup: RouterSetup) {
	return async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let failed = true;
		try {
			const output = await route(this, setup);
			// With Continue On Fail, n8n's Retry On Fail runs the node again when its first item is an error.
			failed = output[0].some((item) => item.json.error !== undefined);
			return output;
		} finally {
			endNodeRun(this, failed);
		}
	};
}

async function route(ctx: IExecuteFunctions, setup: RouterSetup): Promise<INodeExecutionData[][]> {
	const operationName = setup.operationOf(ctx);
	const operation = setup.operations[operationName];
	if (operationName.endsWith(CUSTOM_API_CALL)) {
		// n8n offers "Custom API Call" on every node whose credential can sign requests.
		throw new NodeOperationError(ctx.getNode(), 'Custom API Call is done with the HTTP Request node', {
			description:
				'Add an HTTP Request node, set Authentication to "Predefined Credential Type" and Credential Type to "Spacely API": it sends the API key for you to any Spacely endpoint. In this node, choose one of its operations.',
		});
	}
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" is not supported`);
	}

	const itemCount = ctx.getInputData().length;
	if (setup.startsRenders(operationName)) checkPaidRenders(ctx, setup, itemCount);
	const continueOnFail = ctx.continueOnFail();
	const slots = createRequestSlots(ctx, setup.maxConcurrency(ctx));
	const stopWaiting = new AbortController();
	watchFailing(ctx, stopWaiting.signal);
	const items = itemReader(ctx, (itemIndex) => operation(ctx, itemIndex, stopWaiting.signal), itemCount, slots.size);
	const results: INodeExecutionData[][] = new Array(itemCount);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const abandonedWaits: string[] = [];

	const runItem = async ({ itemIndex, run }: ReadItem) => {
		try {
			const output = await run();
			results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		} catch (error) {
			if (continueOnFail) {
				results[itemIndex] = [errorItem(ctx, error, itemIndex)];
			} else if (error instanceof NodeError && error.context[WAIT_STOPPED] === true) {
				abandonedWaits.push(error.context.refId as string);
			} else if (error instanceof NodeError && error.context[NOT_STARTED] === true) {
				// It sent nothing: the run fails with the error of the item that did fail.
			} else {
				failures.push({ itemIndex, error });
				stopWaiting.abort();
			}
		}
	};
	const signal = ctx.getExecutionCancelSignal();
	const started: Array<Promise<void>> = [];
	// Items start in input order while request slots are free (a render being waited for holds
	// none), each with a slot reserved for its first request, ahead of the polls and downloads of
	// renders already started. While all are taken, the next items are read meanwhile. A stopped
	// execution, or a failed item without Continue On Fail, starts no more.
	const mayStart = () => failures.length === 0 && !signal?.aborted;
	while (mayStart()) {
		if (!slots.hasFree()) {
			// Let the started items send first; reading an item takes about a millisecond.
			await abortableSleep(0);
			items.readOneAhead();
			await slots.whenFree();
			continue;
		}
		const item = items.take();
		if (!item) break;
		slots.reserve(item.itemIndex);
		started.push(runItem(item).finally(() => slots.unreserve(item.itemIndex)));
	}
	slots.stopStarting();
	await Promise.all(started);
	signal?.throwIfAborted();

	if (failures.length > 0) {
		const { error } = failures.reduce((first, failure) =>
			failure.itemIndex < first.itemIndex ? failure : first,
		);
		// Later failures are not shown, but the renders they had started (a download or a wait that
		// failed) were paid for too.
		const failedWithRender = failures
			.filter((failure) => failure.error !== error)
			.map((failure) => (failure.error instanceof NodeError ? failure.error.context.refId : undefined))
			.filter((refId): refId is string => typeof refId === 'string');
		if (setup.startsRenders(operationName)) mentionStartedRenders(error, results, [...abandonedWaits, ...failedWithRender]);
		throw error;
	}
	return [results.flat()];
}

function checkPaidRenders(ctx: IExecuteFunctions, setup: RouterSetup, itemCount: number) {
	const cap = setup.maxPaidRenders?.(ctx);
	if (cap === undefined || itemCount <= cap) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`This run would start ${itemCount} paid renders, more than Max Paid Renders per Run (${cap})`,
		{
			description: `Nothing was sent to Spacely, so no credits were spent. If ${itemCount} renders are intended, raise Request Settings → Max Paid Renders per Run (or remove it); otherwise check what feeds this node ${itemCount} items.`,
		},
	);
}

/**
 * Hands out the input items in order, each read once. Reading an item (n8n evaluating each of its
 * expressions) takes about a millisecond, so the router reads the next items while requests are
 * out rather than between an answer and the next request. An item that cannot be read fails when
 * its turn comes, like any other failure.
 */
function itemReader(
	ctx: IExecuteFunctions,
	readItem: (itemIndex: number) => Run,
	itemCount: number,
	maxAhead: number,
) {
	const readAhead: ReadItem[] = [];
	let next = 0;
	const read = (): ReadItem | undefined => {
		if (next >= itemCount) return undefined;
		const itemIndex = next++;
		try {
			return { itemIndex, run: readItem(itemIndex) };
		} catch (error) {
			const failure = asNodeError(ctx, error, itemIndex);
			return {
				itemIndex,
				run: async () => {
					throw failure;
				},
			};
		}
	};
	return {
		take: () => readAhead.shift() ?? read(),
		readOneAhead() {
			const item = readAhead.length < maxAhead ? read() : undefined;
			if (item) readAhead.push(item);
		},
	};
}

/**
 * An error item. On the regular output its json says what went wrong and how to fix it. For
 * "Continue (using error output)" n8n needs the error on the item to route it there (and then
 * keeps only its message in the json; the error itself carries the rest).
 */
function errorItem(ctx: IExecuteFunctions, error: Error, itemIndex: number): INodeExecutionData {
	const nodeError = asNodeError(ctx, error, itemIndex);
	const json: IDataObject = { error: nodeError.message };
	if (nodeError.description) json.description = nodeError.description;
	if (nodeError.context.refId) json.refId = nodeError.context.refId;
	const toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	return { json, ...(toErrorOutput ? { error: nodeError } : {}), pairedItem: { item: itemIndex } };
}

/**
 * When the node fails, the renders that other items had already started are paid for but their
 * ref ids would be lost with the output: name them in the error.
 */
function mentionStartedRenders(
	error: Error & { description?: string | null },
	results: INodeExecutionData[][],
	unfinished: string[],
) {
	const finished = results.flat().map((item) => item.json.refId).filter((refId) => typeof refId === 'string');
	// A render downloaded as four images is four items with the same ref id.
	const refIds = [...new Set([...finished, ...unfinished])];
	if (refIds.length === 0) return;
	const note = `Other items had already started renders, which were paid for (ref ids: ${refIds.join(', ')}). Fetch them with Get Result rather than running those items again.`;
	error.description = error.description ? `${error.description} ${note}` : note;
}
