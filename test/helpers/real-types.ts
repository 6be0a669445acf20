import { join } from 'node:path'
import { installFixture } from '../../scripts/install-fixture.js'
import { REPO_ROOT } from './run-cli.js'

/** A project of real type packages (zod, TypeBox, valibot, type-fest, drizzle, Stripe 23), pinned by its own lock file. */
export const REAL_TYPES_DIR = join(REPO_ROOT, 'test/fixtures/real-types')

/** Stripe 20 alone: its typings declare the ambient module 'stripe', which cannot share a node_modules with Stripe 23's. */
export const STRIPE_20_DIR = join(REPO_ROOT, 'test/fixtures/stripe-20')

/** The real-types fixture's node_modules, installed from its lock file when it is not there yet. */
export function installRealTypes(): string {
  return installFixture(REAL_TYPES_DIR)
}

/** The Stripe 20 fixture's node_modules, installed from its lock file when it is not there yet. */
export function installStripe20(): string {
  return installFixture(STRIPE_20_DIR)
}
