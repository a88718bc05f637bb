/** What the features (commands, the custom editor) are built from; made once in main.ts and passed by hand. */
import type { ExpressionHistory } from './expressionPrompt';
import type { MessageLog } from './messages';
import type { ShowFlow } from './showFlow';
import type { SnapshotStore } from './snapshots/snapshotStore';
import type { TargetService } from './targets/targetService';
import type { PanelManager } from './views/panelManager';

export interface Services {
  store: SnapshotStore;
  targets: TargetService;
  show: ShowFlow;
  panels: PanelManager;
  messages: MessageLog;
  /** Expressions that showed a graph, offered again. */
  expressions: ExpressionHistory;
}
