import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody } from './read-body.js'
import { topicNameOfArn } from '../../runtime/handler/sns-event.js'

/**
 * The part of SNS's API that `Topic.<topic>.publish` calls, in SNS's query protocol (what the AWS
 * SDKs speak to SNS: a form-encoded `POST /` with `Action=Publish`, answered in XML): Publish of a
 * topic of this app and stage, with SNS's size limit and error codes.
 */

/** SNS's limit for a published message, with its attributes: 256 KiB (docs/lambda-facts.md). */
const MAX_MESSAGE_BYTES = 262_144
/** What dev reads of an SNS request at most: a message at its limit, form-encoded (each byte up to three). */
const MAX_REQUEST_BYTES = 4 * MAX_MESSAGE_BYTES
const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/'

export interface SnsTarget {
  /** Delivers one published message to every subscriber of the topic with that name; false when the app has no such topic. */
  publish(topicName: string, message: { topicArn: string; messageId: string; text: string; subject: string | undefined }): boolean
}

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function answerXml(res: ServerResponse, { status, xml }: { status: number; xml: string }): void {
  res.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) }).end(xml)
}

function sendSnsError(res: ServerResponse, error: SnsError): void {
  const type = error.status >= 500 ? 'Receiver' : 'Sender'
  answerXml(res, {
    status: error.status,
    xml: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${error.code}</Code><Message>${xmlText(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  })
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req, MAX_REQUEST_BYTES)
  if (body === 'too large') throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message too long')
  return new URLSearchParams(body.toString('utf8'))
}

/** True for a request in SNS's query protocol: a form-encoded POST to the root, as Lambda's API never sends. */
export function isSnsRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? ''
  return req.method === 'POST' && (req.url === '/' || req.url === '') && type.startsWith('application/x-www-form-urlencoded')
}

function publish(target: SnsTarget, form: URLSearchParams): string {
  const topicArn = form.get('TopicArn') ?? form.get('TargetArn')
  if (!topicArn) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter')
  const text = form.get('Message')
  if (text === null || text === '') throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Empty message')
  if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message too long')
  const messageId = randomUUID()
  const subject = form.get('Subject') ?? undefined
  if (!target.publish(topicNameOfArn(topicArn), { topicArn, messageId, text, subject })) throw new SnsError(404, 'NotFound', 'Topic does not exist')
  return `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`
}

/** Answers one SNS request. */
export async function handleSnsRequest(req: IncomingMessage, res: ServerResponse, target: SnsTarget): Promise<void> {
  try {
    const form = await readForm(req)
    const action = form.get('Action')
    if (action !== 'Publish') throw new SnsError(400, 'InvalidAction', `task-gen dev serves SNS's Publish only, not ${action ?? 'a request without Action'}`)
    answerXml(res, { status: 200, xml: publish(target, form) })
  } catch (error) {
    if (!(error instanceof SnsError)) throw error
    if (!req.complete) req.resume()
    if (!res.headersSent) sendSnsError(res, error)
  }
}
