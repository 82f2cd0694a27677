import { importBenchmark } from '../lib/import-bench.js';

/** import-100k: 100,000 contacts imported from a CSV through the API; ceiling: a raw COPY of the rows it stores. */
export const import100k = importBenchmark('import-100k', 100_000);
