import { Type } from 'typebox';

/**
 * The API schema of `identifies` (audit/domain/named-persons.ts: what a string field holds),
 * on a license type's fields and on a data-sharing item's answer fields alike; `namedBy` says
 * what names the person ("the license", "the answer").
 */
export function IdentifiesSchema(namedBy: string) {
  return Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('enterprise'), Type.Literal('none')], {
    description: `string fields: what the value is — a person's identity number, an enterprise's USCC, or neither. enterprise / none: never taken for a person ${namedBy} names (access log); undeclared: a valid identity number is`,
  }));
}
