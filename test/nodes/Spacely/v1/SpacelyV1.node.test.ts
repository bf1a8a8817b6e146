import type { INodeProperties } from 'n8n-workflow';

import codex from '../../../../nodes/Spacely/Spacely.node.json';
import { Spacely } from '../../../../nodes/Spacely/Spacely.node';

const { description } = new Spacely().getNodeType(1);
const field = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const optionValues = (name: string) => (field(name).options as Array<{ value: string }>).map((o) => o.value);

// Saved workflows refer to these names: a change here breaks users' workflows.
describe('Spacely node version 1 description (the contract with saved workflows)', () => {
	test('identity', () => {
		expect(description).toMatchObject({
			name: 'spacely',
			displayName: 'Spacely',
			version: 1,
			usableAsTool: true,
			icon: { light: 'file:spacely.svg', dark: 'file:spacely.dark.svg' },
			credentials: [{ name: 'spacelyApi', required: true }],
		});
	});

	test('the canvas subtitle shows the operation by its name', () => {
		const names = (field('operation').options as Array<{ name: string; value: string }>).map(
			({ name, value }) => [value, name],
		);
		expect(description.subtitle).toBe(
			`={{ ${JSON.stringify(Object.fromEntries(names))}[$parameter["operation"]] }}`,
		);
	});

	test('operation and parameters', () => {
		expect(optionValues('operation')).toEqual(['generateAdvance', 'getResult']);
		expect(field('refId')).toMatchObject({ type: 'string', required: true, default: '={{ $json.refId }}' });
		const getResultOptions = description.properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('getResult'),
		)?.options as INodeProperties[];
		expect(getResultOptions.map((o) => o.name).sort()).toEqual(
			['downloadImages', 'maxConcurrency', 'maxRequestsPerSecond', 'timeout'].sort(),
		);
		expect(field('operation').default).toBe('generateAdvance');
		expect(optionValues('model').sort()).toEqual(
			['spacely-style-transfer', 'spacely-unfurnished-space', 'spacely-v1'].sort(),
		);
		expect(field('model').default).toBe('spacely-v1');
		expect(optionValues('renovateType').sort()).toEqual(['commercial', 'residential']);
		expect(field('renovateType').default).toBe('residential');
		expect(field('imageUrl')).toMatchObject({ type: 'string', required: true, default: '' });
		expect(field('prompt')).toMatchObject({ type: 'string', default: '' });
		expect(field('negativePrompt')).toMatchObject({ type: 'string', default: '' });
	});

	test('every visible field explains itself to the user', () => {
		const fields = description.properties.filter(
			(p) => !['notice', 'collection'].includes(p.type) && p.name !== 'operation',
		);
		const options = field('options').options as INodeProperties[];
		for (const property of [...fields, ...options]) {
			expect(`${property.name}: ${property.description ?? ''}`).toMatch(/: \S.{10,}/);
		}
		expect(field('imageUrl').placeholder).toMatch(/^e\.g\. https:\/\//);
		expect(field('creditsNotice').displayName).toMatch(/credits/);
	});

	// That the icon files exist and are SVGs is checked by n8n's lint (icon-validation).
	test('the codex names the node', () => {
		expect(codex.node).toBe('n8n-nodes-spacely.spacely');
	});
});
