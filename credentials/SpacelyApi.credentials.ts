import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

export class SpacelyApi implements ICredentialType {
	name = 'spacelyApi';

	displayName = 'Spacely API';

	documentationUrl = 'https://github.com/n8n-nodes-spacely/n8n-nodes-spacely#credentials';

	icon = 'file:../nodes/Spacely/spacely.svg' as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Your Spacely API key, from the API page of your Spacely account',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.spacely.ai',
			description:
				'Where the Spacely API lives. Keep the default unless you go through a proxy or a test server.',
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

	// No declarative `test` here: every cheap request Spacely offers answers a good key with a 4xx,
	// which n8n's declarative tester reports as a failure. The Spacely node tests the key instead
	// (see `testedBy` in Spacely.node.ts and testSpacelyApiKey in transport.ts).
}
