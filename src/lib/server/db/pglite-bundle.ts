import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

export interface ReleasedBundle {
	files: number;
	bytes: number;
	/** Closes `pglite.data` (when PGlite closes). */
	close(): void;
}

const NOTHING: ReleasedBundle = { files: 0, bytes: 0, close() {} };

/** Emscripten's errno for an I/O error: PostgreSQL then reports the file it could not read. */
const EIO = 29;

/**
 * PGlite's file bundle (`pglite.data`: PostgreSQL's share folder, its libraries, time zones; 6 MB)
 * is read into one buffer at start, and every file of its in-memory file system is a view into
 * that buffer, so all of it stays resident for the life of the process, though PostgreSQL reads
 * almost none of it after its start (initdb's files, encodings and text search dictionaries
 * nobody uses). This makes each of those files read from `pglite.data` on disk when PostgreSQL
 * opens it (the last file read stays in memory, earlier ones until the garbage collector takes
 * them), and releases the buffer. A bundle that is not byte for byte the file on disk is left as
 * it is.
 *
 * Emscripten's MEMFS keeps a file's bytes in `node.contents`; its reads, `mmap` and writes go
 * through that property, so a getter there serves them all; a write replaces it with a plain
 * value again.
 */
export function releaseFileBundle(
	pg: PGlite,
	/** Where the bundle is on disk: PGlite's own `pglite.data` unless a test says otherwise. */
	path: string | null = bundlePath()
): ReleasedBundle {
	const fs = (pg as unknown as { Module?: { FS?: EmscriptenFs } }).Module?.FS;
	if (!fs?.root) return NOTHING;
	const files: FileNode[] = [];
	collect(fs.root, files, new Set());
	// The bundle is the buffer most files are views into.
	const counts = new Map<ArrayBufferLike, number>();
	for (const node of files) {
		const buffer = node.contents.buffer;
		counts.set(buffer, (counts.get(buffer) ?? 0) + 1);
	}
	const [bundle] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
	if (!(bundle instanceof ArrayBuffer)) return NOTHING;
	const source = path ? openBundleFile(path, bundle) : null;
	if (!source) return NOTHING;
	const cache: { bytes: Uint8Array | null } = { bytes: null };
	let released = 0;
	for (const node of files) {
		if (node.contents.buffer !== bundle) continue;
		const { byteOffset, byteLength } = node.contents;
		let ref: WeakRef<Uint8Array> | null = null;
		const load = (): Uint8Array => {
			let bytes = ref?.deref();
			if (!bytes) {
				const read = source.read(byteOffset, byteLength);
				if (!read) throw new fs.ErrnoError(EIO);
				bytes = read;
				ref = new WeakRef(read);
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
	try {
		structuredClone(bundle, { transfer: [bundle] });
	} catch {
		// Not detachable: it stays, and the files read from disk all the same.
	}
	return { files: released, bytes, close: source.close };
}

/**
 * `pglite.data` on disk, open for the life of the database, if it is byte for byte the bundle.
 * The open descriptor keeps reading the same file when an upgrade replaces node_modules while
 * the server runs; a file changed in place (another size or modification time) reads as an I/O
 * error instead of wrong bytes.
 */
function openBundleFile(
	path: string,
	bundle: ArrayBuffer
): { read(offset: number, length: number): Uint8Array | null; close(): void } | null {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch {
		return null;
	}
	let size: number;
	let mtimeMs: number;
	try {
		({ size, mtimeMs } = fstatSync(fd));
		const onDisk = new Uint8Array(size);
		if (size !== bundle.byteLength || !readFully(fd, onDisk, 0) || !equal(onDisk, bundle)) {
			closeSync(fd);
			return null;
		}
	} catch {
		closeSync(fd);
		return null;
	}
	let open = true;
	return {
		read(offset, length) {
			if (!open) return null;
			try {
				const now = fstatSync(fd);
				if (now.size !== size || now.mtimeMs !== mtimeMs) return null;
				const bytes = new Uint8Array(length);
				return readFully(fd, bytes, offset) ? bytes : null;
			} catch {
				return null;
			}
		},
		close() {
			if (open) closeSync(fd);
			open = false;
		}
	};
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
	ErrnoError: new (errno: number) => Error;
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

function equal(a: Uint8Array, b: ArrayBuffer): boolean {
	return Buffer.compare(a, new Uint8Array(b)) === 0;
}

/** Fills `into` from `position`; false when the file ends first. */
function readFully(fd: number, into: Uint8Array, position: number): boolean {
	for (let done = 0; done < into.byteLength;) {
		const n = readSync(fd, into, done, into.byteLength - done, position + done);
		if (n === 0) return false;
		done += n;
	}
	return true;
}
