import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Spacely } from '../../../../nodes/Spacely/Spacely.node';

const node = new Spacely();
const { description } = node.getNodeType(2);
const properties = description.properties;

const shownFor = (operation: string) =>
	properties.filter((p) => p.displayOptions?.show?.operation?.includes(operation) && p.name !== 'operation');
const operationsOf = (resource: string) =>
	(
		properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
			?.options as INodePropertyOptions[]
	).map((o) => o.value);

const RENDER_OPERATIONS = [
	'generateStandard',
	'generateAdvance',
	'styleTransfer',
	'furniturePlacement',
	'decorationPlacement',
	'twoPointPerspective',
];

describe('Spacely node version 2 description', () => {
	test('new nodes get version 2; workflows saved with version 1 still load it', () => {
		expect(node.description.defaultVersion).toBe(2);
		expect(node.getNodeType(1).description.version).toBe(1);
		expect(description).toMatchObject({ name: 'spacely', version: 2, usableAsTool: true });
	});

	test('operations are grouped by resource', () => {
		expect((properties[0].options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'render',
			'productVisualization',
			'spacePlanning',
			'result',
		]);
		expect(operationsOf('render')).toEqual(['generateStandard', 'generateAdvance', 'styleTransfer']);
		expect(operationsOf('productVisualization')).toEqual(['furniturePlacement', 'decorationPlacement']);
		expect(operationsOf('spacePlanning')).toEqual(['twoPointPerspective']);
		expect(operationsOf('result')).toEqual(['get']);
	});

	test('the canvas subtitle names every operation', () => {
		const subtitles = JSON.parse(/^=\{\{ (\{.*\})\[\$parameter\["operation"\]\] \}\}$/.exec(description.subtitle!)![1]);
		const names = properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => p.options as INodePropertyOptions[])
			.map((o) => [o.value, o.name]);
		expect(Object.keys(subtitles).sort()).toEqual(names.map(([value]) => value).sort());
		for (const [value, name] of names) expect(subtitles[value as string]).toMatch(new RegExp(`^${name}`));
	});

	test.each(RENDER_OPERATIONS)(
		'%s: the photo comes first, then its fields, the output, and settings last',
		(operation) => {
			const names = shownFor(operation).map((p) => p.name);
			expect(names[0]).toBe('creditsNotice');
			expect(names[1]).toBe('imageUrl');
			expect(names.slice(-3)).toEqual(['output', 'waitSettings', 'requestSettings']);
		},
	);

	test.each(RENDER_OPERATIONS)('%s: wait settings show only when the output waits for the render', (operation) => {
		const wait = shownFor(operation).find((p) => p.name === 'waitSettings')!;
		expect(wait.displayOptions?.show?.output).toEqual(['imageFiles', 'imageLinks']);
		const output = shownFor(operation).find((p) => p.name === 'output')!;
		expect(output.default).toBe('imageFiles');
		expect((output.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'imageFiles',
			'imageLinks',
			'refId',
		]);
	});

	test('Result → Get waits only with Wait Until Done, off by default (saved nodes return at once)', () => {
		const fields = shownFor('get');
		expect(fields.map((p) => p.name)).toEqual(['refId', 'output', 'waitUntilDone', 'waitSettings', 'requestSettings']);
		expect(fields.find((p) => p.name === 'waitUntilDone')).toMatchObject({ type: 'boolean', default: false });
		expect(fields.find((p) => p.name === 'waitSettings')?.displayOptions?.show).toEqual({
			resource: ['result'],
			operation: ['get'],
			waitUntilDone: [true],
		});
	});

	test('every field and setting explains itself, and no two share a name in one panel', () => {
		for (const operation of [...RENDER_OPERATIONS, 'get']) {
			const fields = shownFor(operation);
			const settings = fields.flatMap((p) => (p.type === 'collection' ? (p.options as INodeProperties[]) : []));
			for (const field of [...fields, ...settings].filter((p) => !['notice', 'collection'].includes(p.type))) {
				expect(`${field.name}: ${field.description ?? ''}`).toMatch(/: \S.{10,}/);
			}
			const displayNames = [...fields, ...settings].map((p) => p.displayName.replace(/ \(.*\)$/, ''));
			expect(new Set(displayNames).size).toBe(displayNames.length);
			expect(displayNames.filter((name) => /Timeout|Wait/.test(name))).not.toContain('Timeout');
		}
	});
});
