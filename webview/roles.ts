/**
 * What a node is in the picture: its role decides colour, badge and legend
 * entry. Colours live in styles.css as `--rg-<role>` built from VS Code's
 * `--vscode-charts-*` theme variables, so light, dark and high contrast work.
 */
import type { RootKind, WalkNode } from '../src/protocol/walk';

export type Role = 'target' | RootKind | 'internal' | 'plain';

export interface RoleInfo {
  role: Role;
  /** Legend text. */
  name: string;
  /** Short badge drawn on the node; empty for plain nodes. */
  badge: string;
}

export const ROLES: readonly RoleInfo[] = [
  { role: 'target', name: 'Target object', badge: 'TARGET' },
  { role: 'static-map', name: 'Static map / collection', badge: 'STATIC MAP' },
  { role: 'global', name: 'Global root', badge: 'GLOBAL' },
  { role: 'module', name: 'Module scope root', badge: 'MODULE' },
  { role: 'closure', name: 'Closure variable', badge: 'CLOSURE' },
  { role: 'gc-root', name: 'GC root (V8)', badge: 'GC ROOT' },
  { role: 'debugger', name: 'Debugger-only retainer', badge: 'DEBUGGER' },
  { role: 'internal', name: 'V8 internal', badge: 'V8 INTERNAL' },
  { role: 'plain', name: 'Object (darker = further from target)', badge: '' },
];

const BY_ROLE = new Map(ROLES.map((info) => [info.role, info]));

export function roleInfo(role: Role): RoleInfo {
  const info = BY_ROLE.get(role);
  if (!info) throw new Error(`unknown role ${role}`);
  return info;
}

export function roleOf(node: WalkNode, target: number): Role {
  if (node.id === target) return 'target';
  if (node.rootKind) return node.rootKind;
  return node.internal ? 'internal' : 'plain';
}

/** objgraph shades plain nodes by depth; eight steps are enough to tell levels apart. */
export function depthShade(level: number): number {
  return Math.min(Math.max(level, 1), 8);
}
