/**
 * SHA-256 with Web Crypto (`crypto.subtle`, a global in Node 20, browsers and serverless
 * runtimes), as the lowercase hex the bundle manifest stores.
 */

/**
 * The hex SHA-256 of `bytes`.
 * @example await sha256Hex(new TextEncoder().encode('abc')) // 'ba7816bf...'
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(await sha256(bytes))
}

/**
 * The raw 32-byte SHA-256 of `bytes`.
 * @example const digest = await sha256(body)
 */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
}

function hex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16)
  return out
}
