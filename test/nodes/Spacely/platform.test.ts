/**
 * A community node runs on the host's n8n-workflow, not on the one it was built with: every value
 * the node imports must exist in the oldest and the newest supported n8n (see the README), and in
 * 2.8 (the first 2.x this package ran on, standing for the versions between), and what differs
 * between them must be detected at run time (nodes/Spacely/platform.ts).
 */
import * as newestWorkflow from 'n8n-workflow';
import * as workflow28 from 'n8n-workflow-2.8';
import * as oldestWorkflow from 'n8n-workflow-oldest';
import ts from 'typescript';

const SUPPORTED = [
	{ name: 'the newest n8n (2.41, n8n-workflow 2.41)', exports: newestWorkflow as Record<string, unknown> },
	{ name: 'n8n 2.8 (n8n-workflow 2.8)', exports: workflow28 as Record<string, unknown> },
	{ name: 'the oldest n8n (1.123, n8n-workflow 1.120)', exports: oldestWorkflow as Record<string, unknown> },
];

/** The named values (not types) that the package's own sources import from n8n-workflow. */
function valuesImportedFromN8nWorkflow(): string[] {
	const configPath = ts.findConfigFile(ts.sys.getCurrentDirectory(), ts.sys.fileExists, 'tsconfig.json')!;
	const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
	const { fileNames, options } = ts.parseJsonConfigFileContent(config, ts.sys, ts.sys.getCurrentDirectory());
	const program = ts.createProgram(fileNames, options);
	const names = new Set<string>();
	for (const file of program.getSourceFiles().filter((source) => fileNames.includes(source.fileName))) {
		for (const statement of file.statements) {
			if (!ts.isImportDeclaration(statement)) continue;
			if ((statement.moduleSpecifier as ts.StringLiteral).text !== 'n8n-workflow') continue;
			const clause = statement.importClause;
			if (!clause || clause.isTypeOnly) continue;
			const bindings = clause.namedBindings;
			if (!bindings || !ts.isNamedImports(bindings)) continue;
			for (const element of bindings.elements) {
				if (!element.isTypeOnly) names.add((element.propertyName ?? element.name).text);
			}
		}
	}
	return [...names].sort();
}

describe('supported n8n versions', () => {
	const imported = valuesImportedFromN8nWorkflow();

	test('the node imports values from n8n-workflow (the check below has something to check)', () => {
		expect(imported).toEqual(expect.arrayContaining(['NodeApiError', 'NodeOperationError']));
	});

	test.each(SUPPORTED)('every value the node imports exists in the n8n-workflow of $name', ({ exports }) => {
		expect(imported.filter((name) => exports[name] === undefined)).toEqual([]);
	});

	test.each(SUPPORTED)('abortableSleep waits, and stops on abort, with the n8n-workflow of $name', async ({ exports }) => {
		let platform: typeof import('../../../nodes/Spacely/platform') | undefined;
		await jest.isolateModulesAsync(async () => {
			jest.doMock('n8n-workflow', () => exports);
			platform = await import('../../../nodes/Spacely/platform');
		});
		const { abortableSleep } = platform!;

		await expect(abortableSleep(1)).resolves.toBeUndefined();
		const controller = new AbortController();
		const sleeping = abortableSleep(60_000, controller.signal);
		controller.abort();
		await expect(sleeping).rejects.toThrow();
	});
});
