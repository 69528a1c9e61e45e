import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite's file bundle (`pglite.data`: PostgreSQL's share folder, its libraries, time zones; 6 MB)
 * is read into one buffer at start, and every file of its in-memory file system is a view into
 * that buffer, so all of it stays resident for the life of the process, though PostgreSQL reads
 * almost none of it after its start (initdb's files, encodings and text search dictionaries
 * nobody uses). This makes each of those files read from `pglite.data` on disk when PostgreSQL
 * opens it (the last one read stays cached until the garbage collector wants it), and releases
 * the buffer. A bundle that is not byte for byte the file on disk is left as it is.
 *
 * Emscripten's MEMFS keeps a file's bytes in `node.contents`; its reads, `mmap` and writes go
 * through that property, so a getter there serves them all; a write replaces it with a plain
 * value again.
 */
export function releaseFileBundle(pg: PGlite): { files: number; bytes: number } {
	const fs = (pg as unknown as { Module?: { FS?: EmscriptenFs } }).Module?.FS;
	if (!fs?.root) return { files: 0, bytes: 0 };
	const files: FileNode[] = [];
	collect(fs.root, files, new Set());
	// The bundle is the buffer most files are views into.
	const counts = new Map<ArrayBufferLike, number>();
	for (const node of files) {
		const buffer = node.contents.buffer;
		counts.set(buffer, (counts.get(buffer) ?? 0) + 1);
	}
	const [bundle] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
	if (!(bundle instanceof ArrayBuffer)) return { files: 0, bytes: 0 };
	const path = bundlePath();
	if (!path || !sameBytes(path, bundle)) return { files: 0, bytes: 0 };
	const cache: { bytes: Uint8Array | null } = { bytes: null };
	let released = 0;
	for (const node of files) {
		if (node.contents.buffer !== bundle) continue;
		const { byteOffset, byteLength } = node.contents;
		let ref: WeakRef<Uint8Array> | null = null;
		const load = (): Uint8Array => {
			let bytes = ref?.deref();
			if (!bytes) {
				bytes = readRange(path, byteOffset, byteLength);
				ref = new WeakRef(bytes);
			}
			// The file being read keeps its bytes while it is read piece by piece.
			cache.bytes = bytes;
			return bytes;
		};
		Object.defineProperty(node, 'contents', {
			configurable: true,
			enumerable: true,
			get: load,
			set(value: Uint8Array) {
				Object.defineProperty(node, 'contents', {
					configurable: true,
					enumerable: true,
					writable: true,
					value
				});
			}
		});
		released++;
	}
	const bytes = bundle.byteLength;
	// Detaching frees its memory now, though PGlite's start-up code still holds the buffer.
	structuredClone(bundle, { transfer: [bundle] });
	return { files: released, bytes };
}

interface FileNode {
	contents: Uint8Array;
}
interface FsNode {
	mode: number;
	contents?: unknown;
	/** The root of a file system mounted here. */
	mounted?: { root?: FsNode } | null;
}
interface EmscriptenFs {
	root?: FsNode;
}

function collect(node: FsNode, out: FileNode[], seen: Set<FsNode>): void {
	if (seen.has(node)) return;
	seen.add(node);
	if (node.mounted?.root) collect(node.mounted.root, out, seen);
	const contents = node.contents;
	if (contents instanceof Uint8Array) {
		out.push(node as FileNode);
		return;
	}
	if (contents && typeof contents === 'object') {
		for (const child of Object.values(contents as Record<string, FsNode>)) {
			if (child && typeof child === 'object' && 'mode' in child) collect(child, out, seen);
		}
	}
}

function bundlePath(): string | null {
	try {
		const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
		return join(dirname(entry), 'pglite.data');
	} catch {
		return null;
	}
}

function sameBytes(path: string, bundle: ArrayBuffer): boolean {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch {
		return false;
	}
	try {
		if (fstatSync(fd).size !== bundle.byteLength) return false;
		const onDisk = new Uint8Array(bundle.byteLength);
		readFully(fd, onDisk, 0);
		return Buffer.compare(onDisk, new Uint8Array(bundle)) === 0;
	} finally {
		closeSync(fd);
	}
}

function readRange(path: string, offset: number, length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	const fd = openSync(path, 'r');
	try {
		readFully(fd, bytes, offset);
	} finally {
		closeSync(fd);
	}
	return bytes;
}

function readFully(fd: number, into: Uint8Array, position: number): void {
	for (let done = 0; done < into.byteLength;) {
		const n = readSync(fd, into, done, into.byteLength - done, position + done);
		if (n === 0) throw new Error('pglite.data is shorter than its bundle');
		done += n;
	}
}
