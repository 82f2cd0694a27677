// Startup diagnostic: imports the given packages one after another and prints the total time as JSON.
// Run once with plain node and once through run-ts (tsx loader hooks) to see what the loader costs.
const started = performance.now();
for (const name of process.argv.slice(2)) await import(name);
console.log(JSON.stringify({ importMs: performance.now() - started, processUpMs: performance.now() }));
