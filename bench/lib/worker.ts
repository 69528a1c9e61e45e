/** The main thread's handle on the client worker (bench/client-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { WorkerRequest, WorkerResponse } from '../client-worker';
import type { LatencyOptions, LatencyResult } from './clients';
import { withTimeout } from './util';

/** A request without its id (distributes over the union). */
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export class ClientWorker {
	private nextId = 1;
	private readonly waiting = new Map<number, (res: WorkerResponse) => void>();

	private constructor(private readonly worker: Worker) {
		worker.on('message', (res: WorkerResponse) => {
			this.waiting.get(res.id)?.(res);
			this.waiting.delete(res.id);
		});
	}

	static async start(): Promise<ClientWorker> {
		const worker = new Worker(new URL('../worker-boot.mjs', import.meta.url), {
			workerData: { entry: new URL('../client-worker.ts', import.meta.url).href }
		});
		const ready = new Promise<void>((resolve, reject) => {
			worker.once('error', reject);
			worker.once('message', () => resolve());
		});
		await withTimeout(ready, 20_000, 'starting the client worker');
		const handle = new ClientWorker(worker);
		worker.on('error', (err) => {
			for (const [id, wake] of handle.waiting) wake({ id, ok: false, error: String(err) });
			handle.waiting.clear();
		});
		return handle;
	}

	private call<T>(req: Request, timeoutMs: number): Promise<T> {
		const id = this.nextId++;
		const answer = new Promise<T>((resolve, reject) => {
			this.waiting.set(id, (res) =>
				res.ok ? resolve(res.value as T) : reject(new Error(res.error))
			);
		});
		this.worker.postMessage({ ...req, id });
		return withTimeout(answer, timeoutMs, `worker ${req.type}`).finally(() =>
			this.waiting.delete(id)
		);
	}

	latency(options: LatencyOptions): Promise<LatencyResult> {
		return this.call({ type: 'latency', options }, options.budgetMs + 60_000);
	}

	coldLoad(url: string, room: string, timeoutMs: number): Promise<{ ms: number; pins: number }> {
		return this.call({ type: 'coldload', url, room, timeoutMs }, timeoutMs + 5_000);
	}

	async stop(): Promise<void> {
		await this.worker.terminate();
	}
}
