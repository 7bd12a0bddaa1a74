import { checkServerIdentity } from 'node:tls';
import { Options } from 'got';

/**
 * A faster, equivalent `Options#createNativeRequestOptions` for got 14 on Node 20.
 *
 * got builds each request's Node options as one object literal that opens with two spreads
 * (`{...cacheOptions, ...unixOptions, ALPNProtocols, ca, …}`, 31 more keys). On Node 20's V8
 * every key written after a spread in a literal takes a slow runtime path and a fresh hidden
 * class: ~0.7 µs per key, 50–70 µs per request on this machine, plus the garbage. At 1,000 PDS
 * calls a second that is a tenth of a worker's CPU. This builds the same object with
 * `Object.assign` and plain stores (`npm run bench:call-cpu`: 0.63–0.69 → 0.47–0.49 ms of CPU
 * per call, 2026-11-25).
 *
 * HTTP/2 requests go to got's own builder (they need got's private timeout helper; we never ask
 * for HTTP/2). test/infra/got-request-options.test.ts checks, key for key, that both builders
 * answer the same for plain, TLS, socket-path and DNS-cache options, so a got release that
 * changes its builder fails that test instead of changing requests quietly.
 */

/** The private state got's builder reads (got 14.6). */
interface GotInternals {
  readonly url: URL | undefined;
  readonly http2: boolean;
  readonly agent: { readonly http?: unknown; readonly https?: unknown };
  readonly https: {
    readonly alpnProtocols?: unknown;
    readonly certificateAuthority?: unknown;
    readonly certificate?: unknown;
    readonly key?: unknown;
    readonly passphrase?: unknown;
    readonly pfx?: unknown;
    readonly rejectUnauthorized?: unknown;
    readonly checkServerIdentity?: unknown;
    readonly serverName?: unknown;
    readonly ciphers?: unknown;
    readonly honorCipherOrder?: unknown;
    readonly minVersion?: unknown;
    readonly maxVersion?: unknown;
    readonly signatureAlgorithms?: unknown;
    readonly tlsSessionLifetime?: unknown;
    readonly dhparam?: unknown;
    readonly ecdhCurve?: unknown;
    readonly certificateRevocationLists?: unknown;
    readonly secureOptions?: unknown;
  };
  readonly cacheOptions: object;
  readonly dnsLookup?: unknown;
  readonly dnsCache?: { readonly lookup?: unknown } | undefined;
  readonly dnsLookupIpVersion?: unknown;
  readonly setHost?: unknown;
  readonly method?: unknown;
  readonly maxHeaderSize?: unknown;
  readonly localAddress?: unknown;
  readonly headers?: unknown;
  readonly createConnection?: unknown;
  readonly h2session?: unknown;
}

interface GotOptionsState {
  readonly _internals: GotInternals;
  readonly _unixOptions?: object | undefined;
}

type NativeRequestOptions = ReturnType<Options['createNativeRequestOptions']>;

/** got's own builder, kept for HTTP/2 and for the equivalence test. */
export const gotOwnBuilder: (this: Options) => NativeRequestOptions =
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with `.call(options)`
  Options.prototype.createNativeRequestOptions;

export function buildNativeRequestOptions(this: Options): NativeRequestOptions {
  const state = this as unknown as GotOptionsState;
  const internals = state._internals;
  if (internals.http2) return gotOwnBuilder.call(this);
  const https = internals.https;
  const built: Record<string, unknown> = {};
  Object.assign(built, internals.cacheOptions, state._unixOptions);
  built['ALPNProtocols'] = https.alpnProtocols;
  built['ca'] = https.certificateAuthority;
  built['cert'] = https.certificate;
  built['key'] = https.key;
  built['passphrase'] = https.passphrase;
  built['pfx'] = https.pfx;
  built['rejectUnauthorized'] = https.rejectUnauthorized;
  built['checkServerIdentity'] = https.checkServerIdentity ?? checkServerIdentity;
  built['servername'] = https.serverName;
  built['ciphers'] = https.ciphers;
  built['honorCipherOrder'] = https.honorCipherOrder;
  built['minVersion'] = https.minVersion;
  built['maxVersion'] = https.maxVersion;
  built['sigalgs'] = https.signatureAlgorithms;
  built['sessionTimeout'] = https.tlsSessionLifetime;
  built['dhparam'] = https.dhparam;
  built['ecdhCurve'] = https.ecdhCurve;
  built['crl'] = https.certificateRevocationLists;
  built['secureOptions'] = https.secureOptions;
  built['lookup'] = internals.dnsLookup ?? internals.dnsCache?.lookup;
  built['family'] = internals.dnsLookupIpVersion;
  built['agent'] = internals.url?.protocol === 'https:' ? internals.agent.https : internals.agent.http;
  built['setHost'] = internals.setHost;
  built['method'] = internals.method;
  built['maxHeaderSize'] = internals.maxHeaderSize;
  built['localAddress'] = internals.localAddress;
  built['headers'] = internals.headers;
  built['createConnection'] = internals.createConnection;
  built['timeout'] = undefined;
  built['h2session'] = internals.h2session;
  return built as NativeRequestOptions;
}

/** Puts the builder in place for every got instance of the process (idempotent). */
export function useFastRequestOptions(): void {
  Options.prototype.createNativeRequestOptions = buildNativeRequestOptions;
}
