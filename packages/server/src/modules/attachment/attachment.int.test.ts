import type { Attachment, AttachmentList, Contact, PermissionMatrix, Problem, TimelineEntry } from '@rapport/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, as, setupWorkspace, type Session } from '../../../test/factories.js';
import { createTestApp, TEST_ATTACHMENT_MAX_BYTES, type TestApp } from '../../../test/test-app.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(64, 7)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90), Buffer.from('PE\0\0')]);

describe('attachments: upload, list, preview and download, removal, by the rights on the record', () => {
  let t: TestApp;
  let admin: Session;
  let rep: Session;
  let reader: Session;

  const upload = (session: Session, object: string, id: string, name: string, body: Buffer, contentType = 'application/octet-stream') =>
    as(t, session)('POST', `/api/v1/attachments/${object}/${id}?name=${encodeURIComponent(name)}`, body, { 'content-type': contentType });
  const contact = async (session: Session, lastName: string) => (await as(t, session)('POST', '/api/v1/contacts', { firstName: 'Files', lastName })).json<Contact>();
  const listOf = async (session: Session, id: string) => (await as(t, session)('GET', `/api/v1/attachments/contact/${id}`)).json<AttachmentList>().items;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await setupWorkspace(t);
    rep = await addUser(t, admin, { role: 'Sales rep' });
    const permissions: PermissionMatrix = { contact: { read: 'all' } };
    expect((await as(t, admin)('POST', '/api/v1/roles', { name: 'Contact reader', permissions })).statusCode).toBe(201);
    reader = await addUser(t, admin, { role: 'Contact reader' });
  });
  afterAll(() => t.close());

  it('keeps a file on the card, serves it back byte for byte, inline or as a download, and writes it to the timeline', async () => {
    const person = await contact(admin, 'Measured');
    const added = await upload(admin, 'contact', person.id, 'Замеры окна.pdf', PDF);
    expect(added.statusCode).toBe(201);
    const attachment = added.json<Attachment>();
    expect(attachment).toMatchObject({ fileName: 'Замеры окна.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, removable: true, createdBy: admin.userId });
    expect((await listOf(admin, person.id)).map((a) => a.id)).toEqual([attachment.id]);

    const shown = await as(t, admin)('GET', `/api/v1/attachment-files/${attachment.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('application/pdf');
    expect(shown.headers['content-disposition']).toBe(`inline; filename="______ ____.pdf"; filename*=UTF-8''${encodeURIComponent('Замеры окна.pdf')}`);
    expect(shown.rawPayload.equals(PDF)).toBe(true);
    const downloaded = await as(t, admin)('GET', `/api/v1/attachment-files/${attachment.id}?download=true`);
    expect(downloaded.headers['content-disposition']).toMatch(/^attachment; /);

    const timeline = (await as(t, admin)('GET', `/api/v1/timeline/contact/${person.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(timeline[0]).toMatchObject({ kind: 'attached', meta: { fileName: 'Замеры окна.pdf', attachmentId: attachment.id } });

    expect((await as(t, admin)('DELETE', `/api/v1/attachments/${attachment.id}`)).statusCode).toBe(204);
    expect(await listOf(admin, person.id)).toEqual([]);
    expect((await as(t, admin)('GET', `/api/v1/attachment-files/${attachment.id}`)).statusCode).toBe(404);
    expect((await as(t, admin)('DELETE', `/api/v1/attachments/${attachment.id}`)).statusCode).toBe(404);
    const after = (await as(t, admin)('GET', `/api/v1/timeline/contact/${person.id}`)).json<{ items: TimelineEntry[] }>().items;
    expect(after[0]).toMatchObject({ kind: 'detached', meta: { fileName: 'Замеры окна.pdf' } });
  });

  it('refuses programs, unknown binaries, empty and oversized files and non-file bodies, keeping nothing', async () => {
    const person = await contact(admin, 'Refused');
    const refusals: [string, Buffer, string, number, string][] = [
      ['setup.pdf', EXE, 'application/octet-stream', 415, '/body'],
      ['data.bin', Buffer.from([1, 2, 3, 0, 4, 5]), 'application/octet-stream', 415, '/body'],
      ['notes.txt', Buffer.from('binary\0inside'), 'application/octet-stream', 415, '/body'],
      ['empty.pdf', Buffer.alloc(0), 'application/octet-stream', 400, '/body'],
      ['huge.png', Buffer.concat([PNG, Buffer.alloc(TEST_ATTACHMENT_MAX_BYTES, 1)]), 'application/octet-stream', 413, '/body'],
      ['form.pdf', Buffer.from('{"a":1}'), 'application/json', 415, '/headers/content-type'],
    ];
    for (const [name, body, type, status, path] of refusals) {
      const refused = await upload(admin, 'contact', person.id, name, body, type);
      expect(refused.statusCode, name).toBe(status);
      expect(refused.json<Problem>().errors?.map((e) => e.path), name).toEqual([path]);
    }
    const unnamed = await as(t, admin)('POST', `/api/v1/attachments/contact/${person.id}?name=%20`, PNG, { 'content-type': 'application/octet-stream' });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json<Problem>().errors?.[0]?.path).toBe('/query/name');
    expect((await upload(admin, 'contact', '0190a0a0-0000-7000-8000-000000000000', 'x.png', PNG)).statusCode).toBe(404);
    expect(await listOf(admin, person.id)).toEqual([]);

    // Plain text has no signature: a .csv of Windows-1251 text is welcome.
    const csv = await upload(admin, 'contact', person.id, 'prices.csv', Buffer.from([0xc8, 0xec, 0xff, 0x3b, 0xd6, 0xe5, 0xed, 0xe0, 0x0a]));
    expect(csv.statusCode).toBe(201);
    expect(csv.json<Attachment>().contentType).toBe('text/csv');
    expect((await as(t, admin)('GET', `/api/v1/attachment-files/${csv.json<Attachment>().id}`)).headers['content-disposition']).toMatch(/^attachment; /);
  });

  it('follows the record: no access means not found, reading is not attaching, and an uploader may remove their own file', async () => {
    const admins = await contact(admin, 'Admins');
    const file = (await upload(admin, 'contact', admins.id, 'photo.png', PNG)).json<Attachment>();

    // The rep may not see the admin's contact at all.
    expect((await as(t, rep)('GET', `/api/v1/attachments/contact/${admins.id}`)).statusCode).toBe(404);
    expect((await upload(rep, 'contact', admins.id, 'x.png', PNG)).statusCode).toBe(404);
    expect((await as(t, rep)('GET', `/api/v1/attachment-files/${file.id}`)).statusCode).toBe(404);
    expect((await as(t, rep)('DELETE', `/api/v1/attachments/${file.id}`)).statusCode).toBe(404);

    // A reader sees and downloads, but may neither attach nor remove.
    expect((await listOf(reader, admins.id)).map((a) => [a.id, a.removable])).toEqual([[file.id, false]]);
    expect((await as(t, reader)('GET', `/api/v1/attachment-files/${file.id}`)).rawPayload.equals(PNG)).toBe(true);
    expect((await upload(reader, 'contact', admins.id, 'x.png', PNG)).statusCode).toBe(403);
    expect((await as(t, reader)('DELETE', `/api/v1/attachments/${file.id}`)).statusCode).toBe(403);
    expect(await listOf(admin, admins.id)).toHaveLength(1);

    // The rep attaches to their own contact and removes their own file.
    const mine = await contact(rep, 'Reps');
    const own = await upload(rep, 'contact', mine.id, 'contract.pdf', PDF);
    expect(own.statusCode).toBe(201);
    expect((await as(t, rep)('DELETE', `/api/v1/attachments/${own.json<Attachment>().id}`)).statusCode).toBe(204);
  });

  it('moves with a merge: the survivor lists the merged record’s files, stored once however often they are attached', async () => {
    const survivor = await contact(admin, 'Survivor');
    const merged = await contact(admin, 'Merged');
    const first = (await upload(admin, 'contact', survivor.id, 'a.pdf', PDF)).json<Attachment>();
    const second = (await upload(admin, 'contact', merged.id, 'b.pdf', PDF)).json<Attachment>();
    expect(second.sha256).toBe(first.sha256);
    expect((await as(t, admin)('POST', '/api/v1/contacts/merge', { survivorId: survivor.id, mergedIds: [merged.id] })).statusCode).toBe(200);
    expect((await listOf(admin, survivor.id)).map((a) => a.fileName)).toEqual(['b.pdf', 'a.pdf']);
    expect((await as(t, admin)('GET', `/api/v1/attachment-files/${second.id}`)).rawPayload.equals(PDF)).toBe(true);
    expect((await as(t, admin)('DELETE', `/api/v1/attachments/${second.id}`)).statusCode).toBe(204);
    expect((await as(t, admin)('GET', `/api/v1/attachment-files/${first.id}`)).rawPayload.equals(PDF)).toBe(true);
  });
});
