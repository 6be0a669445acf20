/** The blocks of a synthesized stack that an interpolation may name. */
interface StackJson {
  resource?: Record<string, Record<string, unknown>>
  data?: Record<string, Record<string, unknown>>
}

// One `$` only: Terraform reads `$${` as a literal `${`, which is how user text reaches the JSON.
const INTERPOLATION = /(?<!\$)\$\{([^}]*)\}/g
const REFERENCE = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./

/**
 * Every interpolation of a synthesized stack (its cdk.tf.json) that names no resource or data
 * source of that stack: what a reference to another stack's resource becomes once cdktf's
 * preparing resolve is skipped (see stack-base.ts). task-gen writes plain references only, so any
 * other interpolation counts too.
 */
export function danglingReferences(stackJson: string): string[] {
  const stack = JSON.parse(stackJson) as StackJson
  const declared = (block: StackJson[keyof StackJson], type: string, name: string) =>
    block !== undefined && Object.hasOwn(block, type) && Object.hasOwn(block[type]!, name)
  const dangling = new Set<string>()
  for (const [, expression] of stackJson.matchAll(INTERPOLATION)) {
    const reference = REFERENCE.exec(expression!)
    if (!reference || !declared(reference[1] ? stack.data : stack.resource, reference[2]!, reference[3]!)) dangling.add(expression!)
  }
  return [...dangling]
}
