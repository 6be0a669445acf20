/** An ISO 4217 currency code. */
export type Currency = 'EUR' | 'USD' | 'GBP'

/** An amount of money in the smallest unit of its currency (cents). */
export interface Money {
  amount: number
  currency: Currency
}

/** The part of the Lambda context object that these handlers use. */
export interface LambdaContext {
  awsRequestId: string
  functionName: string
  getRemainingTimeInMillis(): number
}
