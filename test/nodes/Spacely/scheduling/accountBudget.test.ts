import type { IDataObject } from 'n8n-workflow';

import { processBudget } from '../../../../nodes/Spacely/scheduling/accountBudget';
import type { RunOptions } from '../../../helpers/run-workflow';
import { runSpacelyWorkflow } from '../../../helpers/run-workflow';
import { useFakeSpacely } from '../../../helpers/use-fake-spacely';

const API_KEY = 'dummy-budget-key';
const ROOM = 'https://example.com/photos/room.jpg';

const fake = useFakeSpacely({ apiKeys: [API_KEY] });

type Budget = Omit<RunOptions['credentials'], 'apiKey' | 'baseUrl'>;

/** `count` rooms through Generate Advance, all sent at once unless the budget holds them back. */
async function renderRooms(count: number, budget: Budget, options: IDataObject = {}) {
	const { output, error } = await runSpacelyWorkflow({
		items: Array.from({ length: count }, (_, i) => ({ imageUrl: `${ROOM}?budget-${i}` })),
		parameters: { imageUrl: '={{ $json.imageUrl }}', options: { maxConcurrency: count, ...options } },
		credentials: { apiKey: API_KEY, baseUrl: fake.url, ...budget },
	});
	expect(error).toBeUndefined();
	expect(output).toHaveLength(count);
	expect(fake.requests).toHaveLength(count);
}

describe('the account budget in the credential, as one n8n process keeps it', () => {
	test('10 per second for 2 processes: this one sends at most 5 per second', async () => {
		await renderRooms(15, { requestsPerSecond: 10, n8nProcesses: 2 });

		// Its share is used, not undershot.
		expect(fake.peakPerSecond()).toBe(5);
	});

	test("a saved workflow's Max Requests per Second still lowers it", async () => {
		await renderRooms(12, { requestsPerSecond: 20, n8nProcesses: 1 }, { maxRequestsPerSecond: 4 });

		expect(fake.peakPerSecond()).toBe(4);
	});

	test('a node option above the share does not raise it', async () => {
		await renderRooms(12, { requestsPerSecond: 8, n8nProcesses: 2 }, { maxRequestsPerSecond: 50 });

		expect(fake.peakPerSecond()).toBe(4);
	});

	test('a credential saved before the budget existed keeps the old default of 50 per second', async () => {
		await renderRooms(60, {});

		expect(fake.peakPerSecond()).toBe(50);
	});

	test("never more than Spacely's 100 per second, whatever the credential holds", async () => {
		await renderRooms(110, { requestsPerSecond: 500, n8nProcesses: 1 });

		expect(fake.peakPerSecond()).toBe(100);
	});
});

describe('processBudget', () => {
	test.each([
		['the defaults', {}, undefined, 50, 100],
		['an equal share, rounded down', { requestsPerSecond: 20, n8nProcesses: 3 }, undefined, 6, 33],
		['at least 1 per process', { requestsPerSecond: 2, n8nProcesses: 5 }, undefined, 1, 20],
		['the smaller of share and node option', { requestsPerSecond: 60, n8nProcesses: 2 }, 10, 10, 50],
		['numbers saved as text', { requestsPerSecond: '30', n8nProcesses: '3' }, undefined, 10, 33],
		['nonsense gets the defaults', { requestsPerSecond: 'fast', n8nProcesses: 0 }, undefined, 50, 100],
		['processes beyond 100 count as 100', { requestsPerSecond: 100, n8nProcesses: 500 }, undefined, 1, 1],
	])('%s', (_, credential, nodeOption, perSecond, spacelyLimitShare) => {
		expect(processBudget(credential, nodeOption)).toEqual({ perSecond, spacelyLimitShare });
	});
});
