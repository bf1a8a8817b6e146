import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as generateAdvance from './actions/generateAdvance';
import * as getResult from './actions/getResult';
import { readMaxConcurrency } from './actions/requestOptions';
import { createRouter } from '../router';

const OPERATIONS = [
	{
		name: 'Generate Advance',
		value: 'generateAdvance',
		description: 'Start an AI redesign of a room photo and get its ref ID',
		action: 'Generate an advanced room redesign',
	},
	{
		name: 'Get Result',
		value: 'getResult',
		description: 'Get the status and image URLs of a render by its ref ID',
		action: 'Get the result of a render',
	},
];

/** Version 1, as workflows saved before version 2 use it: its fields and output must not change. */
export class SpacelyV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Spacely',
		name: 'spacely',
		group: ['transform'],
		description: 'Redesign room photos and place products into them with Spacely AI rendering',
		// n8n finds icons beside Spacely.node.ts; n8n's lint looks beside this file (copies, kept equal by verify).
		icon: { light: 'file:spacely.svg', dark: 'file:spacely.dark.svg' },
		version: 1,
		// The canvas shows the chosen operation by its name (kept in step with OPERATIONS by a test).
		subtitle: '={{ {"generateAdvance":"Generate Advance","getResult":"Get Result"}[$parameter["operation"]] }}',
		defaults: {
			name: 'Spacely',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'spacelyApi',
				required: true,
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'generateAdvance',
				options: OPERATIONS,
			},
			...generateAdvance.description,
			...getResult.description,
		],
	};

	execute = createRouter({
		operationOf: (ctx) => ctx.getNodeParameter('operation', 0) as string,
		operations: {
			generateAdvance: generateAdvance.prepare,
			getResult: getResult.prepare,
		},
		startsRenders: (operation) => operation === 'generateAdvance',
		maxConcurrency: readMaxConcurrency,
	});
}
