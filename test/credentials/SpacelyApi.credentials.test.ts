import { CredentialTestContext } from 'n8n-core';
import type { ICredentialsDecrypted } from 'n8n-workflow';

import { SpacelyApi } from '../../credentials/SpacelyApi.credentials';
import { Spacely } from '../../nodes/Spacely/Spacely.node';
import { startFakeSpacely } from '../fake-spacely/server';
import { useFakeSpacely } from '../helpers/use-fake-spacely';

const GOOD_KEY = 'sk-good-123';

const fake = useFakeSpacely({ apiKeys: [GOOD_KEY] });

/** Runs the credential test the way n8n's editor does: the node's `testedBy` function in a CredentialTestContext. */
async function testCredential(data: { apiKey: string; baseUrl: string }) {
	const credential: ICredentialsDecrypted = { id: '1', name: 'Spacely', type: 'spacelyApi', data };
	const { testedBy } = new Spacely().description.credentials![0];
	const test = new Spacely().methods.credentialTest[testedBy as 'spacelyApiTest'];
	return await test.call(new CredentialTestContext(), credential);
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

	test('the editor test accepts a good key without starting a render', async () => {
		const result = await testCredential({ apiKey: GOOD_KEY, baseUrl: fake.url });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful: Spacely accepted the API key' });
		expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v1/generate/poll-result',
		]);
		expect(fake.requests[0].headers['x-api-key']).toBe(GOOD_KEY);
	});

	test('the editor test rejects a bad key with a message that does not show it', async () => {
		const result = await testCredential({ apiKey: 'sk-bad-999', baseUrl: fake.url });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/API key was rejected/);
		expect(result.message).not.toContain('sk-bad-999');
	});

	test('the editor test says when the base URL cannot be reached', async () => {
		const closed = await startFakeSpacely();
		await closed.close();
		const result = await testCredential({ apiKey: GOOD_KEY, baseUrl: `${closed.url}/` });

		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining(`Could not reach Spacely at ${closed.url}.`),
		});
	});

	test('the editor test reports a base URL that is not the Spacely API', async () => {
		const result = await testCredential({ apiKey: GOOD_KEY, baseUrl: `${fake.url}/wrong-prefix` });

		expect(result).toEqual({ status: 'Error', message: 'Spacely API endpoint not found (404)' });
	});
});
