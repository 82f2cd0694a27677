import { importBenchmark } from '../lib/import-bench.js';

/** import-1m: 1,000,000 contacts imported from a CSV through the API; ceiling: a raw COPY of the rows it stores. */
export const import1m = importBenchmark('import-1m', 1_000_000);
