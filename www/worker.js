// The CPU worker. It runs the page's own WebAssembly module: the page posts the module it has
// already compiled and the URL of its wasm-bindgen glue, so nothing is downloaded or compiled
// twice. This imports the glue, instantiates the module, and hands over to Rust
// (`worker_start`, which installs its own message handler and answers "Ready").
self.onmessage = async (event) => {
  self.onmessage = null;
  const { glue, module } = event.data ?? {};
  try {
    const bindings = await import(glue);
    await bindings.default({ module_or_path: module });
    bindings.worker_start();
  } catch (e) {
    // As the Rust side would say it (FromWorker::Failed(WorkerFailure::Unavailable)).
    self.postMessage({ msg: { Failed: { Unavailable: `the worker could not start the page's module: ${e}` } }, buffers: [] });
  }
};
