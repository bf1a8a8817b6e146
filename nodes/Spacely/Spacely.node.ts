import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as generateAdvance from './actions/generateAdvance';
import * as getResult from './actions/getResult';
import { router } from './actions/router';

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

export class Spacely implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Spacely',
		name: 'spacely',
		icon: { light: 'file:spacely.svg', dark: 'file:spacely.dark.svg' },
		group: ['transform'],
		version: 1,
		// The canvas shows the chosen operation by its name (kept in step with OPERATIONS by a test).
		subtitle: '={{ {"generateAdvance":"Generate Advance","getResult":"Get Result"}[$parameter["operation"]] }}',
		description: 'Redesign room photos with Spacely AI interior and exterior rendering',
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

	execute = router;
}
