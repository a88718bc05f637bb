// Writes the heap snapshot of this process to `path` and exits. On Node 20,
// V8 finds each function's source line by scanning its script when the script
// has no line-end table yet, which makes a snapshot of a process holding the
// 9 MB typescript.js take minutes; enabling the debugger once builds the
// tables (and is turned off again before the snapshot).
'use strict';
const inspector = require('node:inspector');
const v8 = require('node:v8');

module.exports = function writeSnapshot(path) {
  const session = new inspector.Session();
  session.connect();
  session.post('Debugger.enable', () =>
    session.post('Debugger.disable', () => {
      session.disconnect();
      setTimeout(() => {
        v8.writeHeapSnapshot(path);
        process.exit(0);
      }, 0);
    }),
  );
};
