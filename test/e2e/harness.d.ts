/** Types for harness.js. */

export interface N8nHome {
	description: string;
	userFolder: string;
	env: Record<string, string>;
	nodeBin: string;
	n8nBin: string;
	line: { name: string; version: string; cacheDir: string };
	importCredentials(credentials: StoredCredential[]): Promise<void>;
	importWorkflow(file: string): Promise<void>;
	execute(workflowId: string): Promise<{ ok: boolean; output: string; run?: ExecutionRun }>;
	cleanup(): void;
}

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, string>;
}

export interface NodeItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
	binary?: Record<string, { mimeType: string; fileName: string; fileSize: string }>;
}

export interface NodeRun {
	data?: { main: NodeItem[][] };
	error?: { message: string };
}

export interface ExecutionRun {
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: { message: string } } };
}

export interface Workflow {
	nodes: Array<{ name: string; type: string; typeVersion: number; parameters: Record<string, unknown> }>;
	[key: string]: unknown;
}

export interface N8nServer {
	url: string;
	request(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
	stop(): Promise<void>;
	/** ends n8n at once (SIGKILL), as a crash does; startServer on the same home starts it again */
	kill(): Promise<void>;
	output(): string;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message?: string;
}

export function e2eN8nDescription(): string;
export function createE2eN8nHome(): Promise<N8nHome>;
export function e2eApiKeys(): { good: string; wrong: string };
export function workflowFiles(): string[];
export function workflowFile(name: string): string;
export function exampleFile(name: string): string;
export function e2eAgentVersion(): number;
export function agentWorkflow(name: string): Workflow;
/** Workflow files, or workflows already parsed. */
export function importWorkflows(home: N8nHome, workflows: Array<string | Workflow | WorkflowData>): Promise<void>;
export interface WorkflowData {
	id: string;
	name: string;
	settings: Record<string, unknown>;
	nodes: Array<{ name: string; parameters: Record<string, string>; webhookId?: string; credentials?: Record<string, { id: string; name: string }> }>;
	[other: string]: unknown;
}

export function readWorkflow(file: string): WorkflowData;
export function readExample(name: string): WorkflowData;
export function databaseContains(home: N8nHome, text: string): boolean;
export function closedPortUrl(): Promise<string>;
export function startServer(home: N8nHome): Promise<N8nServer>;
export function testCredential(server: N8nServer, credential: StoredCredential): Promise<CredentialTestResult>;
