// The engine served over worker_threads: every message is an EngineApi call.
import { parentPort } from 'node:worker_threads';
import type { FromEngine, ToEngine } from '../protocol/engineApi';
import { serveRpc } from '../protocol/rpc';
import { EngineService } from './engineService';

const port = parentPort;
if (!port) throw new Error('dist/worker.js must run in a worker thread.');
const post = (message: FromEngine): void => port.postMessage(message);
const service = new EngineService((event) => post({ kind: 'event', event }));
const handle = serveRpc(service, post);
port.on('message', (message: ToEngine) => void handle(message));
