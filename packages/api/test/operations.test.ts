import { readFileSync } from 'node:fs';
import { allOperations, findOperation, operationTable } from '@rc/api/operations';
import { describe, expect, it } from 'vitest';
import spec from '../spec/openapi.json' with { type: 'json' };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('the operation table', () => {
  it('holds every operation of the description, with its group and permissions', () => {
    const described = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(
      ([path, item]) =>
        METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m] })),
    );
    expect(described).toHaveLength(520);
    expect(allOperations()).toHaveLength(520);
    for (const { path, method, op } of described) {
      const row = operationTable[op.operationId as keyof typeof operationTable];
      expect(row, op.operationId).toMatchObject({ method, path, group: op['x-throttling-group'] });
      expect((row as { appPermission?: string }).appPermission).toBe(op['x-app-permission']);
    }
  });

  it('counts the groups the description gives', () => {
    const count: Record<string, number> = {};
    for (const op of allOperations()) count[op.group] = (count[op.group] ?? 0) + 1;
    expect(count).toEqual({ Light: 164, Medium: 214, Heavy: 132, Auth: 6, NoThrottling: 4 });
  });
});

describe('the generated types', () => {
  it("carry each operation's summary, id, rate-limit group and permissions as JSDoc, and no prose", () => {
    const types = readFileSync(new URL('../src/generated/openapi.ts', import.meta.url), 'utf8');
    for (const op of allOperations()) {
      const doc = [
        `Operation \`${op.id}\`.`,
        `Rate-limit group: ${op.group}.`,
        op.appPermission ? `App permission: ${op.appPermission}.` : '',
        op.userPermission ? `User permission: ${op.userPermission}.` : '',
      ]
        .filter(Boolean)
        .join(' ');
      expect(types, op.id).toContain(
        ` * ${doc}\n     */\n    ${/^[A-Za-z_$][\w$]*$/.test(op.id) ? op.id : `"${op.id}"`}: {`,
      );
    }
    // RingCentral's prose stays out: no line of the samples of its long sentences is in any generated file.
    const samples = readFileSync(
      new URL('../../../../shared/spec/prose-samples.txt', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.length > 20);
    const generated = ['openapi.ts', 'routes.ts', 'table.ts']
      .map((f) => readFileSync(new URL(`../src/generated/${f}`, import.meta.url), 'utf8'))
      .concat(readFileSync(new URL('../spec/openapi.json', import.meta.url), 'utf8'))
      .join('\n');
    expect(samples.length).toBeGreaterThan(100);
    expect(samples.filter((line) => generated.includes(line))).toEqual([]);
  });
});

describe('findOperation()', () => {
  it('finds the operation of every described path template, with its parameters', () => {
    for (const op of allOperations()) {
      const filled = op.path.replace(/\{([^}]+)\}/g, (_, name) => `v-${name}`);
      const found = findOperation(op.method, filled);
      expect(found?.operation.id, `${op.method} ${filled}`).toBe(op.id);
      for (const [name, value] of Object.entries(found!.params)) expect(value).toBe(`v-${name}`);
    }
  });

  it('takes paths as RingCentral docs write them: ~, ids, full URLs, queries, no leading slash', () => {
    expect(findOperation('GET', '/restapi/v1.0/account/~/extension/~')?.operation.id).toBe('readExtension');
    expect(findOperation('get', 'restapi/v1.0/account/1/extension/101?x=1#y')?.params).toEqual({
      accountId: '1',
      extensionId: '101',
    });
    expect(
      findOperation('GET', 'https://platform.ringcentral.com/restapi/v1.0/account/~/call-log')?.operation.id,
    ).toBe('readCompanyCallLog');
  });

  it('lets literal segments win over parameters, and backtracks when the literal leads nowhere', () => {
    expect(findOperation('GET', '/restapi/v1.0/account/~/user-role/default')?.operation.id).toBe(
      'readDefaultRole',
    );
    expect(findOperation('GET', '/restapi/v1.0/account/~/user-role/42')?.operation.id).toBe('readUserRole');
    expect(findOperation('GET', '/restapi/v1.0')?.operation.id).toBe('readAPIVersion');
  });

  it('answers undefined for an undocumented path or method', () => {
    expect(findOperation('GET', '/restapi/v1.0/acount/~')).toBeUndefined();
    expect(findOperation('PATCH', '/restapi/v1.0/account/~/extension/~')).toBeUndefined();
    expect(findOperation('GET', '/restapi/v1.0/account//extension/~')).toBeUndefined();
  });
});
