import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./data on port 3000 with CORS off', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.corsOrigins).toEqual([]);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.secureCookies).toBe(false);
  });

  it('uses PostgreSQL when DATABASE_URL is set and secure cookies behind https', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://x@h/db', PUBLIC_URL: 'https://crm.example.com/', PORT: '8080', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.databaseUrl).toBe('postgres://x@h/db');
    expect(config.publicUrl).toBe('https://crm.example.com');
    expect(config.secureCookies).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT must be a whole number');
  });
});
