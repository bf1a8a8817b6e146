import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { createRouter } from '../router';
import type { OperationModule } from './actions/operation';
import * as furniturePlacement from './actions/productVisualization/furniturePlacement';
import * as decorationPlacement from './actions/productVisualization/decorationPlacement';
import * as generateAdvance from './actions/render/generateAdvance';
import * as generateStandard from './actions/render/generateStandard';
import * as styleTransfer from './actions/render/styleTransfer';
import * as getResult from './actions/result/get';
import { readMaxConcurrency, readMaxPaidRenders } from './actions/settings';
import * as twoPointPerspective from './actions/spacePlanning/twoPointPerspective';

/** The resources, in the order the editor lists them, each with its operations. */
const RESOURCES: Array<{
	name: string;
	value: string;
	description: string;
	operations: OperationModule[];
}> = [
	{
		name: 'Render',
		value: 'render',
		description: 'Redesign a room photo',
		operations: [generateStandard, generateAdvance, styleTransfer],
	},
	{
		name: 'Product Visualization',
		value: 'productVisualization',
		description: 'Place catalogue products into a room photo',
		operations: [furniturePlacement, decorationPlacement],
	},
	{
		name: 'Space Planning',
		value: 'spacePlanning',
		description: 'Guide lines for work with real dimensions',
		operations: [twoPointPerspective],
	},
	{
		name: 'Result',
		value: 'result',
		description: 'A render started earlier',
		operations: [getResult],
	},
];

const operationKey = (resource: string, operation: string) => `${resource}.${operation}`;

export class SpacelyV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Spacely',
		name: 'spacely',
		group: ['transform'],
		description: 'Redesign room photos and place products into them with Spacely AI rendering',
		// n8n finds icons beside Spacely.node.ts; n8n's lint looks beside this file (copies, kept equal by verify).
		icon: { light: 'file:spacely.svg', dark: 'file:spacely.dark.svg' },
		version: 2,
		// The canvas shows the chosen operation by its name (kept in step with RESOURCES by a test).
		subtitle:
			'={{ {"generateStandard":"Generate Standard","generateAdvance":"Generate Advance","styleTransfer":"Style Transfer","furniturePlacement":"Furniture Placement","decorationPlacement":"Decoration Placement","twoPointPerspective":"Two-Point Perspective","get":"Get Result"}[$parameter["operation"]] }}',
		defaults: { name: 'Spacely' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'spacelyApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'render',
				options: RESOURCES.map(({ name, value, description }) => ({
					name,
					value,
					description,
				})),
			},
			...RESOURCES.map(({ value: resource, operations }) => ({
				displayName: 'Operation',
				name: 'operation',
				type: 'options' as const,
				noDataExpression: true,
				displayOptions: { show: { resource: [resource] } },
				default: operations[0].option.value,
				options: operations.map(({ option }) => option),
			})),
			...RESOURCES.flatMap(({ operations }) => operations.flatMap((operation) => operation.description)),
		],
	};

	execute = createRouter({
		operationOf: (ctx) =>
			operationKey(ctx.getNodeParameter('resource', 0) as string, ctx.getNodeParameter('operation', 0) as string),
		operations: Object.fromEntries(
			RESOURCES.flatMap(({ value: resource, operations }) =>
				operations.map(({ option, prepare }) => [operationKey(resource, option.value as string), prepare]),
			),
		),
		startsRenders: (operation) => !operation.startsWith('result.'),
		maxConcurrency: readMaxConcurrency,
		maxPaidRenders: readMaxPaidRenders,
	});
}
