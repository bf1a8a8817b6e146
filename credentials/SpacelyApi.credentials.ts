import type {
	IAuthenticateGeneric,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_ACCOUNT_REQUESTS_PER_SECOND,
	DEFAULT_N8N_PROCESSES,
	MAX_N8N_PROCESSES,
} from '../nodes/Spacely/scheduling/accountBudget';
import { SPACELY_LIMIT_PER_SECOND } from '../nodes/Spacely/scheduling/rateLimiter';

const DEFAULT_BASE_URL = 'https://api.spacely.ai';
const KEY_REJECTED = 'The API key was rejected by Spacely. Copy it again from your Spacely account.';
const REDIRECTED =
	'The Base URL redirects. Requests are not sent on, as they would carry the key along: set the address it redirects to as the Base URL.';

export class SpacelyApi implements ICredentialType {
	name = 'spacelyApi';

	displayName = 'Spacely API';

	documentationUrl = 'https://github.com/n8n-nodes-spacely/n8n-nodes-spacely#credentials';

	icon = { light: 'file:../nodes/Spacely/spacely.svg', dark: 'file:../nodes/Spacely/spacely.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Spacely API key, from the API page of your Spacely account',
			hint: 'In your Spacely account, open the API (enterprise) page and copy the key. Keep it secret: anyone with it spends your credits.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: DEFAULT_BASE_URL,
			description:
				'Where the Spacely API lives. Keep the default unless you go through a proxy or a test server.',
		},
		// The account budget lives here, with the key, because Spacely counts requests per key.
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: SPACELY_LIMIT_PER_SECOND },
			default: DEFAULT_ACCOUNT_REQUESTS_PER_SECOND,
			description:
				'How many requests n8n may send to Spacely per second with this key, in total. Spacely blocks the account above 100 per second, so stay below that; lower it if other tools use the same key.',
			hint: 'Shared by every workflow and every n8n process that uses this key.',
		},
		{
			displayName: 'n8n Processes Using This Key',
			name: 'n8nProcesses',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_N8N_PROCESSES },
			default: DEFAULT_N8N_PROCESSES,
			description:
				'How many n8n processes run workflows with this key at the same time. Each one keeps to an equal share of Requests per Second. A single n8n is 1.',
			hint: 'In queue mode: the number of workers, plus 1 for the main n8n unless manual executions are offloaded to the workers (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true). Ask whoever runs your n8n.',
		},
	];

	// The key goes out as the X-API-KEY header and nowhere else.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-KEY': '={{$credentials.apiKey}}',
			},
		},
	};

	/**
	 * Spacely has no "who am I" endpoint and every render spends credits, so the key is tried on a
	 * poll for a ref id that cannot exist: a good key gets 400 (unknown ref id), a bad one 401, and
	 * nothing is rendered. 400 must count as success, so status errors are ignored except those
	 * that mean a bad key or a wrong Base URL. n8n before 2.9 (1.123, 2.8) knows no `except` and
	 * ignores every status: there the rule on the body catches the 401 that Spacely documents.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || '').trim() || '${DEFAULT_BASE_URL}' }}`,
			url: '/api/v1/generate/poll-result',
			qs: { refId: '00000000-0000-0000-0000-000000000000' },
			ignoreHttpStatusErrors: { ignore: true, except: [301, 302, 303, 307, 308, 401, 403, 404, 500, 502, 503, 504] },
			disableFollowRedirect: true,
		},
		// n8n checks each rule by its type, so one list may hold both kinds (its type says otherwise).
		rules: ([
			{ type: 'responseCode', properties: { value: 401, message: KEY_REJECTED } },
			{ type: 'responseCode', properties: { value: 403, message: KEY_REJECTED } },
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: { value, message: REDIRECTED },
			})),
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'Nothing answers at this Base URL (404). Keep the default unless you use a proxy.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'message', value: 'API key invalid or missing', message: KEY_REJECTED },
			},
		] satisfies Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody>) as ICredentialTestRequest['rules'],
	};
}
