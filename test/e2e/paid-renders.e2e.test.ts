/**
 * End to end: n8n's own recovery paths, in a real n8n, pay for each render once. n8n decides when
 * a node runs again (Retry On Fail, an execution's Retry); the node keeps what Spacely accepted.
 * scripts/test-e2e.js runs this file once per supported n8n version.
 */
import { expectSuccess } from './expect-success';
import {
	e2eN8nDescription,
	readWorkflow,
	workflowFile,
	type ExecutionRun,
} from './harness';
import { useE2eN8n } from './use-e2e-n8n';


const { keys, fake, n8n } = useE2eN8n({
	workflows: [workflowFile('v2/retry-on-fail.json')],
});

beforeEach(() => fake.reset());

function photosOf(file: string): string[] {
	const rooms = readWorkflow(file).nodes.find((n) => n.name === 'Rooms');
	return JSON.parse(rooms!.parameters.jsonOutput).rooms.map((room: { photo: string }) => room.photo);
}

/** The ref ids of the renders the fake server accepted (and charged) for each photo. */
function acceptedFor(photos: string[]) {
	const accepted = fake.requests.filter((r) => r.method === 'POST' && r.status === 200);
	return photos.map((photo) => accepted.filter((r) => r.body?.imageUrl === photo).map((r) => r.refId));
}

const spacelyItems = (run: ExecutionRun | undefined) => run?.data.resultData.runData.Spacely?.[0]?.data?.main[0] ?? [];

describe(`paid renders under n8n's recovery paths, on ${e2eN8nDescription()}`, () => {
	test('Retry On Fail with a passing server error pays each render once and outputs every ref id', async () => {
		const photos = photosOf('v2/retry-on-fail.json');
		const result = await n8n.execute('e2eV2RetryOnFail');

		expectSuccess(result);
		const accepted = acceptedFor(photos);
		expect(accepted.map((refIds) => refIds.length)).toEqual([1, 1, 1, 1]);
		// the one 500, then that photo alone again
		expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
		const items = spacelyItems(result.run);
		expect(items.map((item) => [item.json.refId, item.json.status, item.pairedItem])).toEqual(
			accepted.map(([refId], item) => [refId, 'success', { item }]),
		);
		// one line per paid render, in n8n's log at its default level, for an operator after a crash
		accepted.forEach(([refId], item) =>
			expect(result.output).toContain(
				`Spacely render ${refId} (execution ${executionIdIn(result.output)}, node "Spacely", item ${item}, /api/v1/generate/advance): accepted by Spacely (paid)`,
			),
		);
		expect(result.output).not.toContain(keys.good);
	});
});

/** The execution id the node named in its log lines (the CLI prints no other). */
function executionIdIn(output: string): string {
	return /Spacely render \S+ \(execution (\S+),/.exec(output)?.[1] ?? 'none found';
}
