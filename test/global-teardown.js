export default async function globalTeardown() {
  await globalThis.__dtsyncRedis?.stop();
}
