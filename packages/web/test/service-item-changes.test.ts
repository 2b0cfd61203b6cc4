/**
 * The service-item change list's logic: the draft counts the service items' changes with the
 * proof items' as what the next version publishes, the kinds are counted in the order the list
 * shows them, and a change names its fields in the form's order, each once, unknown ones kept.
 */
import { describe, expect, it } from 'vitest';
import { changedFields, isServiceItemChangeField, pendingChangeCount, serviceItemKindCounts } from '../src/catalog/service-item-changes-model';
import type { ChangelogEntry, ServiceItemChange, ServiceItemChangeField } from '../src/catalog/types';

const proof = (id: string): ChangelogEntry => ({ kind: 'added', proofItemId: id, name: id, issuingDepartmentName: '马鞍山市公安局' });
const service = (kind: ServiceItemChange['kind'], code: string, fields?: ServiceItemChangeField[]): ServiceItemChange => ({
  kind,
  code,
  name: code,
  departmentName: '马鞍山市公安局',
  regionName: '马鞍山市',
  ...(fields ? { fields } : {}),
});

describe('pendingChangeCount', () => {
  it('counts the proof items\' changes and the service items\'', () => {
    expect(pendingChangeCount({ pendingChanges: [], pendingServiceItemChanges: [] })).toBe(0);
    expect(pendingChangeCount({ pendingChanges: [proof('A'), proof('B')], pendingServiceItemChanges: [] })).toBe(2);
    expect(pendingChangeCount({ pendingChanges: [], pendingServiceItemChanges: [service('added', 'X')] })).toBe(1);
    expect(pendingChangeCount({ pendingChanges: [proof('A')], pendingServiceItemChanges: [service('added', 'X'), service('removed', 'Y')] })).toBe(3);
  });

  it('a draft from a server that does not list service items counts its proof items only', () => {
    expect(pendingChangeCount({ pendingChanges: [proof('A')] })).toBe(1);
  });
});

describe('serviceItemKindCounts', () => {
  it('counts each kind in the order added, removed, changed, leaving out kinds with none', () => {
    const entries = [service('changed', 'C1', ['name']), service('added', 'A1'), service('changed', 'C2', ['materials']), service('added', 'A2')];
    expect(serviceItemKindCounts(entries)).toEqual([
      { kind: 'added', count: 2 },
      { kind: 'changed', count: 2 },
    ]);
    expect(serviceItemKindCounts([service('removed', 'R')])).toEqual([{ kind: 'removed', count: 1 }]);
    expect(serviceItemKindCounts([])).toEqual([]);
  });
});

describe('changedFields', () => {
  it('names a change\'s fields in the form\'s order, each once', () => {
    expect(changedFields(service('changed', 'C', ['materials', 'name', 'applicantKinds', 'name']))).toEqual(['name', 'applicantKinds', 'materials']);
    expect(changedFields(service('changed', 'C', ['region', 'department']))).toEqual(['department', 'region']);
  });

  it('keeps a field it does not know, after the known ones', () => {
    const entry = { kind: 'changed' as const, fields: ['legalBasis', 'name'] as ServiceItemChangeField[] };
    expect(changedFields(entry)).toEqual(['name', 'legalBasis']);
    expect(isServiceItemChangeField('legalBasis')).toBe(false);
    expect(isServiceItemChangeField('applicantKinds')).toBe(true);
  });

  it('an addition or a removal names no fields', () => {
    expect(changedFields(service('added', 'A'))).toEqual([]);
    expect(changedFields({ kind: 'removed', fields: ['name'] })).toEqual([]);
    expect(changedFields(service('changed', 'C'))).toEqual([]);
  });
});
