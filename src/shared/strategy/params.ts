/**
 * A strategy's params: the author's declarations normalised into one form (for the config
 * editor's form and for validation), and the session's given values checked against them.
 * Unknown names are refused and a wrong type is named, like the rest of the config.
 */
import type { ParamSpec, ParamValue, StrategyParams } from './types';

export type ParamKind = 'number' | 'boolean' | 'string' | 'choice';

export interface ParamField {
  name: string;
  kind: ParamKind;
  default: ParamValue;
  label: string;
  /** The allowed values of a `choice` param. */
  choices?: string[];
}

export type ParamsResult = { ok: true; params: StrategyParams } | { ok: false; problems: string[] };

/** Normalises declarations; a malformed one is a problem of the strategy file. */
export function paramFields(specs: unknown): { fields: ParamField[]; problems: string[] } {
  const fields: ParamField[] = [];
  const problems: string[] = [];
  if (specs === undefined) return { fields, problems };
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) {
    return { fields, problems: ['params must be an object of name → default'] };
  }
  for (const [name, raw] of Object.entries(specs as Record<string, ParamSpec>)) {
    const field = paramField(name, raw);
    if (typeof field === 'string') problems.push(field);
    else fields.push(field);
  }
  return { fields, problems };
}

function paramField(name: string, raw: ParamSpec): ParamField | string {
  const bad =
    `param ${name}: expected a number, boolean, string, list of choices or ` +
    `{ default, label?, choices? }`;
  if (typeof raw === 'number') {
    return Number.isFinite(raw)
      ? { name, kind: 'number', default: raw, label: name }
      : `param ${name}: default must be a finite number`;
  }
  if (typeof raw === 'boolean') return { name, kind: 'boolean', default: raw, label: name };
  if (typeof raw === 'string') return { name, kind: 'string', default: raw, label: name };
  if (Array.isArray(raw)) return choiceField(name, raw, raw[0], name);
  if (typeof raw !== 'object' || raw === null || !('default' in raw)) return bad;
  const label = typeof raw.label === 'string' && raw.label.trim() ? raw.label : name;
  if (raw.choices !== undefined) return choiceField(name, raw.choices, raw.default, label);
  const field = paramField(name, raw.default as ParamSpec);
  if (typeof field === 'string' || field.kind === 'choice') return bad;
  return { ...field, label };
}

function choiceField(
  name: string,
  choices: readonly unknown[],
  fallback: unknown,
  label: string,
): ParamField | string {
  if (choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
    return `param ${name}: choices must be a non-empty list of strings`;
  }
  const list = choices as string[];
  if (typeof fallback !== 'string' || !list.includes(fallback)) {
    return `param ${name}: default ${JSON.stringify(fallback)} is not one of its choices`;
  }
  return { name, kind: 'choice', default: fallback, label, choices: [...list] };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Defaults overlaid with `given`; every unknown name and wrong type is reported at once. */
export function resolveParams(fields: readonly ParamField[], given: unknown): ParamsResult {
  const problems: string[] = [];
  const params: StrategyParams = {};
  for (const field of fields) params[field.name] = field.default;
  if (given === undefined) return { ok: true, params };
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    return { ok: false, problems: [`strategy.params must be an object (got ${typeName(given)})`] };
  }
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(given)) {
    const field = byName.get(name);
    if (!field) {
      const known = fields.map((f) => f.name).join(', ') || 'none';
      problems.push(`strategy.params.${name}: unknown param (the strategy declares: ${known})`);
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) problems.push(`strategy.params.${name}: ${problem}`);
    else params[name] = value as ParamValue;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params };
}

function checkValue(field: ParamField, value: unknown): string | null {
  switch (field.kind) {
    case 'number':
      if (typeof value !== 'number') return `expected a number, got ${typeName(value)}`;
      return Number.isFinite(value) ? null : 'expected a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected a boolean, got ${typeName(value)}`;
    case 'string':
      return typeof value === 'string' ? null : `expected a string, got ${typeName(value)}`;
    case 'choice':
      return typeof value === 'string' && field.choices!.includes(value)
        ? null
        : `expected one of ${field.choices!.join(', ')}, got ${JSON.stringify(value)}`;
  }
}

/**
 * Reads `k=v` pairs from the command line into typed values, by each param's declared kind, so
 * `--param fast=12` is the number 12. An unknown name passes through untouched and is refused
 * by resolveParams with the same wording as in a config.
 */
export function parseParamArgs(
  fields: readonly ParamField[],
  pairs: readonly string[],
): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push(`--param ${pair}: expected name=value`);
      continue;
    }
    const name = pair.slice(0, eq);
    const text = pair.slice(eq + 1);
    const kind = byName.get(name)?.kind;
    if (kind === 'number') {
      const n = text.trim() === '' ? Number.NaN : Number(text);
      values[name] = Number.isFinite(n) ? n : text;
    } else if (kind === 'boolean') {
      values[name] = text === 'true' ? true : text === 'false' ? false : text;
    } else {
      values[name] = text;
    }
  }
  return { values, problems };
}
