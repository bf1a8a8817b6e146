/**
 * End to end: n8n's AI Agent uses the Spacely node as a tool (n8n-nodes-spacely.spacelyTool, made
 * by n8n from `usableAsTool`), version 1 as saved workflows have it and version 2. The agent's
 * OpenAI Chat Model talks to a scripted fake OpenAI server that calls the tool with arguments of its
 * choosing, then answers with the ref id the tool returned (one fake per workflow, each scripted
 * with its tool's arguments). scripts/test-e2e.js runs this file once per supported n8n version,
 * each with the newest AI Agent node version it has.
 */
import { startFakeOpenAi } from '../fake-openai/server';
import { startFakeSpacely } from '../fake-spacely/server';
import {
	agentWorkflow,
	createE2eN8nHome,
	e2eAgentVersion,
	e2eApiKeys,
	e2eN8nDescription,
	importWorkflows,
	type ExecutionRun,
	type N8nHome,
} from './harness';

const keys = e2eApiKeys();
const TOOL_NODE = 'Spacely Render';

// None is a default of the tool's fields, so each value in the render must have come from the model.
const chosen = {
	imageUrl: 'https://example.com/photos/agent-cafe.jpg',
	prompt: 'industrial_loft',
	renovateType: 'commercial',
};
// What the model chooses for version 2's Generate Standard tool: a style outside its dropdown too.
const chosenV2 = {
	imageUrl: 'https://example.com/photos/agent-bedroom.jpg',
	spaceType: 'bedroom',
	spaceStyle: 'japandi',
};

let spacely: Awaited<ReturnType<typeof startFakeSpacely>>;
let openAi: Awaited<ReturnType<typeof startFakeOpenAi>>;
let openAiV2: Awaited<ReturnType<typeof startFakeOpenAi>>;
let n8n: N8nHome;

beforeAll(async () => {
	spacely = await startFakeSpacely({ apiKeys: [keys.good] });
	openAi = await startFakeOpenAi({ apiKey: keys.good, toolArguments: chosen });
	openAiV2 = await startFakeOpenAi({ apiKey: keys.good, toolArguments: chosenV2 });
	n8n = await createE2eN8nHome();
	const openAiCredential = (id: string, baseUrl: string) => ({
		id,
		name: id,
		type: 'openAiApi',
		data: { apiKey: keys.good, url: baseUrl },
	});
	await n8n.importCredentials([
		{ id: 'e2eAgentSpacely', name: 'e2eAgentSpacely', type: 'spacelyApi', data: { apiKey: keys.good, baseUrl: spacely.url } },
		openAiCredential('e2eFakeOpenAi', openAi.baseUrl),
		openAiCredential('e2eFakeOpenAiV2', openAiV2.baseUrl),
	]);
	await importWorkflows(n8n, [agentWorkflow('agent-renders-room.json'), agentWorkflow('agent-v2-preset-style.json')]);
});

afterAll(async () => {
	n8n?.cleanup();
	await spacely?.close();
	await openAi?.close();
	await openAiV2?.close();
});

beforeEach(() => spacely.reset());

interface AnyNodeRun {
	error?: { message: string };
	data?: Record<string, Array<Array<{ json: Record<string, unknown> }> | null>>;
}

function runsOf(run: ExecutionRun | undefined): Record<string, AnyNodeRun[]> {
	return (run?.data.resultData.runData ?? {}) as Record<string, AnyNodeRun[]>;
}

/** Every error any run of any node reported, as "node: message". */
function nodeErrors(run: ExecutionRun | undefined): string[] {
	return Object.entries(runsOf(run)).flatMap(([node, runs]) =>
		runs.filter((r) => r.error).map((r) => `${node}: ${r.error?.message}`),
	);
}

interface OfferedTool {
	function: { name: string; parameters: { properties: Record<string, unknown> } };
}

interface ChatMessage {
	role: string;
	content: unknown;
	tool_call_id?: string;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
}

describe(`the AI Agent (node version ${e2eAgentVersion()}) on ${e2eN8nDescription()}`, () => {
	test('renders the room the model chose through the Spacely tool and answers with its ref id', async () => {
		const { ok, run, output } = await n8n.execute('e2eAgentRendersRoom');

		expect({ ok, error: run?.data.resultData.error, output: ok ? '' : output }).toEqual({
			ok: true,
			error: undefined,
			output: '',
		});
		// On n8n 2.41 a failing tool does not fail the run (n8n hands its error to the model as the
		// tool's answer; on 1.123 and 2.8 it fails the run), so only the nodes' own runs show it.
		expect(nodeErrors(run)).toEqual([]);
		const toolRuns = runsOf(run)[TOOL_NODE];
		expect(toolRuns).toHaveLength(1);

		// One render, with what the model chose and the fields the workflow fixes.
		const posts = spacely.requests.filter((r) => r.method === 'POST');
		expect(posts.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([
			['/api/v1/generate/advance', { model: 'spacely-v1', nPrompt: '', ...chosen }],
		]);
		expect(posts[0].headers['x-api-key']).toBe(keys.good);
		const [refId] = spacely.issuedRefIds();
		expect(spacely.issuedRefIds()).toEqual([refId]);
		expect(toolRuns[0].data?.ai_tool?.[0]?.map((item) => item.json)).toEqual([
			{ refId, model: 'spacely-v1', ...chosen },
		]);

		// The model was offered the tool with the $fromAI parameters, then got the tool's output back.
		expect(openAi.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /v1/chat/completions 200',
			'POST /v1/chat/completions 200',
		]);
		const [first, second] = openAi.chatRequests();
		const offered: OfferedTool[] = first.body.tools;
		expect(offered.map((t) => t.function.name)).toEqual(['Spacely_Render']);
		expect(Object.keys(offered[0].function.parameters.properties).sort()).toEqual(Object.keys(chosen).sort());
		expect(first.reply).toBe('toolCall');

		const messages: ChatMessage[] = second.body.messages;
		const call = messages.find((m) => m.tool_calls)?.tool_calls?.[0];
		expect(call?.function.name).toBe('Spacely_Render');
		// n8n adds the call's id to the arguments it sends back in the history.
		expect(JSON.parse(call?.function.arguments ?? '{}')).toMatchObject(chosen);
		const toolResult = messages[messages.length - 1];
		expect(toolResult).toMatchObject({ role: 'tool', tool_call_id: call?.id });
		expect(JSON.stringify(toolResult.content)).toContain(refId);
		expect(second.reply).toBe('answer');

		const agentRuns = runsOf(run)['AI Agent'];
		const answer = agentRuns[agentRuns.length - 1].data?.main[0]?.[0]?.json.output;
		expect(answer).toEqual(expect.stringContaining(refId));
	});

	test('version 2: a Generate Standard tool renders the style the model chose and answers with its image files\' ref id', async () => {
		const { ok, run, output } = await n8n.execute('e2eAgentV2PresetStyle');

		expect({ ok, error: run?.data.resultData.error, output: ok ? '' : output }).toEqual({
			ok: true,
			error: undefined,
			output: '',
		});
		expect(nodeErrors(run)).toEqual([]);

		const posts = spacely.requests.filter((r) => r.method === 'POST');
		expect(posts.map((r) => [r.path, JSON.parse(r.rawBody)])).toEqual([
			[
				'/api/v1/generate/standard',
				{ model: 'spacely-v1', spaceColor: '', renovateType: 'residential', styleUrl: '', materialsIds: [], ...chosenV2 },
			],
		]);
		const [refId] = spacely.issuedRefIds();
		const [offered] = openAiV2.chatRequests()[0].body.tools as OfferedTool[];
		expect(Object.keys(offered.function.parameters.properties).sort()).toEqual(Object.keys(chosenV2).sort());
		// The tool waited for the render and downloaded its four images.
		const toolItems = runsOf(run)['Spacely Preset Style'][0].data?.ai_tool?.[0] ?? [];
		expect(toolItems.map((item) => item.json)).toEqual(
			[1, 2, 3, 4].map((n, imageIndex) =>
				expect.objectContaining({ renderedImageUrl: `${spacely.url}/renders/${refId}-${n}.png`, imageIndex, refId }),
			),
		);
		const agentRuns = runsOf(run)['AI Agent'];
		expect(agentRuns[agentRuns.length - 1].data?.main[0]?.[0]?.json.output).toEqual(expect.stringContaining(refId));
	});
});
