import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as generateAdvance from './generateAdvance';
import * as getResult from './getResult';
import { readMaxConcurrency } from './requestOptions';

/** An operation's output for one input item: usually one item, one per image when downloading. */
type Operation = (ctx: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Operation> = {
	generateAdvance: generateAdvance.execute,
	getResult: getResult.execute,
};

/**
 * Runs the chosen operation for every input item, up to Max Concurrent Requests at a time, and
 * returns the results in input order. With Continue On Fail a failed item becomes an error item;
 * without it, no new item starts after a failure, the ones in flight finish (their requests may
 * have started paid renders), and the node fails with the error of the earliest failed item.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}

	const itemCount = this.getInputData().length;
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = new Array(itemCount);
	const failures: Array<{ itemIndex: number; error: Error }> = [];
	let next = 0;

	const worker = async () => {
		while (next < itemCount && failures.length === 0) {
			const itemIndex = next++;
			try {
				const output = await operation(this, itemIndex);
				results[itemIndex] = output.map((item) => ({ ...item, pairedItem: { item: itemIndex } }));
			} catch (error) {
				if (!continueOnFail) failures.push({ itemIndex, error });
				else results[itemIndex] = [{ json: errorJson(error), pairedItem: { item: itemIndex } }];
			}
		}
	};
	const workerCount = Math.min(readMaxConcurrency(this), itemCount);
	await Promise.all(Array.from({ length: workerCount }, worker));

	if (failures.length > 0) {
		throw failures.reduce((first, failure) => (failure.itemIndex < first.itemIndex ? failure : first)).error;
	}
	return [results.flat()];
}

function errorJson(error: Error & { description?: string | null; context?: IDataObject }): IDataObject {
	return {
		error: error.message,
		...(error.description ? { description: error.description } : {}),
		...(error.context?.refId ? { refId: error.context.refId } : {}),
	};
}
