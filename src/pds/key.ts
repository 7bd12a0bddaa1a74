import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Profile } from '../config/schema.js';
import { PdsKeyError } from '../errors/pds-key-error.js';
import { verdict } from './classify.js';

export const TOKEN_PATH = '/v2/oauth/token';

/** RS256 needs at least 2048 bits (jose refuses shorter keys too). */
const MIN_RSA_BITS = 2048;

type KeySettings = Pick<Profile['pds'], 'privateKeyFile' | 'privateKey'>;

const keyError = (code: string, message: string) =>
  new PdsKeyError(message, { path: TOKEN_PATH, code, ...verdict({ type: 'key' }, 'token') });

/**
 * Loads the JWT application's private key and says precisely what is wrong with it. Messages
 * name the file (or `pds.privateKey`) and never quote the content.
 */
export async function loadPrivateKey(settings: KeySettings): Promise<KeyObject> {
  let pem: string;
  let where: string;
  if (settings.privateKeyFile !== undefined) {
    where = `PDS private key file ${settings.privateKeyFile}`;
    pem = await readKeyFile(settings.privateKeyFile, where);
  } else if (settings.privateKey !== undefined) {
    where = 'PDS private key (pds.privateKey)';
    // Revealed here, at the point of use, and never kept beyond the KeyObject.
    const raw = settings.privateKey.reveal();
    // A PEM pasted into one environment variable often arrives with literal "\n".
    pem = raw.includes('\n') ? raw : raw.replace(/\\n/g, '\n');
  } else {
    throw keyError('KeyMissing', 'no PDS private key configured: set pds.privateKeyFile or pds.privateKey');
  }
  return parsePrivateKey(pem, where);
}

async function readKeyFile(path: string, where: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const errno = (err as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') throw keyError('KeyFileMissing', `${where} does not exist`);
    if (errno === 'EACCES') throw keyError('KeyFileUnreadable', `${where} cannot be read: permission denied`);
    if (errno === 'EISDIR') throw keyError('KeyFileUnreadable', `${where} is a directory, not a key file`);
    throw keyError('KeyFileUnreadable', `${where} cannot be read (${errno ?? 'error'})`);
  }
}

function parsePrivateKey(pem: string, where: string): KeyObject {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (label === undefined) {
    throw keyError('KeyNotPem', `${where} is not a PEM file (no "-----BEGIN …-----" line)`);
  }
  if (label.includes('PUBLIC KEY') || label === 'CERTIFICATE') {
    throw keyError(
      'KeyNotPrivate',
      `${where} holds a ${label.toLowerCase()}, not a private key: configure the private half of the key pair`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // OpenSSL's message is dropped on purpose: it is no help and may quote the input.
    const hint = label.includes('ENCRYPTED') ? ' (it is encrypted: store it without a passphrase)' : '';
    throw keyError('KeyNotPem', `${where} is PEM ("${label}") but not a readable private key${hint}`);
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw keyError(
      'KeyNotRsa',
      `${where} holds an ${key.asymmetricKeyType ?? 'unknown'} key, not an RSA key: PDS JWT applications sign with RS256`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw keyError(
      'KeyTooShort',
      `${where} is a ${bits}-bit RSA key: RS256 needs at least ${MIN_RSA_BITS} bits`,
    );
  }
  return key;
}

/** The public half, e.g. for a simulator or a "register this key" hint. */
export function publicPemOf(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}
