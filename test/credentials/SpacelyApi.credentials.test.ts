import type { ICredentialTestRequest } from 'n8n-workflow';

import { SpacelyApi } from '../../credentials/SpacelyApi.credentials';
import { startFakeSpacely } from '../fake-spacely/server';
import type { RunResult } from '../helpers/run-workflow';
import { runSpacelyWorkflow } from '../helpers/run-workflow';
import { useFakeSpacely } from '../helpers/use-fake-spacely';

const GOOD_KEY = 'good-dummy-key';
const ZERO_REF_ID = '00000000-0000-0000-0000-000000000000';

const fake = useFakeSpacely({ apiKeys: [GOOD_KEY] });

/** Sends the credential's declarative test request through n8n-core's routing, as n8n's tester does. */
async function sendTestRequest(data: { apiKey: string; baseUrl: string }): Promise<RunResult> {
	return await runSpacelyWorkflow({ credentialTest: true, parameters: {}, items: [{}], credentials: data });
}

/**
 * What n8n's credential tester makes of that (packages/cli credentials-tester.service): a failed
 * request is an error, worded by the first rule for its status code; a response whose body
 * matches a body rule is an error too; anything else is OK. Real n8n runs it in test/e2e.
 */
function reported({ error, output }: RunResult, rules: ICredentialTestRequest['rules'] = new SpacelyApi().test.rules) {
	const status = Number((error as { httpCode?: string } | undefined)?.httpCode);
	for (const rule of rules ?? []) {
		if (error && rule.type === 'responseCode' && rule.properties.value === status) {
			return { status: 'Error', message: rule.properties.message };
		}
		const body = output?.[0].json ?? {};
		if (!error && rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return error ? { status: 'Error', message: error.message } : { status: 'OK' };
}

describe('Spacely API credential', () => {
	test('is named spacelyApi with a password key and an overridable base URL', () => {
		const credential = new SpacelyApi();
		expect(credential.name).toBe('spacelyApi');
		expect(credential.displayName).toBe('Spacely API');
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({ name: 'apiKey', required: true, typeOptions: { password: true } });
		expect(baseUrl).toMatchObject({ name: 'baseUrl', default: 'https://api.spacely.ai' });
		expect(credential.authenticate.properties).toEqual({
			headers: { 'X-API-KEY': '={{$credentials.apiKey}}' },
		});
	});

	test('holds the account budget, with defaults for credentials saved before it existed', () => {
		const [, , requestsPerSecond, n8nProcesses] = new SpacelyApi().properties;
		expect(requestsPerSecond).toMatchObject({
			name: 'requestsPerSecond',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, maxValue: 100 },
		});
		expect(n8nProcesses).toMatchObject({ name: 'n8nProcesses', type: 'number', default: 1, typeOptions: { minValue: 1 } });
		expect(n8nProcesses.hint).toMatch(/workers.*main n8n.*OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS/);
	});

	test('the test request accepts a good key without starting a render', async () => {
		const result = await sendTestRequest({ apiKey: GOOD_KEY, baseUrl: `${fake.url}/` });

		expect(reported(result)).toEqual({ status: 'OK' });
		expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.query.refId}`)).toEqual([
			`GET /api/v1/generate/poll-result ${ZERO_REF_ID}`,
		]);
		expect(fake.requests[0].headers['x-api-key']).toBe(GOOD_KEY);
	});

	test('the test request rejects a bad key with a message that does not show it', async () => {
		const badKey = 'bad-dummy-key-999';
		const result = await sendTestRequest({ apiKey: badKey, baseUrl: fake.url });

		expect(reported(result)).toEqual({
			status: 'Error',
			message: 'The API key was rejected by Spacely. Copy it again from your Spacely account.',
		});
		expect(JSON.stringify(reported(result))).not.toContain(badKey);
	});

	test('on an n8n that ignores every status (before 2.9: 1.123, 2.8), the body rule still catches the 401', async () => {
		const { rules } = new SpacelyApi().test;
		const bodyRules = rules?.filter((rule) => rule.type === 'responseSuccessBody');
		const bodyOf401 = { output: [{ json: { message: 'API key invalid or missing' } }] } as unknown as RunResult;

		expect(reported(bodyOf401, bodyRules as ICredentialTestRequest['rules'])).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/API key was rejected/),
		});
	});

	test('the test request fails when the base URL cannot be reached', async () => {
		const closed = await startFakeSpacely();
		await closed.close();
		const result = await sendTestRequest({ apiKey: GOOD_KEY, baseUrl: closed.url });

		expect(reported(result).status).toBe('Error');
		expect(result.error?.description ?? result.error?.message).toMatch(/ECONNREFUSED|refused/);
	});

	test('the test request fails when the base URL is not the Spacely API', async () => {
		const result = await sendTestRequest({ apiKey: GOOD_KEY, baseUrl: `${fake.url}/wrong-prefix` });

		expect(reported(result)).toEqual({ status: 'Error', message: expect.stringMatching(/^Nothing answers at this Base URL \(404\)/) });
	});
});
