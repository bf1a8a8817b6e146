/**
 * The reuse key on its own: which node run and item a render belongs to. The node's behaviour under
 * n8n's Retry On Fail and an execution's Retry runs through n8n-core in startRender.test.ts.
 */
import type { IExecuteFunctions, WorkflowExecuteMode } from 'n8n-workflow';

import { acceptedRenderFor, endNodeRun, recordAcceptedRender } from '../../../../nodes/Spacely/renders/acceptedRenders';

let executions = 0;

/** What n8n tells a node about the run it executes, and nothing else. */
function nodeRun({
	executionId = `execution-${++executions}`,
	mode = 'manual',
	runIndex = 0,
	node = 'Spacely',
	workflowId = 'workflow-1',
}: { executionId?: string; mode?: WorkflowExecuteMode; runIndex?: number; node?: string; workflowId?: string } = {}) {
	return {
		getExecutionId: () => executionId,
		getMode: () => mode,
		getNode: () => ({ name: node }),
		getWorkflow: () => ({ id: workflowId }),
		getWorkflowDataProxy: () => ({ $runIndex: runIndex }),
	} as unknown as IExecuteFunctions;
}

const PATH = '/api/v1/generate/advance';
const body = { imageUrl: 'https://example.com/room.jpg', prompt: 'modern' };
const request = { itemIndex: 2, path: PATH, body };

/** A run that accepted `request`'s render as ref-1 and failed. */
function failedRun(options: Parameters<typeof nodeRun>[0] = {}) {
	const run = nodeRun(options);
	recordAcceptedRender(run, request, 'ref-1');
	endNodeRun(run, true);
	return run;
}

describe('the same node run (Retry On Fail)', () => {
	test('the same item, endpoint and body get the ref id back', () => {
		const first = failedRun({ executionId: 'e-same' });
		const nextTry = nodeRun({ executionId: 'e-same' });

		expect(acceptedRenderFor(nextTry, request)).toBe('ref-1');
		expect(first).not.toBe(nextTry);
	});

	test('a changed body, another item or another endpoint are sent', () => {
		failedRun({ executionId: 'e-changed' });
		const nextTry = nodeRun({ executionId: 'e-changed' });

		expect(acceptedRenderFor(nextTry, { ...request, body: { ...body, prompt: 'rustic' } })).toBeUndefined();
		expect(acceptedRenderFor(nextTry, { ...request, itemIndex: 3 })).toBeUndefined();
		expect(acceptedRenderFor(nextTry, { ...request, path: '/api/v1/generate/standard' })).toBeUndefined();
	});

	test('another run index of the node, or another node, is not reused', () => {
		failedRun({ executionId: 'e-runs' });

		expect(acceptedRenderFor(nodeRun({ executionId: 'e-runs', runIndex: 1 }), request)).toBeUndefined();
		expect(acceptedRenderFor(nodeRun({ executionId: 'e-runs', node: 'Spacely1' }), request)).toBeUndefined();
	});

	test('a run that succeeded forgets its renders', () => {
		const run = nodeRun({ executionId: 'e-ok' });
		recordAcceptedRender(run, request, 'ref-ok');
		endNodeRun(run, false);

		expect(acceptedRenderFor(nodeRun({ executionId: 'e-ok' }), request)).toBeUndefined();
	});

	test('without an execution id nothing is kept', () => {
		const run = nodeRun({ executionId: '' });
		recordAcceptedRender(run, request, 'ref-none');
		endNodeRun(run, true);

		expect(acceptedRenderFor(nodeRun({ executionId: '' }), request)).toBeUndefined();
	});
});

describe('another execution', () => {
	test('a manual, trigger or webhook run renders anew', () => {
		failedRun({ workflowId: 'w-anew' });

		for (const mode of ['manual', 'trigger', 'webhook'] as const) {
			expect(acceptedRenderFor(nodeRun({ workflowId: 'w-anew', mode }), request)).toBeUndefined();
		}
	});

	test('a Retry of the failed execution reuses the ref id once, even at another run index', () => {
		failedRun({ workflowId: 'w-retry' });

		const retry = nodeRun({ workflowId: 'w-retry', mode: 'retry', runIndex: 1 });
		expect(acceptedRenderFor(retry, request)).toBe('ref-1');
		// a second, concurrent Retry does not get the same render
		expect(acceptedRenderFor(nodeRun({ workflowId: 'w-retry', mode: 'retry' }), request)).toBeUndefined();
	});

	test('when that Retry fails too, the next Retry still finds the render', () => {
		failedRun({ workflowId: 'w-twice' });
		const retry = nodeRun({ workflowId: 'w-twice', mode: 'retry' });
		acceptedRenderFor(retry, request);
		endNodeRun(retry, true);

		expect(acceptedRenderFor(nodeRun({ workflowId: 'w-twice', mode: 'retry' }), request)).toBe('ref-1');
	});

	test('a Retry reuses nothing of another workflow, node or body', () => {
		failedRun({ workflowId: 'w-other' });

		const retryOf = (options: Parameters<typeof nodeRun>[0]) => nodeRun({ mode: 'retry', ...options });
		expect(acceptedRenderFor(retryOf({ workflowId: 'w-another' }), request)).toBeUndefined();
		expect(acceptedRenderFor(retryOf({ workflowId: 'w-other', node: 'Spacely1' }), request)).toBeUndefined();
		expect(acceptedRenderFor(retryOf({ workflowId: 'w-other' }), { ...request, body: { ...body, prompt: 'x' } })).toBeUndefined();
		expect(acceptedRenderFor(retryOf({ workflowId: 'w-other' }), request)).toBe('ref-1');
	});
});
