/** Types for server-executions.js. */
import type { N8nHome, N8nServer, NodeItem, NodeRun } from './harness';

/** An execution as n8n's executions list shows it. */
export interface ExecutionSummary {
	id: string;
	status: string;
	mode: string;
	retryOf?: string | null;
	retrySuccessId?: string | null;
	workflowId: string;
}

export interface Execution {
	id: string;
	status: string;
	mode: string;
	retryOf?: string;
	runData: Record<string, NodeRun[]>;
	error?: { message: string };
}

export function publishWorkflows(home: N8nHome, workflowIds: string[]): Promise<void>;
export function restartServer(home: N8nHome): Promise<N8nServer>;
export function callWebhook(server: N8nServer, webhookPath: string, body: unknown): Promise<{ status: number; body: unknown }>;
export function listExecutions(server: N8nServer, workflowId: string): Promise<ExecutionSummary[]>;
export function waitForEndedExecutions(
	server: N8nServer,
	workflowId: string,
	options?: { count?: number; timeoutMs?: number },
): Promise<ExecutionSummary[]>;
export function readExecution(server: N8nServer, home: N8nHome, executionId: string): Promise<Execution>;
export function waitForExecution(
	server: N8nServer,
	home: N8nHome,
	executionId: string,
	options?: { timeoutMs?: number },
): Promise<Execution>;
export function retryExecution(
	server: N8nServer,
	home: N8nHome,
	executionId: string,
	options?: { loadWorkflow?: boolean },
): Promise<Execution>;
export function nodeOutput(execution: Execution, nodeName: string): NodeItem[];
