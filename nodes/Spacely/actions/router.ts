import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { abortableSleep } from '../platform';
import { asNodeError } from '../transport/errors';
import { WAIT_STOPPED } from '../renderResult';
import * as generateAdvance from './generateAdvance';
import * as getResult from './getResult';
import { readMaxConcurrency } from './requestOptions';

type Run = () => Promise<INodeExecutionData[]>;

/**
 * An operation reads and checks one input item's parameters at once, and returns the function
 * that sends it: usually one output item, one per image when downloading. It stops waiting for
 * a render when `stopWaiting` fires.
 */
type Operation = (ctx: IExecuteFunctions, itemIndex: number, stopWaiting: AbortSignal) => Run;

interface ReadItem {
	itemIndex: number;
	run: Run;
}

const operations: Record<string, Operation> = {
	generateAdvance: generateAdvance.prepare,
	getResult: getResult.prepare,
};

/**
 * Runs the chosen operation for every input item, up to Max Concurrent Requests at a time, and
 * returns the results in input order. With Continue On Fail a failed item becomes an error item.
 * Without it, after a failure no new item starts, the requests in flight finish (they may have
 * started paid renders) but nothing waits on for a render, and the node fails with the error of
 * the earliest failed item, naming every render that other items had started.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}

	const itemCount = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const workerCount = Math.min(readMaxConcurrency(this), itemCount);
	const stopWaiting = new AbortController();
	const items = itemReader(this, (itemIndex) => operation(this, itemIndex, stopWaiting.signal), itemCount, workerCount);
	const results: INodeExecutionData[][] = new Array(itemCount);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	const abandonedWaits: string[] = [];

	const runItem = async ({ itemIndex, run }: ReadItem) => {
		try {
			const output = await run();
			results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
		} catch (error) {
			if (continueOnFail) {
				results[itemIndex] = [errorItem(this, error, itemIndex)];
			} else if (error instanceof NodeError && error.context[WAIT_STOPPED] === true) {
				abandonedWaits.push(error.context.refId as string);
			} else {
				failures.push({ itemIndex, error });
				stopWaiting.abort();
			}
		}
	};
	const signal = this.getExecutionCancelSignal();
	const worker = async () => {
		// A stopped execution starts no more items.
		while (failures.length === 0 && !signal?.aborted) {
			const item = items.take();
			if (!item) return;
			const running = runItem(item);
			// Let this item start (send, or wait for the rate cap), then read one more meanwhile.
			await abortableSleep(0);
			items.readOneAhead();
			await running;
		}
	};
	await Promise.all(Array.from({ length: workerCount }, worker));
	signal?.throwIfAborted();

	if (failures.length > 0) {
		const { error } = failures.reduce((first, failure) =>
			failure.itemIndex < first.itemIndex ? failure : first,
		);
		if (operationName === 'generateAdvance') mentionStartedRenders(error, results, abandonedWaits);
		throw error;
	}
	return [results.flat()];
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
	abandonedWaits: string[],
) {
	const finished = results.flat().map((item) => item.json.refId).filter((refId) => typeof refId === 'string');
	// A render downloaded as four images is four items with the same ref id.
	const refIds = [...new Set([...finished, ...abandonedWaits])];
	if (refIds.length === 0) return;
	const note = `Other items had already started renders, which were paid for (ref ids: ${refIds.join(', ')}). Fetch them with Get Result rather than running those items again.`;
	error.description = error.description ? `${error.description} ${note}` : note;
}
