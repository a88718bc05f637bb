// Entry of the Memory view beside the debugger (bundled to dist/memoryView.js as an IIFE): the memory chart of one live target.
import type { MemoryViewApi, MemoryViewEvent } from '../../src/protocol/memoryChart';
import { h } from '../dom';
import { MemoryChart } from '../live/memoryChart';
import { connectHost } from '../vscodeApi';

const root = document.getElementById('app');
if (root) {
  const host = connectHost<MemoryViewApi, MemoryViewEvent, null>((value): value is null => value === null);
  const chart = new MemoryChart('fill');
  const hint = h('p', { class: 'hint' });
  root.append(hint, chart.element);
  host.listen((event) => {
    switch (event.type) {
      case 'series':
        hint.textContent = event.hint ?? '';
        hint.hidden = !event.hint;
        chart.show(event.series);
        break;
      default: {
        const unexpected: never = event.type;
        void unexpected;
      }
    }
  });
  host.rpc.notify('ready');
}
