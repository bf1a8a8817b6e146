/**
 * End to end, in a real n8n server (regular mode): a failed execution retried from the executions
 * list, as a user does, pays nothing twice. A webhook sends three rooms to Spacely; one meets a
 * passing server error, so the node fails after Spacely accepted the other two. n8n's Retry runs
 * the node again in the same process (mode "retry"): those two get their ref ids back, and only
 * the third is sent again. scripts/test-e2e.js runs this file once per supported n8n version.
 */
import { startFakeSpacely } from '../fake-spacely/server';
import {
	createE2eN8nHome,
	e2eApiKeys,
	e2eN8nDescription,
	importWorkflows,
	startServer,
	workflowFile,
	type N8nHome,
	type N8nServer,
} from './harness';
import { callWebhook, nodeOutput, publishWorkflows, retryExecution, waitForEndedExecutions } from './server-executions';

const WORKFLOW_ID = 'e2eV2RetriedExecution';
const keys = e2eApiKeys();
const photos = ['ok', 'fake-500-once', 'ok'].map((fault, room) => `https://example.com/photos/retried-${room}.jpg?${fault}`);

let spacely: Awaited<ReturnType<typeof startFakeSpacely>>;
let n8n: N8nHome;
let server: N8nServer | undefined;

beforeAll(async () => {
	spacely = await startFakeSpacely({ apiKeys: [keys.good], pollsUntilDone: 0 });
	n8n = await createE2eN8nHome();
	await n8n.importCredentials([
		{ id: 'e2eGoodKey', name: 'e2eGoodKey', type: 'spacelyApi', data: { apiKey: keys.good, baseUrl: spacely.url } },
	]);
	await importWorkflows(n8n, [workflowFile('v2/retried-execution.json')]);
	await publishWorkflows(n8n, [WORKFLOW_ID]);
	server = await startServer(n8n);
});

afterAll(async () => {
	await server?.stop();
	n8n?.cleanup();
	await spacely?.close();
});

/** The ref ids of the renders Spacely accepted (and charged) for each photo. */
const acceptedRefIds = () =>
	photos.map((photo) =>
		spacely.requests.filter((r) => r.method === 'POST' && r.status === 200 && r.body?.imageUrl === photo).map((r) => r.refId),
	);

describe(`a failed execution retried from the executions list (${e2eN8nDescription()})`, () => {
	test('reuses the renders the failed run paid for and sends only the rooms that had none', async () => {
		const { status } = await callWebhook(server!, 'spacely-retried-execution', {
			rooms: photos.map((photo) => ({ photo, style: 'modern' })),
		});
		expect(status).toBe(200);
		const [failed] = await waitForEndedExecutions(server!, WORKFLOW_ID);
		expect(failed.status).toBe('error');
		// The third room was paid for in the failed run only if its render went out before the 500
		// came back: a failing run starts no render. Either way the retry pays for none twice.
		const [[first]] = acceptedRefIds();
		expect(first).toEqual(expect.any(String));

		const retried = await retryExecution(server!, n8n, failed.id);

		expect({ status: retried.status, mode: retried.mode, error: retried.error?.message }).toEqual({
			status: 'success',
			mode: 'retry',
			error: undefined,
		});
		const accepted = acceptedRefIds();
		expect(accepted.map((refIds) => refIds.length)).toEqual([1, 1, 1]);
		expect(nodeOutput(retried, 'Spacely').map((item) => item.json.refId)).toEqual(accepted.map(([refId]) => refId));
		expect(server!.output()).toContain(`Spacely render ${first} (execution ${retried.id}, node "Spacely", item 0`);
	});
});
