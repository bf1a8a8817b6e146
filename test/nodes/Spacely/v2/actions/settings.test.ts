import { useFakeSpacely } from '../../../../helpers/use-fake-spacely';
import { API_KEY, ROOM, runV2 } from '../../../../helpers/run-v2';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

// Answers slow enough that every request the node lets out is still out when the last one leaves,
// even on a busy machine.
const rooms = Array.from({ length: 60 }, (_, i) => ({ photo: `${ROOM}?n=${i}&fake-slow-1500` }));
const startRenders = { resource: 'render', operation: 'generateAdvance', imageUrl: '={{ $json.photo }}', output: 'refId' };

describe('version 2 Request Settings → Max Concurrent Requests', () => {
	test('left out, up to 50 requests are out at once: enough to keep the default budget of 50 a second busy', async () => {
		const { output, error } = await runV2(fake, startRenders, rooms);

		expect(error).toBeUndefined();
		expect(output).toHaveLength(60);
		expect(fake.maxInFlight()).toBe(50);
	});

	test('set lower, it holds', async () => {
		const { output } = await runV2(fake, { ...startRenders, requestSettings: { maxConcurrency: 7 } }, rooms.slice(0, 20));

		expect(output).toHaveLength(20);
		expect(fake.maxInFlight()).toBe(7);
	});
});
