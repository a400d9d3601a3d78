// Forms made from the request schemas themselves (domain/action-bodies.ts, domain/intake.ts): the
// fields, their kinds, bounds and choices come from the zod schema (as JSON Schema), their words
// from the labels, so a field added to a body appears in the console with no form written by hand.
// A posted form is read back into the body the API takes by walking the same schema; the API then
// validates it as it validates any client's, and its refusals come back naming the field.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { z } from '../../domain/zod';
import type { Bilingual } from '../../domain/stages';
import { VALUE_LABELS } from '../../domain/labels';
import { fromLocalInput, localInput, type Say } from './format';

/** The part of JSON Schema that zod writes for the request bodies. */
export interface Shape {
  type?: string;
  properties?: Record<string, Shape>;
  required?: string[];
  items?: Shape;
  enum?: string[];
  const?: string;
  oneOf?: Shape[];
  anyOf?: Shape[];
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  description?: string;
}

/** A form field's place in the body: `['consent', 'scope']`, `['interventions', 0, 'type']`. */
type Place = Array<string | number>;

const shapes = new WeakMap<z.ZodType, Shape>();

/**
 * The schema as one object of fields. A union of objects told apart by a constant (a referral's
 * progress: in service, or completed with an outcome) becomes one object whose constant is a
 * choice; a field is required only where every branch requires it.
 */
export function shapeOf(schema: z.ZodType): Shape {
  let shape = shapes.get(schema);
  if (!shape) {
    shape = normalise(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Shape);
    shapes.set(schema, shape);
  }
  return shape;
}

/**
 * A form never sends null: a nullable field is its other kind (left empty, it is left out). A union
 * of objects becomes one object (merge). The same, all the way down.
 */
function normalise(shape: Shape): Shape {
  const branches = (shape.oneOf ?? shape.anyOf)?.filter((b) => b.type !== 'null');
  let out: Shape = shape;
  if (branches?.length === 1) out = { ...branches[0]!, description: shape.description ?? branches[0]!.description };
  else if (branches) out = merge({ ...shape, oneOf: branches, anyOf: undefined });
  return {
    ...out,
    properties: out.properties && Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, normalise(v)])),
    items: out.items && normalise(out.items),
  };
}

function merge(shape: Shape): Shape {
  const branches = shape.oneOf ?? shape.anyOf;
  if (!branches) return shape;
  const properties: Record<string, Shape> = {};
  for (const branch of branches) {
    for (const [key, field] of Object.entries(branch.properties ?? {})) {
      const known = properties[key];
      if (field.const !== undefined) properties[key] = { type: 'string', enum: [...(known?.enum ?? []), field.const] };
      else properties[key] ??= field;
    }
  }
  const required = Object.keys(properties).filter((key) => branches.every((b) => b.required?.includes(key)));
  return { type: 'object', properties, required };
}

/** `interventions[0].type`: how the API names a field in its refusals (domain/paths.ts). */
export const apiPath = (place: Place) => place.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k), '');
/** `interventions.0.type`: the field's name in the form. */
const formName = (place: Place) => place.join('.');
const fieldId = (prefix: string, place: Place) => `${prefix}-${place.join('-')}`.replace(/[^\w-]/g, '_');

export interface FormContext {
  say: Say;
  /** Distinguishes the ids of two forms on one page. */
  prefix: string;
  /** A field's label by its place; undefined falls back to its name. */
  label(place: Place): Bilingual | undefined;
  /** What was entered before (a refused post, shown again). */
  values?: unknown;
  /** The API's refusal of each field, by its API path. */
  errors?: ReadonlyMap<string, string>;
  /** Choices for a field taking an id (a worker, a unit, a partner), by the field's name; a `group` heads them in the list. */
  choices?: Record<string, Array<{ value: string; label: string; group?: string }>>;
  /** Words for the codes of a field, by the field's name, before the shared VALUE_LABELS (a placement's kind). */
  valueLabels?: Record<string, Record<string, Bilingual>>;
}

const ONE_PER_LINE: Bilingual = { vi: 'mỗi dòng một mục', en: 'one per line' };
const NONE: Bilingual = { vi: '— chọn —', en: '— choose —' };
const LONG_TEXT = 300;
/** An instant written with its offset (as the API and readForm have it), not yet a wall-clock value. */
const ZONED = /(?:[zZ]|[+-]\d{2}:\d{2})$/;

const valueAt = (values: unknown, place: Place): unknown =>
  place.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);

function valueLabel(ctx: Pick<FormContext, 'say' | 'valueLabels'>, field: string | number | undefined, value: string): string {
  const words = typeof field === 'string' ? (ctx.valueLabels?.[field]?.[value] ?? VALUE_LABELS[field]?.[value]) : undefined;
  return words ? ctx.say(words) : value;
}

/** Options, under a heading of their own where they have groups (carers of the case's commune first). */
function options(choices: Array<{ value: string; label: string; group?: string }>, value: unknown) {
  const option = (o: { value: string; label: string }) => html`<option value="${o.value}" ${value === o.value ? 'selected' : ''}>${o.label}</option>`;
  if (!choices.some((o) => o.group)) return choices.map(option);
  const groups: Array<{ label: string; items: typeof choices }> = [];
  for (const o of choices) {
    const last = groups.at(-1);
    if (last && last.label === (o.group ?? '')) last.items.push(o);
    else groups.push({ label: o.group ?? '', items: [o] });
  }
  return groups.map((g) => html`<optgroup label="${g.label}">${g.items.map(option)}</optgroup>`);
}

/** The fields of an object shape, for a form. */
export function fields(shape: Shape, ctx: FormContext, place: Place = [], enforced = true): HtmlEscapedString | Promise<HtmlEscapedString> {
  const required = new Set(shape.required ?? []);
  return html`${Object.entries(shape.properties ?? {}).map(([key, field]) => fieldOf(field, ctx, [...place, key], required.has(key), enforced))}`;
}

/**
 * One field. `required` is the schema's word; the browser enforces it only where the field's group
 * is itself required (`enforced`): a reporter's name is needed only if a reporter is given at all.
 */
function fieldOf(shape: Shape, ctx: FormContext, place: Place, schemaRequired: boolean, enforced: boolean): unknown {
  // A list or group that may be empty asks for nothing, whatever the schema calls it.
  const mayBeEmpty = (shape.type === 'array' && !shape.minItems) || (shape.type === 'object' && !shape.required?.length);
  const required = schemaRequired && !mayBeEmpty && enforced;
  const { say } = ctx;
  const name = formName(place);
  const id = fieldId(ctx.prefix, place);
  const last = place.at(-1);
  const label = ctx.label(place);
  const text = label ? say(label) : String(last);
  const error = ctx.errors?.get(apiPath(place));
  const value = valueAt(ctx.values, place);
  const star = required ? html`<span aria-hidden="true" class="req">*</span>` : '';
  const problem = error ? html`<span class="error" id="${id}-error">${error}</span>` : '';
  const described = error ? raw(` aria-invalid="true" aria-describedby="${id}-error"`) : '';

  if (shape.type === 'object') {
    return html`<fieldset class="group">
      <legend>${text} ${star}</legend>
      ${problem}${fields(shape, ctx, place, required)}
    </fieldset>`;
  }
  if (shape.type === 'array' && shape.items?.type === 'object') {
    const given = Array.isArray(value) ? value.length : 0;
    const rows = Math.max(given + 1, shape.minItems ?? 1, 2);
    const itemShape = shape.items;
    const itemRequired = new Set(itemShape.required ?? []);
    return html`<fieldset class="group">
      <legend>${text} ${star}</legend>
      ${problem}
      <input type="hidden" name="${name}.rows" value="${rows}" />
      ${Array.from(
        { length: rows },
        (_, i) =>
          html`<fieldset class="row">
            <legend>${i + 1}.</legend>
            ${Object.entries(itemShape.properties ?? {}).map(([key, field]) => fieldOf(field, ctx, [...place, i, key], itemRequired.has(key), i < (shape.minItems ?? 0)))}
          </fieldset>`,
      )}
    </fieldset>`;
  }
  if (shape.type === 'array' && shape.items?.enum) {
    const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
    return html`<fieldset class="group choices">
      <legend>${text} ${star}</legend>
      ${problem}
      ${shape.items.enum.map(
        (option, i) =>
          html`<label class="check" for="${id}-${i}"
            ><input type="checkbox" id="${id}-${i}" name="${name}" value="${option}" ${chosen.has(option) ? 'checked' : ''} />
            ${valueLabel(ctx, last, option)}</label
          >`,
      )}
    </fieldset>`;
  }
  if (shape.type === 'array') {
    const lines = Array.isArray(value) ? value.join('\n') : '';
    return html`<label for="${id}">${text} ${star} <span class="hint">(${say(ONE_PER_LINE)})</span></label
      >${problem} <textarea id="${id}" name="${name}" rows="3" ${required ? 'required' : ''}${described}>${lines}</textarea>`;
  }
  if (shape.type === 'boolean') {
    return html`<label class="check" for="${id}"
        ><input type="checkbox" id="${id}" name="${name}" value="true" ${value === true ? 'checked' : ''}${described} /> ${text}</label
      >${problem}`;
  }
  const choices = shape.enum?.map((v) => ({ value: v, label: valueLabel(ctx, last, v) })) ?? (typeof last === 'string' ? ctx.choices?.[last] : undefined);
  if (choices) {
    return html`<label for="${id}">${text} ${star}</label>${problem}
      <select id="${id}" name="${name}" ${required ? 'required' : ''}${described}>
        <option value="">${say(NONE)}</option>
        ${options(choices, value)}
      </select>`;
  }
  const shown = value === undefined || value === null ? '' : String(value);
  if (shape.type === 'integer' || shape.type === 'number') {
    return html`<label for="${id}">${text} ${star}</label>${problem}
      <input
        type="number"
        inputmode="numeric"
        id="${id}"
        name="${name}"
        value="${shown}"
        ${shape.minimum !== undefined ? raw(`min="${shape.minimum}"`) : ''}
        ${shape.maximum !== undefined ? raw(`max="${shape.maximum}"`) : ''}
        ${required ? 'required' : ''}${described}
      />`;
  }
  if ((shape.maxLength ?? 0) > LONG_TEXT) {
    return html`<label for="${id}">${text} ${star}</label>${problem}
      <textarea id="${id}" name="${name}" rows="4" maxlength="${shape.maxLength}" ${required ? 'required' : ''}${described}>${shown}</textarea>`;
  }
  // An instant gets the phone's own date and time picker, on Vietnam's wall clock: readForm adds +07:00.
  if (shape.format === 'date-time') {
    return html`<label for="${id}">${text} ${star}</label>${problem}
      <input
        type="datetime-local"
        id="${id}"
        name="${name}"
        value="${ZONED.test(shown) ? localInput(shown) : shown}"
        ${required ? 'required' : ''}${described}
      />`;
  }
  // A day gets the phone's own date picker; it posts YYYY-MM-DD, as the API takes it.
  const kind = shape.format === 'date' ? 'date' : typeof last === 'string' && /phone/i.test(last) ? 'tel' : 'text';
  return html`<label for="${id}">${text} ${star}</label>${problem}
    <input
      type="${kind}"
      id="${id}"
      name="${name}"
      value="${shown}"
      ${shape.maxLength ? raw(`maxlength="${shape.maxLength}"`) : ''}
      ${required ? 'required' : ''}${described}
    />`;
}

/** A posted form as Hono reads it with `all: true`: a name given twice is a list. */
export type PostedForm = Record<string, string | File | Array<string | File>>;

const one = (form: PostedForm, name: string): string | undefined => {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
};
const all = (form: PostedForm, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};
const MAX_ROWS = 100;

/**
 * The body a posted form stands for, by the same shape: an empty field is left out (the API
 * names it if it was required), lines become lists, ticked boxes true, empty rows dropped.
 */
export function readForm(shape: Shape, form: PostedForm, place: Place = [], o: ReadOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(shape.required ?? []);
  for (const [key, field] of Object.entries(shape.properties ?? {})) {
    const value = readField(field, form, [...place, key], required.has(key), o);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `uncheckedIsFalse`: a form that changes a record says false with a box left unticked (an account made inactive). */
export interface ReadOptions {
  uncheckedIsFalse?: boolean;
}

function readField(shape: Shape, form: PostedForm, place: Place, required: boolean, o: ReadOptions): unknown {
  const name = formName(place);
  if (shape.type === 'object') {
    const value = readForm(shape, form, place, o);
    return Object.keys(value).length > 0 || required ? value : undefined;
  }
  if (shape.type === 'array' && shape.items?.type === 'object') {
    const rows = Math.min(Number(one(form, `${name}.rows`) ?? 0) || 0, MAX_ROWS);
    const items = Array.from({ length: rows }, (_, i) => readForm(shape.items!, form, [...place, i], o)).filter((item) =>
      Object.values(item).some((v) => v !== false),
    );
    return items.length > 0 || required ? items : undefined;
  }
  if (shape.type === 'array' && shape.items?.enum) {
    const chosen = all(form, name);
    return chosen.length > 0 || required ? chosen : undefined;
  }
  if (shape.type === 'array') {
    const lines = (one(form, name) ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    return lines.length > 0 || required ? lines : undefined;
  }
  const raw = one(form, name);
  if (shape.type === 'boolean') return raw === 'true' ? true : required || o.uncheckedIsFalse ? false : undefined;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (shape.type === 'integer' || shape.type === 'number') {
    const n = Number(raw);
    // Not a number: sent as typed, so the API names the field.
    return Number.isFinite(n) ? n : raw;
  }
  // A datetime-local value is Vietnam's wall clock; anything else goes as typed, for the API to name.
  if (shape.format === 'date-time') return fromLocalInput(raw.trim()) ?? raw;
  return raw;
}
