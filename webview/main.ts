// Placeholder until the webview issue lands.
export {};
