import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { Fault, FaultAction, FaultMatch, ServiceName } from './types.js';

const SERVICES: readonly ServiceName[] = [
  'convertapi',
  'cloudconvert-api',
  'cloudconvert-sync',
  'cloudconvert-storage',
  'cloudconvert-oauth',
];

/** A fault description that cannot be used; the message says which field is wrong. */
export class FaultValidationError extends Error {
  override name = 'FaultValidationError';
}

/** The faults currently armed, matched in the order they were added. */
export class FaultRegistry {
  #faults: Fault[] = [];

  add(faults: readonly Fault[]): void {
    this.#faults.push(...faults.map((fault) => structuredClone(fault)));
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Fault[] {
    return this.#faults.map((fault) => structuredClone(fault));
  }

  /**
   * Finds the first fault matching the request, counts one use against its `times`
   * (dropping it when used up) and returns its action.
   */
  take(service: ServiceName, method: string, path: string): FaultAction | undefined {
    const index = this.#faults.findIndex((fault) => matches(fault.match, service, method, path));
    const fault = this.#faults[index];
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.#faults.splice(index, 1);
    }
    return fault.action;
  }

  /** Whether an armed fault names this method explicitly (used to let preflights through otherwise). */
  hasExplicitMethod(service: ServiceName, method: string, path: string): boolean {
    return this.#faults.some(
      (fault) =>
        fault.match.method?.toUpperCase() === method.toUpperCase() &&
        matches(fault.match, service, method, path),
    );
  }
}

function matches(match: FaultMatch, service: ServiceName, method: string, path: string): boolean {
  if (match.service && (match.service as string) !== '*' && match.service !== service) return false;
  if (match.method && match.method !== '*' && match.method.toUpperCase() !== method.toUpperCase())
    return false;
  return match.path === undefined || wildcardToRegExp(match.path).test(path);
}

/** `*` matches any run of characters, slashes included; everything else is literal. */
function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

/** Validates the JSON sent to `POST /__sandbox/faults`: one fault or an array of them. */
export function parseFaults(input: unknown): Fault[] {
  const list = Array.isArray(input) ? input : [input];
  return list.map((item, index) => parseFault(item, `faults[${index}]`));
}

function parseFault(input: unknown, where: string): Fault {
  if (!isRecord(input)) throw new FaultValidationError(`${where} must be an object`);
  const match = input['match'] ?? {};
  const action = input['action'];
  if (!isRecord(match)) throw new FaultValidationError(`${where}.match must be an object`);
  if (!isRecord(action)) throw new FaultValidationError(`${where}.action must be an object`);
  const fault: Fault = {
    match: parseMatch(match, `${where}.match`),
    action: parseAction(action, `${where}.action`),
  };
  if (input['times'] !== undefined) fault.times = positiveInteger(input['times'], `${where}.times`);
  return fault;
}

function parseMatch(input: Record<string, unknown>, where: string): FaultMatch {
  const match: FaultMatch = {};
  const { service, method, path } = input;
  if (service !== undefined) {
    if (service !== '*' && !SERVICES.includes(service as ServiceName)) {
      throw new FaultValidationError(`${where}.service must be one of ${SERVICES.join(', ')} or *`);
    }
    match.service = service as ServiceName;
  }
  if (method !== undefined) match.method = text(method, `${where}.method`);
  if (path !== undefined) match.path = text(path, `${where}.path`);
  return match;
}

function parseAction(input: Record<string, unknown>, where: string): FaultAction {
  const action: FaultAction = {};
  if (input['status'] !== undefined) {
    const status = positiveInteger(input['status'], `${where}.status`);
    if (status < 100 || status > 599) throw new FaultValidationError(`${where}.status must be 100..599`);
    action.status = status;
  }
  if (input['body'] !== undefined) action.body = input['body'];
  if (input['headers'] !== undefined) action.headers = stringRecord(input['headers'], `${where}.headers`);
  if (input['delayMs'] !== undefined)
    action.delayMs = nonNegativeInteger(input['delayMs'], `${where}.delayMs`);
  if (input['throttleBytesPerSec'] !== undefined) {
    action.throttleBytesPerSec = positiveInteger(
      input['throttleBytesPerSec'],
      `${where}.throttleBytesPerSec`,
    );
  }
  if (input['resetAfterBytes'] !== undefined) {
    action.resetAfterBytes = nonNegativeInteger(input['resetAfterBytes'], `${where}.resetAfterBytes`);
  }
  if (input['malformed'] !== undefined) {
    if (typeof input['malformed'] !== 'boolean')
      throw new FaultValidationError(`${where}.malformed must be a boolean`);
    action.malformed = input['malformed'];
  }
  if (Object.keys(action).length === 0)
    throw new FaultValidationError(`${where} must set at least one action`);
  return action;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '')
    throw new FaultValidationError(`${where} must be a non-empty string`);
  return value;
}

function nonNegativeInteger(value: unknown, where: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new FaultValidationError(`${where} must be a non-negative integer`);
  }
  return value as number;
}

function positiveInteger(value: unknown, where: string): number {
  const number = nonNegativeInteger(value, where);
  if (number === 0) throw new FaultValidationError(`${where} must be greater than 0`);
  return number;
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw new FaultValidationError(`${where} must map header names to strings`);
  }
  return value as Record<string, string>;
}

/**
 * A pass-through stream that lets at most `bytesPerSec` bytes through per second.
 * It holds each chunk until its time has come, so back-pressure slows the sender down too.
 */
export function createThrottle(bytesPerSec: number): Transform {
  const sliceBytes = Math.max(1, Math.floor(bytesPerSec / 20));
  let started: number | undefined;
  let passed = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      started ??= Date.now();
      const slices: Buffer[] = [];
      for (let offset = 0; offset < chunk.length; offset += sliceBytes) {
        slices.push(chunk.subarray(offset, offset + sliceBytes));
      }
      const pushNext = (): void => {
        const slice = slices.shift();
        if (!slice) {
          callback();
          return;
        }
        passed += slice.length;
        const dueAt = (started as number) + (passed / bytesPerSec) * 1000;
        setTimeout(
          () => {
            this.push(slice);
            pushNext();
          },
          Math.max(0, dueAt - Date.now()),
        );
      };
      pushNext();
    },
  });
}

/**
 * A pass-through stream that calls `onLimit` once `limit` bytes have gone through
 * (the core destroys the socket there, as a connection reset halfway through an upload).
 */
export function createByteLimit(limit: number, onLimit: () => void): Transform {
  let passed = 0;
  let fired = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (fired) {
        callback();
        return;
      }
      const room = limit - passed;
      passed += chunk.length;
      if (passed < limit) {
        callback(null, chunk);
        return;
      }
      fired = true;
      if (room > 0) this.push(chunk.subarray(0, room));
      onLimit();
      callback();
    },
  });
}
