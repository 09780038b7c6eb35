import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { S3Error } from './s3-xml.js';
import { amzDate, amzDay } from './time.js';

/** The access key id the sandbox storage signs with (the real sandbox used `cloudconvert-sandbox`). */
export const ACCESS_KEY_ID = 'cloudconvert-sandbox';
const REGION = 'local';
const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Form fields never listed in a POST policy (S3 rules). */
const UNCHECKED_FIELDS = new Set(['x-amz-signature', 'policy', 'file']);

type PolicyCondition = Record<string, string> | [string, string, string];

/** An S3 presigned POST form: what `result.form` of an import/upload task holds (docs/cloudconvert.md §5.2). */
export interface UploadForm {
  url: string;
  parameters: Record<string, string>;
}

/**
 * Signs and checks S3 POST policies (SigV4) and presigned GET URLs (SigV2, the format of the
 * recorded export URLs) with a secret generated per start.
 */
export class S3Signer {
  private readonly secret = randomBytes(32).toString('base64');

  /** The presigned POST form for a task's upload, valid until `expiresAt`. */
  uploadForm(url: string, bucket: string, keyPrefix: string, now: number, expiresAt: number): UploadForm {
    const date = amzDate(now);
    const credential = `${ACCESS_KEY_ID}/${amzDay(now)}/${REGION}/s3/aws4_request`;
    const conditions: PolicyCondition[] = [
      { acl: 'private' },
      { bucket },
      ['starts-with', '$key', keyPrefix],
      { success_action_status: '201' },
      { 'X-Amz-Date': date },
      { 'X-Amz-Credential': credential },
      { 'X-Amz-Algorithm': ALGORITHM },
    ];
    const policyJson = JSON.stringify({
      expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      conditions,
    });
    // PHP's json_encode escapes slashes; the real policy does (docs/cloudconvert.md §12.1).
    const policy = Buffer.from(policyJson.replace(/\//g, '\\/')).toString('base64');
    return {
      url,
      parameters: {
        acl: 'private',
        key: `${keyPrefix}\${filename}`,
        success_action_status: '201',
        'X-Amz-Credential': credential,
        'X-Amz-Algorithm': ALGORITHM,
        'X-Amz-Date': date,
        Policy: policy,
        'X-Amz-Signature': this.policySignature(policy, amzDay(now)),
      },
    };
  }

  /**
   * Checks a submitted form like S3: signature, expiry, every policy condition, and no field outside
   * the policy. Field names are matched case-insensitively. Throws `S3Error` (403) on any mismatch.
   */
  verifyUploadForm(fields: ReadonlyMap<string, string>, bucket: string, now: number): void {
    const policy = fields.get('policy');
    const signature = fields.get('x-amz-signature');
    const credential = fields.get('x-amz-credential');
    if (!policy || !signature || !credential) throw new S3Error(403, 'AccessDenied', 'Access Denied.');
    if (fields.get('x-amz-algorithm') !== ALGORITHM) {
      throw new S3Error(400, 'InvalidArgument', 'Unsupported or missing X-Amz-Algorithm.');
    }
    const [accessKey, day] = credential.split('/');
    if (accessKey !== ACCESS_KEY_ID || !day) {
      throw new S3Error(
        403,
        'InvalidAccessKeyId',
        'The Access Key Id you provided does not exist in our records.',
      );
    }
    if (!safeEqual(signature, this.policySignature(policy, day))) {
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    const document = parsePolicy(policy);
    if (!(Date.parse(document.expiration) > now)) {
      throw new S3Error(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    }
    const values = new Map(fields);
    values.set('bucket', bucket);
    const covered = new Set<string>(['bucket']);
    for (const condition of document.conditions) {
      const [operator, field, expected] = conditionParts(condition);
      covered.add(field);
      const actual = values.get(field) ?? '';
      const holds = operator === 'starts-with' ? actual.startsWith(expected) : actual === expected;
      if (!holds) {
        throw new S3Error(
          403,
          'AccessDenied',
          `Invalid according to Policy: Policy Condition failed: ["${operator}", "$${field}", "${expected}"]`,
        );
      }
    }
    const extra = [...fields.keys()].filter(
      (name) => !covered.has(name) && !UNCHECKED_FIELDS.has(name) && !name.startsWith('x-ignore-'),
    );
    if (extra.length > 0) {
      throw new S3Error(
        403,
        'AccessDenied',
        `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`,
      );
    }
  }

  /**
   * A presigned GET URL (SigV2 query auth with `response-content-*` overrides, the recorded format
   * of export URLs, docs/cloudconvert.md §12.2).
   */
  downloadUrl(
    base: string,
    path: string,
    expiresAtSec: number,
    disposition: string,
    contentType: string,
  ): string {
    const signature = this.downloadSignature(path, expiresAtSec, disposition, contentType);
    const query = new URLSearchParams({
      AWSAccessKeyId: ACCESS_KEY_ID,
      Expires: String(expiresAtSec),
      Signature: signature,
      'response-content-disposition': disposition,
      'response-content-type': contentType,
    });
    return `${base}${path}?${query.toString().replace(/\+/g, '%20')}`;
  }

  /**
   * Checks a presigned GET like S3: missing parameters, expiry, signature (403 each).
   * Returns the response header overrides it carries.
   */
  verifyDownload(
    path: string,
    query: URLSearchParams,
    nowSec: number,
  ): { disposition: string; contentType: string } {
    const expires = query.get('Expires');
    const signature = query.get('Signature');
    if (query.get('AWSAccessKeyId') === null || expires === null || signature === null) {
      throw new S3Error(403, 'AccessDenied', 'Access Denied.');
    }
    if (query.get('AWSAccessKeyId') !== ACCESS_KEY_ID) {
      throw new S3Error(
        403,
        'InvalidAccessKeyId',
        'The Access Key Id you provided does not exist in our records.',
      );
    }
    const disposition = query.get('response-content-disposition') ?? '';
    const contentType = query.get('response-content-type') ?? '';
    const expected = this.downloadSignature(path, Number(expires), disposition, contentType);
    if (!/^\d+$/.test(expires) || !safeEqual(signature, expected)) {
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
    }
    if (Number(expires) <= nowSec) throw new S3Error(403, 'AccessDenied', 'Request has expired');
    return { disposition, contentType };
  }

  private policySignature(policy: string, day: string): string {
    let key = hmac(`AWS4${this.secret}`, day);
    for (const part of [REGION, 's3', 'aws4_request']) key = hmac(key, part);
    return createHmac('sha256', key).update(policy).digest('hex');
  }

  private downloadSignature(
    path: string,
    expiresSec: number,
    disposition: string,
    contentType: string,
  ): string {
    const subresources = [
      ...(disposition ? [`response-content-disposition=${disposition}`] : []),
      ...(contentType ? [`response-content-type=${contentType}`] : []),
    ];
    const resource = subresources.length > 0 ? `${path}?${subresources.join('&')}` : path;
    return createHmac('sha1', this.secret).update(`GET\n\n\n${expiresSec}\n${resource}`).digest('base64');
  }
}

/** `{field: value}` or `[operator, "$field", value]` as `[operator, field, value]`, field lower-cased. */
function conditionParts(condition: PolicyCondition): [string, string, string] {
  if (Array.isArray(condition)) {
    return [condition[0].toLowerCase(), condition[1].replace(/^\$/, '').toLowerCase(), condition[2]];
  }
  const [field = '', value = ''] = Object.entries(condition)[0] ?? [];
  return ['eq', field.toLowerCase(), value];
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parsePolicy(policy: string): { expiration: string; conditions: PolicyCondition[] } {
  try {
    const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as {
      expiration?: unknown;
      conditions?: unknown;
    };
    if (typeof document.expiration !== 'string' || !Array.isArray(document.conditions))
      throw new Error('shape');
    return { expiration: document.expiration, conditions: document.conditions as PolicyCondition[] };
  } catch {
    throw new S3Error(400, 'MalformedPOSTRequest', 'Invalid Policy: Invalid JSON.');
  }
}
