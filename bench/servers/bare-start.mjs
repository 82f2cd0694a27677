// Ceiling for the `startup` benchmark: plain node (no tsx, no Rapport code) opens the same database and serves
// one page with bare Fastify: GET /health and GET / both run `SELECT 1`. Env: PORT, DATA_DIR or DATABASE_URL.
import Fastify from 'fastify';

const { PORT, DATA_DIR, DATABASE_URL } = process.env;
let query;
let close;
if (DATABASE_URL) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: DATABASE_URL });
  query = () => pool.query('SELECT 1');
  close = () => pool.end();
} else {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(DATA_DIR);
  query = () => db.query('SELECT 1');
  close = () => db.close();
}
const app = Fastify({ logger: false });
const page = async () => {
  await query();
  return { status: 'ok', database: 'ok' };
};
app.get('/health', page);
app.get('/', page);
await app.listen({ port: Number(PORT), host: '0.0.0.0' });
process.once('SIGTERM', async () => {
  await app.close();
  await close();
  process.exit(0);
});
