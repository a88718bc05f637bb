// Entry of the Growth webview (bundled to dist/growthView.js as an IIFE).
import type { GrowthViewApi, GrowthViewEvent } from '../../src/protocol/growthView';
import { connectHost } from '../vscodeApi';
import { GrowthApp } from './app';
import { isGrowthState, type GrowthState } from './state';

const root = document.getElementById('app');
if (root) new GrowthApp(root, connectHost<GrowthViewApi, GrowthViewEvent, GrowthState>(isGrowthState)).start();
