import { multipartBoundary, parseMultipart } from '@rc/core/multipart';
import { describe, expect, it } from 'vitest';
import { withMock } from './with-mock.js';

// The call log is one set of records, listed and read by id alike: a record's own `uri` answers
// that record, at the extension and the account level.

const t = withMock({ callLogSize: 12 });
const get = async (pathOrUrl: string) => {
  const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${t.mock.url}${pathOrUrl}`, {
    headers: t.auth,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', res };
};
const json = async (pathOrUrl: string) => {
  const { status, res } = await get(pathOrUrl);
  return { status, body: await res.json() };
};

describe('call log by id', () => {
  it.each([
    ['extension', '/restapi/v1.0/account/~/extension/~/call-log'],
    ['account', '/restapi/v1.0/account/~/call-log'],
  ])('a record of the %s call log reads back by its own uri, the same record', async (_level, list) => {
    const { body } = await json(`${list}?perPage=5&page=2`);
    expect(body.records).toHaveLength(5);
    for (const record of body.records) {
      const own = list
        .replace('account/~', 'account/1')
        .replace('extension/~', `extension/${t.mock.user.id}`);
      expect(record.uri).toBe(`${t.mock.url}${own}/${record.id}`);
      expect(await json(record.uri)).toEqual({ status: 200, body: record });
    }
  });

  it('several ids answer a 207 batch, one part per id, a 404 part for an unknown one', async () => {
    const { body } = await json('/restapi/v1.0/account/~/extension/~/call-log?perPage=2');
    const [a, b] = body.records;
    const { status, type, res } = await get(
      `/restapi/v1.0/account/~/extension/~/call-log/${a.id},${b.id},CL999999999`,
    );
    expect(status).toBe(207);
    const parts = parseMultipart(new Uint8Array(await res.arrayBuffer()), multipartBoundary(type) ?? '').map(
      (p) => JSON.parse(new TextDecoder().decode(p.body)),
    );
    expect(parts[0].response.map((r: { status: number }) => r.status)).toEqual([200, 200, 404]);
    expect(parts.slice(1, 3)).toEqual([a, b]);
    expect(parts[3].errors[0]).toMatchObject({ errorCode: 'CMN-102', parameterName: 'callRecordId' });
  });

  it('answers 404 naming callRecordId for an id it does not hold', async () => {
    for (const id of ['CL999999999', 'CL000000013', 'nope']) {
      const { status, body } = await json(`/restapi/v1.0/account/~/extension/~/call-log/${id}`);
      expect(status).toBe(404);
      expect(body).toEqual({
        errorCode: 'CMN-102',
        message: 'Resource for parameter [callRecordId] is not found',
        errors: [
          {
            errorCode: 'CMN-102',
            message: 'Resource for parameter [callRecordId] is not found',
            parameterName: 'callRecordId',
          },
        ],
      });
    }
  });
});
