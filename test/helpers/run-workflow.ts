/**
 * Runs a workflow through n8n-core's real execution engine (WorkflowExecute), with the Spacely node
 * and its credential as n8n would load them. Only what n8n's server would supply around the engine
 * (stored credentials, node registry) is provided here, the way n8n's own node test harness does.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	Workflow as WorkflowType,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow, isExpression } from 'n8n-workflow';

import { SpacelyApi } from '../../credentials/SpacelyApi.credentials';
import { Spacely } from '../../nodes/Spacely/Spacely.node';

export const SPACELY_TYPE = 'n8n-nodes-spacely.spacely';
const ITEMS_TYPE = 'test.items';
const CREDENTIAL_TEST_TYPE = 'test.credentialTestRequest';

/** A trigger-less source node: outputs the items given in its `items` parameter. */
class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Outputs fixed items',
		defaults: { name: 'Items' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json, item) => ({ json, pairedItem: { item } }))];
	}
}

/**
 * The credential's declarative test request, as n8n's credential tester runs it: a node with one
 * property routed to that request, executed by n8n-core's routing (RoutingNode).
 */
class CredentialTestRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Test Request',
		name: 'credentialTestRequest',
		group: ['input'],
		version: 1,
		description: "Sends the Spacely API credential's test request",
		defaults: { name: 'Credential Test' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'spacelyApi', required: true }],
		properties: [
			{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: new SpacelyApi().test.request } },
		],
	};
}

const nodeTypes: INodeTypes = {
	getByName: (type) => byType(type),
	getByNameAndVersion: (type, version) => byType(type, version),
	getKnownTypes: () => ({}),
};

function byType(type: string, version?: number): INodeType {
	if (type === SPACELY_TYPE) return new Spacely().getNodeType(version);
	if (type === ITEMS_TYPE) return new TestItems();
	if (type === CREDENTIAL_TEST_TYPE) return new CredentialTestRequest();
	throw new Error(`Unknown node type ${type}`);
}

/** Stored credentials, and the credential's generic `authenticate` applied as n8n's server does. */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow: WorkflowType,
		node: INode,
	): Promise<IHttpRequestOptions> {
		if (typeName !== 'spacelyApi') throw new Error(`Unknown credential type ${typeName}`);
		const { properties } = new SpacelyApi().authenticate;
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(properties.headers ?? {})) {
			headers[name] = isExpression(value)
				? workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {
						$credentials: credentials,
					})
				: value;
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getDecrypted() {
		return { ...this.data };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not needed by these tests');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return new SpacelyApi().properties;
	}
}

export interface RunOptions {
	/** the Spacely node's parameters */
	parameters: IDataObject;
	/** the items that feed the Spacely node */
	items: IDataObject[];
	/** the Spacely API credential as saved; without the budget fields, as saved before they existed */
	credentials: { apiKey: string; baseUrl: string; requestsPerSecond?: number | string; n8nProcesses?: number | string };
	continueOnFail?: boolean;
	/** n8n's "On Error: Continue (using error output)" */
	errorOutput?: boolean;
	/** run the credential's test request instead of the Spacely node */
	credentialTest?: boolean;
	/** the Spacely node's version (default 1, as the workflows these tests were written for) */
	typeVersion?: number;
	/** the node's Settings tab: Retry On Fail, Max. Tries, Wait Between Tries (ms) */
	settings?: Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>;
	/** the execution's id (default: a new one per run) and mode (default 'manual'), as n8n sets them */
	execution?: { id?: string; mode?: WorkflowExecuteMode };
}

let executionCount = 0;

export interface RunResult {
	run: IRun;
	/** the Spacely node's output items, or undefined when it failed */
	output?: INodeExecutionData[];
	/** the items on the node's error output, with "Continue (using error output)" */
	errorOutput?: INodeExecutionData[];
	/** the error the workflow stopped with, if any */
	error?: IRun['data']['resultData']['error'];
}

export async function runSpacelyWorkflow(options: RunOptions): Promise<RunResult> {
	return await startSpacelyWorkflow(options).result;
}

/** Starts the workflow; `cancel` stops it as the editor's stop button does. */
export function startSpacelyWorkflow(options: RunOptions): { result: Promise<RunResult>; cancel: () => void } {
	const itemsNode: INode = {
		id: 'items',
		name: 'Items',
		type: ITEMS_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items) },
	};
	const spacelyNode: INode = {
		id: 'spacely',
		name: 'Spacely',
		type: options.credentialTest ? CREDENTIAL_TEST_TYPE : SPACELY_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.credentialTest
			? {}
			: { ...(options.typeVersion === undefined ? { operation: 'generateAdvance' } : {}), ...options.parameters },
		credentials: { spacelyApi: { id: '1', name: 'Spacely account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
		...options.settings,
	};
	const workflow = new Workflow({
		id: 'test',
		nodes: [itemsNode, spacelyNode],
		connections: { Items: { main: [[{ node: 'Spacely', type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
	});

	const mode = options.execution?.mode ?? 'manual';
	const executionId = options.execution?.id ?? `test-execution-${++executionCount}`;
	const additionalData = {
		executionId,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflow as never),
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		variables: {},
		currentNodeParameters: undefined,
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;

	const execution = new WorkflowExecute(additionalData, mode).run({ workflow, startNode: itemsNode });
	const result = (async () => {
		const run = await execution;
		const spacelyRun = run.data.resultData.runData.Spacely?.[0];
		return {
			run,
			output: spacelyRun?.data?.main[0] ?? undefined,
			errorOutput: spacelyRun?.data?.main[1] ?? undefined,
			error: run.data.resultData.error,
		};
	})();
	return { result, cancel: () => execution.cancel() };
}
