import { Transform, type TransformCallback } from 'node:stream'

/**
 * Decodes S3's `aws-chunked` content encoding as the body streams in: `<hex size>[;ext]\r\n<data>\r\n`
 * chunks, a `0` chunk, then trailer lines (`x-amz-checksum-crc32:<base64>`) and an empty line.
 * The SDK sends it for a streamed upload (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`).
 * Chunk signatures are read past, not checked: dev checks no signature.
 */

/** The longest chunk header or trailer line dev reads: far past any real one, so a garbage body cannot grow a line without bound. */
const MAX_LINE_BYTES = 8192

export class MalformedChunksError extends Error {}

type State = { kind: 'header' } | { kind: 'data'; left: number } | { kind: 'data-end' } | { kind: 'trailer' } | { kind: 'done' }

export class AwsChunkedDecoder extends Transform {
  /** The trailers once the body ended, by lower-case name. */
  readonly trailers = new Map<string, string>()
  private state: State = { kind: 'header' }
  private line = Buffer.alloc(0)

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk)
      done()
    } catch (error) {
      done(error as Error)
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state.kind === 'done' ? undefined : new MalformedChunksError('the aws-chunked body ended before its final chunk and trailers'))
  }

  private consume(chunk: Buffer): void {
    let at = 0
    while (at < chunk.length) {
      const { state } = this
      if (state.kind === 'done') return // bytes past the end: nothing more is read
      if (state.kind === 'data') {
        const take = Math.min(state.left, chunk.length - at)
        this.push(chunk.subarray(at, at + take))
        at += take
        state.left -= take
        if (state.left === 0) this.state = { kind: 'data-end' }
        continue
      }
      const end = chunk.indexOf(0x0a, at)
      const piece = chunk.subarray(at, end < 0 ? chunk.length : end + 1)
      at += piece.length
      if (this.line.length + piece.length > MAX_LINE_BYTES) throw new MalformedChunksError('an aws-chunked header or trailer line is too long')
      this.line = Buffer.concat([this.line, piece])
      if (end < 0) return
      const text = this.line.toString('latin1').replace(/\r?\n$/, '')
      this.line = Buffer.alloc(0)
      this.onLine(text)
    }
  }

  private onLine(text: string): void {
    switch (this.state.kind) {
      case 'header': {
        const size = /^([0-9a-fA-F]{1,15})(;.*)?$/.exec(text)
        if (!size) throw new MalformedChunksError(`not an aws-chunked chunk header: ${JSON.stringify(text.slice(0, 80))}`)
        const left = Number.parseInt(size[1]!, 16)
        this.state = left === 0 ? { kind: 'trailer' } : { kind: 'data', left }
        return
      }
      case 'data-end':
        if (text !== '') throw new MalformedChunksError('an aws-chunked chunk is longer than its header says')
        this.state = { kind: 'header' }
        return
      case 'trailer': {
        if (text === '') {
          this.state = { kind: 'done' }
          return
        }
        const colon = text.indexOf(':')
        if (colon <= 0) throw new MalformedChunksError(`not an aws-chunked trailer: ${JSON.stringify(text.slice(0, 80))}`)
        this.trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim())
        return
      }
      default:
        return
    }
  }
}
