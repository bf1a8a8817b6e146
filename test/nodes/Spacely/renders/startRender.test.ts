/**
 * Starting renders when n8n runs a node again: its Retry On Fail loop within an execution, and the
 * Retry of a failed execution (mode "retry"). Through n8n-core's WorkflowExecute, so n8n itself
 * decides when to run the node again; the fake Spacely server counts what was paid.
 */
import { captureN8nLog } from '../../../helpers/n8n-log';
import { useFakeSpacely } from '../../../helpers/use-fake-spacely';
import { API_KEY, runV2 } from '../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

const logged = captureN8nLog();

const advance = (output = 'refId') => ({
	resource: 'render',
	operation: 'generateAdvance',
	imageUrl: '={{ $json.photo }}',
	prompt: 'mid_century',
	output,
	waitSettings: { firstCheckAfter: 0.05 },
});
const retryOnFail = { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 };

let photoCount = 0;
/** Photos never seen by the fake server before; `faults[i]` marks the i-th (e.g. fake-500-once). */
function photos(faults: string[]) {
	const batch = ++photoCount;
	return faults.map((fault, index) => ({ photo: `https://example.com/batch-${batch}/room-${index}.jpg?${fault}` }));
}

/** The renders the fake server accepted (and charged), by photo. */
function acceptedByPhoto() {
	const accepted = new Map<string, string[]>();
	for (const r of fake.requests) {
		if (r.method !== 'POST' || r.status !== 200) continue;
		accepted.set(r.body.imageUrl, [...(accepted.get(r.body.imageUrl) ?? []), r.refId!]);
	}
	return accepted;
}
const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe('Retry On Fail', () => {
	test('a passing server error on one item: every render is paid once, and the run outputs all of them', async () => {
		const items = photos(['ok', 'fake-500-once', 'ok', 'ok']);
		const { output, error } = await runV2(fake, advance('imageLinks'), items, { settings: retryOnFail });

		expect(error).toBeUndefined();
		const accepted = acceptedByPhoto();
		expect(items.map(({ photo }) => accepted.get(photo))).toEqual(items.map(() => [expect.any(String)]));
		expect(posts()).toHaveLength(5);
		expect(output!.map((item) => item.json.refId)).toEqual(items.map(({ photo }) => accepted.get(photo)![0]));
		expect(output!.every((item) => item.json.status === 'success')).toBe(true);
		expect(output!.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
	});

	test('with Continue On Fail, n8n runs the node again when its first item failed; the others are not paid again', async () => {
		const items = photos(['fake-500-once', 'ok', 'ok']);
		const { output } = await runV2(fake, advance(), items, { settings: retryOnFail, continueOnFail: true });

		const accepted = acceptedByPhoto();
		expect(items.map(({ photo }) => accepted.get(photo)?.length)).toEqual([1, 1, 1]);
		expect(output!.map((item) => item.json.refId)).toEqual(items.map(({ photo }) => accepted.get(photo)![0]));
	});

	test('each accepted render is logged once, with the execution, node, item, endpoint and ref id, never the key', async () => {
		const items = photos(['ok', 'fake-500-once']);
		await runV2(fake, advance(), items, { settings: retryOnFail, execution: { id: 'exec-logged' } });

		const [first, second] = items.map(({ photo }) => acceptedByPhoto().get(photo)![0]);
		const acceptedLines = logged.filter((line) => line.includes('accepted by Spacely'));
		expect(acceptedLines.sort()).toEqual(
			[
				`Spacely render ${first} (execution exec-logged, node "Spacely", item 0, /api/v1/generate/advance): accepted by Spacely (paid)`,
				`Spacely render ${second} (execution exec-logged, node "Spacely", item 1, /api/v1/generate/advance): accepted by Spacely (paid)`,
			].sort(),
		);
		expect(logged.filter((line) => line.includes(`${first} `) && line.includes('reused'))).toHaveLength(1);
		expect(logged.some((line) => line.includes(API_KEY))).toBe(false);
	});
});

describe("an execution's Retry", () => {
	test('reuses the renders the failed execution paid for and sends only the item that had none', async () => {
		const items = photos(['ok', 'fake-500-once', 'ok']);
		const failed = await runV2(fake, advance(), items);
		expect(failed.error?.message).toMatch(/500/);
		const paidBefore = acceptedByPhoto();

		const { output, error } = await runV2(fake, advance(), items, { execution: { mode: 'retry' } });

		expect(error).toBeUndefined();
		const accepted = acceptedByPhoto();
		expect(items.map(({ photo }) => accepted.get(photo)?.length)).toEqual([1, 1, 1]);
		expect(output!.map((item) => item.json.refId)).toEqual([
			paidBefore.get(items[0].photo)![0],
			accepted.get(items[1].photo)![0],
			paidBefore.get(items[2].photo)![0],
		]);
	});

	test('an item whose body changed is rendered anew', async () => {
		const items = photos(['ok', 'fake-500-once']);
		await runV2(fake, advance(), items);

		await runV2(fake, { ...advance(), prompt: 'rustic' }, items, { execution: { mode: 'retry' } });

		expect(items.map(({ photo }) => acceptedByPhoto().get(photo)?.length)).toEqual([2, 1]);
	});

	test('a manual run of the same items renders them all again: the same photo twice on purpose is a new render', async () => {
		const items = photos(['ok', 'fake-500-once']);
		await runV2(fake, advance(), items);

		const { error } = await runV2(fake, advance(), items, { execution: { mode: 'manual' } });

		expect(error).toBeUndefined();
		expect(items.map(({ photo }) => acceptedByPhoto().get(photo)?.length)).toEqual([2, 1]);
	});
});

describe('what is not reused', () => {
	test('a render Spacely reports failed is rendered anew when n8n runs the item again', async () => {
		const items = photos(['fake-render-fails']);
		const { error } = await runV2(fake, advance('imageLinks'), items, { settings: retryOnFail });

		expect(error?.message).toMatch(/failed \(status "failed"\)/);
		expect(acceptedByPhoto().get(items[0].photo)).toHaveLength(2);
	});
});

test('a 200 without a ref id that repeats the key: the error quotes it masked', async () => {
	const { error } = await runV2(fake, advance(), photos(['fake-ok-echoing-key']));

	const description = (error as { description?: string }).description ?? '';
	expect(description).toContain('queued for key ***');
	expect(`${error?.message} ${description}`).not.toContain(API_KEY);
});
