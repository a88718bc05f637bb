/** DOT and JSON text of a walk for the graph's Export (the webview serializes SVG itself). */
import { formatWalkDot } from '../../engine/format/dot';
import { formatWalkJson } from '../../engine/format/json';
import type { Walk } from '../../protocol/walk';

export interface WalkExporters {
  dot(walk: Walk): string;
  json(walk: Walk): string;
}

export const walkExporters: WalkExporters = { dot: formatWalkDot, json: formatWalkJson };
