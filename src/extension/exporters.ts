/** DOT and JSON text of a walk for the panel's Export (the webview serializes SVG). */
import { formatWalkDot } from '../engine/format/dot';
import { formatWalkJson } from '../engine/format/json';
import type { WalkExporters } from './panel';

export const walkExporters: WalkExporters = { dot: formatWalkDot, json: formatWalkJson };
