// trace-view element loader. Add to any page:
//   <script type="module" src="https://your.host/trace-view/trace-view.js"></script>
//   <trace-view src="trace.json" height="500"></trace-view>
// Loads the wasm viewer once per page (however many times this file is imported) and registers the
// <trace-view> custom element. `await import('.../trace-view.js')` resolves when it is ready.
import init from './core/trace-view.js';

const g = globalThis;
if (!g.__traceViewReady) {
  g.__traceViewReady = init({ module_or_path: new URL('./core/trace-view_bg.wasm', import.meta.url) });
}
export default g.__traceViewReady;
