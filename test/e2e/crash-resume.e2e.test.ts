/**
 * End to end, in a real n8n server: the big-batch pattern survives a crash. A webhook sends rooms
 * to Spacely with *Ref ID Only*, then *Result → Get* waits for the images (Wait Until Done); the
 * workflow saves its execution progress. n8n is killed (SIGKILL) while Get waits, started again on
 * the same home, and the crashed execution is retried as a user does (executions list → Retry).
 * Spacely must have received one POST per room, and every image must arrive. The killed n8n's
 * log must name every render it had paid for (what a queue-mode user recovers from).
 *
 * The same workflow without *Save Execution Progress* shows why the setting matters: n8n then keeps
 * nothing of what the crashed execution did, and Retry starts from the webhook, paying every room
 * again. Both run side by side through one crash, each with its own credential (API key), so that
 * each execution's Get learns render times on its own and both are seen waiting before the kill.
 */
import { sleep } from 'n8n-workflow';

import { startFakeSpacely } from '../fake-spacely/server';
import {
	createE2eN8nHome,
	e2eN8nDescription,
	importWorkflows,
	readExample,
	startServer,
	type N8nHome,
	type N8nServer,
	type WorkflowData,
} from './harness';
import {
	callWebhook,
	nodeOutput,
	publishWorkflows,
	readExecution,
	restartServer,
	retryExecution,
	waitForEndedExecutions,
	type ExecutionSummary,
} from './server-executions';

const ROOMS = 5;
const IMAGES_PER_RENDER = 4;
// Long enough that every render is still running when n8n is killed (just after Get's first
// poll), short enough that the retry finds them done or nearly.
const RENDER_MS = 15_000;
const SEEN_WAITING_TIMEOUT_MS = 120_000;

interface Batch {
	label: string;
	workflow: WorkflowData;
	apiKey: string;
	rooms: string[];
	crashed?: ExecutionSummary;
}

/** The shipped example, under its own id, webhook path, webhook id (from `n`) and credential. */
function batch(label: string, n: number, saveExecutionProgress: boolean): Batch {
	const saved = readExample('spacely-big-batch.workflow.json');
	const credential = { id: `e2eCrash-${label}`, name: `e2eCrash-${label}` };
	const workflow: WorkflowData = {
		...saved,
		id: `e2eCrash${label}`,
		name: `${saved.name} [${label}]`,
		settings: { ...saved.settings, saveExecutionProgress },
		nodes: saved.nodes.map((node) => ({
			...node,
			...(node.webhookId ? { webhookId: `${node.webhookId.slice(0, -1)}${n}` } : {}),
			...(node.parameters.path ? { parameters: { ...node.parameters, path: `spacely-crash-${label}` } } : {}),
			...(node.credentials ? { credentials: { spacelyApi: credential } } : {}),
		})),
	};
	return {
		label,
		workflow,
		apiKey: `e2e-crash-${label}-${Math.random().toString(16).slice(2, 10)}`,
		rooms: Array.from({ length: ROOMS }, (_, room) => `https://example.com/photos/crash-${label}-room-${room}.jpg`),
	};
}

const progressSaved = batch('saved', 1, true);
const progressNotSaved = batch('unsaved', 2, false);
const batches = [progressSaved, progressNotSaved];

let spacely: Awaited<ReturnType<typeof startFakeSpacely>>;
let n8n: N8nHome;
let server: N8nServer | undefined;
/** what the killed n8n printed */
let killedLog = '';

const postsOf = (imageUrl: string) =>
	spacely.requests.filter((r) => r.method === 'POST' && r.body?.imageUrl === imageUrl);
const refIdsOf = (rooms: string[]) => rooms.flatMap((room) => postsOf(room).map((post) => post.refId));
const polledRefIds = () =>
	new Set<string | undefined>(spacely.requests.filter((r) => r.path.endsWith('/poll-result')).map((r) => r.query.refId));

/** Waits until Spacely has been asked for the result of one render of each batch: its Get is waiting. */
async function untilEveryGetWaits() {
	const deadline = Date.now() + SEEN_WAITING_TIMEOUT_MS;
	const waiting = () => batches.every(({ rooms }) => refIdsOf(rooms).some((refId) => polledRefIds().has(refId)));
	while (!waiting()) {
		if (Date.now() > deadline) throw new Error(`Get was not seen waiting in both executions: ${server?.output().slice(-2000)}`);
		await sleep(100);
	}
}

beforeAll(async () => {
	spacely = await startFakeSpacely({ apiKeys: batches.map((b) => b.apiKey), renderTimeMs: RENDER_MS });
	n8n = await createE2eN8nHome();
	await n8n.importCredentials(
		batches.map(({ label, apiKey }) => ({
			id: `e2eCrash-${label}`,
			name: `e2eCrash-${label}`,
			type: 'spacelyApi',
			data: { apiKey, baseUrl: spacely.url },
		})),
	);
	await importWorkflows(
		n8n,
		batches.map((b) => b.workflow),
	);
	await publishWorkflows(
		n8n,
		batches.map((b) => b.workflow.id),
	);

	server = await startServer(n8n);
	for (const { label, rooms } of batches) {
		const { status, body } = await callWebhook(server, `spacely-crash-${label}`, {
			rooms: rooms.map((imageUrl) => ({ imageUrl, style: 'scandinavian' })),
		});
		if (status !== 200) throw new Error(`webhook ${label}: HTTP ${status} ${JSON.stringify(body)}`);
	}
	await untilEveryGetWaits();
	await server.kill();
	killedLog = server.output();

	server = await restartServer(n8n);
	for (const b of batches) [b.crashed] = await waitForEndedExecutions(server, b.workflow.id);
});

afterAll(async () => {
	await server?.stop();
	n8n?.cleanup();
	await spacely?.close();
});

describe(`a crash while Result → Get waits, then Retry (${e2eN8nDescription()})`, () => {
	test('the killed n8n had logged each render Spacely accepted, with execution, node, item and ref id', () => {
		for (const { rooms, crashed } of batches) {
			rooms.forEach((room, item) => {
				const [{ refId }] = postsOf(room);
				expect(killedLog).toContain(
					`Spacely render ${refId} (execution ${crashed?.id}, node "Start Renders", item ${item}, /api/v1/generate/advance): accepted by Spacely (paid)`,
				);
			});
		}
	});

	test('with Save Execution Progress, Retry pays nothing twice and every image arrives', async () => {
		const { crashed, rooms } = progressSaved;
		expect(crashed?.status).toBe('crashed');
		const refIds = refIdsOf(rooms);
		expect(refIds).toHaveLength(ROOMS);
		// What n8n kept of the crashed execution: the ref ids that Start Renders output.
		const kept = await readExecution(server!, n8n, crashed!.id);
		expect(nodeOutput(kept, 'Start Renders').map((item) => item.json.refId)).toEqual(refIds);

		const retried = await retryExecution(server!, n8n, crashed!.id);

		expect({ status: retried.status, mode: retried.mode, error: retried.error?.message }).toEqual({
			status: 'success',
			mode: 'retry',
			error: undefined,
		});
		for (const room of rooms) expect(`${room}: ${postsOf(room).length} POST(s)`).toBe(`${room}: 1 POST(s)`);
		const images = nodeOutput(retried, 'Wait for Images');
		expect(images).toHaveLength(ROOMS * IMAGES_PER_RENDER);
		expect([...new Set(images.map((item) => item.json.refId))]).toEqual(refIds);
		for (const item of images) {
			expect(item.json.status).toBe('success');
			expect(item.binary?.data).toMatchObject({ mimeType: 'image/png' });
		}
	});

	test('without it, Retry starts again from the webhook and every room is paid twice', async () => {
		const { crashed, rooms } = progressNotSaved;
		expect(crashed?.status).toBe('crashed');

		const retried = await retryExecution(server!, n8n, crashed!.id);

		expect(retried.status).toBe('success');
		for (const room of rooms) expect(`${room}: ${postsOf(room).length} POST(s)`).toBe(`${room}: 2 POST(s)`);
		expect(nodeOutput(retried, 'Wait for Images')).toHaveLength(ROOMS * IMAGES_PER_RENDER);
	});
});
