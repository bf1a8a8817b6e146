/**
 * The AI Agent workflows (test/e2e/agent/) are saved with the AI Agent node's newest version on the
 * newest n8n. An older n8n lacks that version (n8n 1.123 has up to 3, 2.41 has 3.1), so each run
 * imports them with the newest version that the n8n under test has, read from its node list.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const AGENT_TYPE = '@n8n/n8n-nodes-langchain.agent';

/** The newest AI Agent node version in the n8n `line` (scripts/n8n-versions.js) as installed. */
function newestAgentVersion(line) {
	const nodesFile = path.join(line.cacheDir, 'node_modules', '@n8n', 'n8n-nodes-langchain', 'dist', 'types', 'nodes.json');
	const versions = JSON.parse(readFileSync(nodesFile, 'utf8'))
		.filter((node) => node.name === 'agent')
		.flatMap((node) => [node.version].flat());
	if (!versions.length) throw new Error(`no AI Agent node in ${nodesFile}`);
	return Math.max(...versions);
}

/** `workflow` with every AI Agent node at `version`. */
function withAgentVersion(workflow, version) {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (node.type === AGENT_TYPE ? { ...node, typeVersion: version } : node)),
	};
}

module.exports = { newestAgentVersion, withAgentVersion };
