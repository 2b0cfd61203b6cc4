/**
 * What the change lists say about service items (政务服务事项), apart from how it is drawn:
 * how many changes there are to publish, how many of each kind, and the fields a change names.
 */
import {
  SERVICE_ITEM_CHANGE_FIELDS,
  SERVICE_ITEM_CHANGE_KINDS,
  type ChangelogEntry,
  type ServiceItemChange,
  type ServiceItemChangeField,
  type ServiceItemChangeKind,
} from './types';

/** Changes the next version would publish: the proof items' and the service items'. */
export function pendingChangeCount(draft: { pendingChanges: readonly ChangelogEntry[]; pendingServiceItemChanges?: readonly ServiceItemChange[] }): number {
  return draft.pendingChanges.length + (draft.pendingServiceItemChanges?.length ?? 0);
}

/** How many changes of each kind, in the order added, removed, changed; kinds with none are left out. */
export function serviceItemKindCounts(entries: readonly ServiceItemChange[]): Array<{ kind: ServiceItemChangeKind; count: number }> {
  return SERVICE_ITEM_CHANGE_KINDS.map((kind) => ({ kind, count: entries.filter((e) => e.kind === kind).length })).filter((c) => c.count > 0);
}

export function isServiceItemChangeField(value: string): value is ServiceItemChangeField {
  return (SERVICE_ITEM_CHANGE_FIELDS as readonly string[]).includes(value);
}

/**
 * The fields a change names, each once, in the order of the item's form (name, department, region,
 * who may apply, materials); a field this page does not know is kept, after them, as the server says it.
 */
export function changedFields(entry: Pick<ServiceItemChange, 'kind' | 'fields'>): string[] {
  if (entry.kind !== 'changed' || !entry.fields) return [];
  const named = new Set<string>(entry.fields);
  return [...SERVICE_ITEM_CHANGE_FIELDS.filter((f) => named.has(f)), ...[...named].filter((f) => !isServiceItemChangeField(f))];
}
