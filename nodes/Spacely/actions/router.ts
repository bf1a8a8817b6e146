import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as generateAdvance from './generateAdvance';

type Operation = (ctx: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>;

const operations: Record<string, Operation> = {
	generateAdvance: generateAdvance.execute,
};

/** Runs the chosen operation for every input item; with Continue On Fail, a failed item becomes an error item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operations[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}

	const items = this.getInputData();
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await operation(this, itemIndex);
			results.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!this.continueOnFail()) throw error;
			results.push({ json: errorJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}

function errorJson(error: Error & { description?: string | null }): IDataObject {
	return error.description
		? { error: error.message, description: error.description }
		: { error: error.message };
}
